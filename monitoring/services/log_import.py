"""Debug-log import: stored log files of one server become archived sessions, events and
denial-summary rows, in batches that commit together with the file's checkpoint.

Idempotent three ways: a file whose sha256 was already imported for the server is skipped
(``skipped_duplicate``); every session and event carries a fingerprint that the database
keeps once per server (``session_log_checkout_once``, ``event_once_per_server``), so an
overlapping rotated log adds only its new lines; and the summary only counts rows that
were new to the database. Resumable: the checkpoint (byte offset, parser state, tracker
state) is written in the transaction of the batch's rows, so a run killed at any point
continues from the last commit to the same end result.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import F, Sum
from django.utils import timezone

from limon_site import config
from monitoring.conf import LOG_IMPORT
from monitoring.models import ImportState, LicenseServer, LogFile, LogImport
from monitoring.parsers.lmgrd_log import LogParser, LogParserState
from monitoring.parsers.model import MAX_UNPARSED_EXAMPLES
from monitoring.services import rollups
from monitoring.services.denials import add_to_summary, summary_counts
from monitoring.services.log_batches import Batch, BatchCommitter, snapshot
from monitoring.services.log_lock import server_import_lock
from monitoring.services.log_rows import RowWriter
from monitoring.services.log_tracker import CheckoutTracker

Progress = Callable[[LogImport], None]
_CHUNK = 1 << 20


@dataclass(frozen=True)
class StoredFile:
    """A log file on disk, ready to import."""

    path: str
    original_name: str
    size: int
    sha256: str


def digest_file(path: str | Path) -> tuple[int, str]:
    """(size in bytes, sha256 hex) of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while block := handle.read(_CHUNK):
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()


@transaction.atomic
def create_import(
    *, server: LicenseServer, files: list[StoredFile], timezone_name: str = "", created_by: str = ""
) -> LogImport:
    log_import = LogImport.objects.create(
        server=server,
        timezone=timezone_name,
        created_by=created_by,
        bytes_total=sum(f.size for f in files),
    )
    LogFile.objects.bulk_create(
        LogFile(
            log_import=log_import,
            server=server,
            original_name=f.original_name[:255],
            path=f.path,
            size=f.size,
            sha256=f.sha256,
        )
        for f in files
    )
    return log_import


def unfinished_import(*, server: LicenseServer, sha256: str) -> LogImport | None:
    """The batch of an earlier, interrupted import of this content (to resume it)."""
    log_file = (
        LogFile.objects.filter(server=server, sha256=sha256)
        .exclude(state=ImportState.DONE)
        .select_related("log_import")
        .order_by("-id")
        .first()
    )
    return log_file.log_import if log_file else None


def run_import(log_import_id: int, *, progress: Progress | None = None) -> LogImport:
    """Import (or resume) every file of a batch; the batch ends ``done`` or ``failed``.

    Waits while another import of the same server runs (``server_import_lock``)."""
    server_id = LogImport.objects.values_list("server_id", flat=True).get(pk=log_import_id)
    with server_import_lock(server_id):
        return _run_import_locked(log_import_id, progress)


def _run_import_locked(log_import_id: int, progress: Progress | None) -> LogImport:
    LogImport.objects.filter(pk=log_import_id).exclude(state=ImportState.DONE).update(
        state=ImportState.RUNNING, started_at=timezone.now(), error=""
    )
    file_ids = list(
        LogFile.objects.filter(log_import_id=log_import_id)
        .exclude(state=ImportState.DONE)
        .values_list("id", flat=True)
    )
    try:
        for file_id in file_ids:
            import_file(file_id, progress=progress)
    except Exception as exc:
        LogImport.objects.filter(pk=log_import_id).update(
            state=ImportState.FAILED,
            finished_at=timezone.now(),
            error=f"{type(exc).__name__}: {exc}",
        )
        LogFile.objects.filter(log_import_id=log_import_id, state=ImportState.RUNNING).update(
            state=ImportState.FAILED
        )
        raise
    LogImport.objects.filter(pk=log_import_id).update(
        state=ImportState.DONE, finished_at=timezone.now()
    )
    return LogImport.objects.get(pk=log_import_id)


def import_file(log_file_id: int, *, progress: Progress | None = None) -> LogFile:
    """Import one stored file from its checkpoint to its end."""
    log_file = LogFile.objects.select_related("log_import", "server").get(pk=log_file_id)
    if log_file.state == ImportState.DONE:
        return log_file
    if not log_file.checkpoint and _already_imported(log_file):
        _finish_duplicate(log_file)
        return log_file
    settings = config.get(LOG_IMPORT)
    run = _FileRun(log_file, settings, progress)
    run.execute()
    log_file.refresh_from_db()
    return log_file


def _already_imported(log_file: LogFile) -> bool:
    return (
        LogFile.objects.filter(server=log_file.server, sha256=log_file.sha256, state="done")
        .exclude(pk=log_file.pk)
        .exists()
    )


@transaction.atomic
def _finish_duplicate(log_file: LogFile) -> None:
    LogFile.objects.filter(pk=log_file.pk).update(
        state=ImportState.DONE, skipped_duplicate=True, byte_offset=log_file.size
    )
    _refresh_totals(log_file.log_import_id)


def _refresh_totals(log_import_id: int) -> None:
    totals = LogFile.objects.filter(log_import_id=log_import_id).aggregate(
        bytes_done=Sum("byte_offset"), lines=Sum("lines")
    )
    LogImport.objects.filter(pk=log_import_id).update(
        bytes_done=totals["bytes_done"] or 0, lines=totals["lines"] or 0
    )


def _inherited(log_file: LogFile) -> dict:
    """The end state of the server's latest imported log: its first and last times and
    the checkouts it left open (``CheckoutTracker`` decides whether it applies)."""
    previous = (
        LogFile.objects.filter(server=log_file.server, state="done", skipped_duplicate=False)
        .exclude(pk=log_file.pk)
        .order_by("-id")
        .values_list("checkpoint", flat=True)
        .first()
    )
    tracker = (previous or {}).get("tracker", {})
    return {key: tracker.get(key) for key in ("first", "now", "open")}


class _FileRun:
    def __init__(self, log_file: LogFile, settings: dict, progress: Progress | None):
        self.log_file = log_file
        self.progress = progress
        self.batch_size = settings["batch_lines"]
        checkpoint = log_file.checkpoint or {}
        parser_state = checkpoint.get("parser")
        self.parser = LogParser(LogParserState.from_dict(parser_state) if parser_state else None)
        tracker_state = checkpoint.get("tracker") or {"inherit": _inherited(log_file)}
        self.tracker = CheckoutTracker(
            before_seconds=settings["false_denial_before_seconds"],
            after_seconds=settings["false_denial_after_seconds"],
            state=tracker_state,
        )
        self.offset = checkpoint.get("offset", 0)
        self.malformed = (parser_state or {}).get("malformed", 0)
        self.examples = len((parser_state or {}).get("malformed_examples", []))
        log_import = log_file.log_import
        zone = ZoneInfo(log_import.timezone or log_file.server.effective_timezone)
        self.writer = RowWriter(server=log_file.server, log_import=log_import, zone=zone)

    def execute(self) -> None:
        LogFile.objects.filter(pk=self.log_file.pk).update(state=ImportState.RUNNING)
        tracker_feed = self.tracker.feed
        waiting = 0
        with BatchCommitter(self._commit) as committer, open(self.log_file.path, "rb") as handle:
            for records, end_offset in self.parser.iter_file(handle, self.offset):
                for record in records:
                    tracker_feed(record)
                waiting += len(records)
                if waiting >= self.batch_size:
                    committer.submit(self._batch(end_offset, done=False))
                    waiting = 0
            self.tracker.finish()
            committer.submit(self._batch(handle.tell(), done=True))

    def _batch(self, end_offset: int, *, done: bool) -> Batch:
        sessions, events = self.tracker.drain()
        state = self.parser.state
        checkpoint = {
            "offset": end_offset,
            "parser": state.to_dict(),
            "tracker": self.tracker.to_dict(),
        }
        return Batch(
            sessions=sessions,
            events=events,
            end_offset=end_offset,
            done=done,
            checkpoint=snapshot(checkpoint),
            lines=state.line_no,
            malformed=state.malformed,
            malformed_examples=[list(example) for example in state.malformed_examples],
        )

    def _commit(self, batch: Batch) -> None:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # The checkpoint commits with the rows: a commit lost in a crash is re-done
                # from the previous checkpoint, so waiting for the disk buys nothing here.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
            new_sessions = self.writer.write_sessions(batch.sessions)
            new_events = self.writer.write_events(batch.events)
            groups = summary_counts(
                [(s[2], s[3], s[7]) for s in new_sessions],
                [(e[2], e[3], e[5], e[7], e[8]) for e in new_events],
            )
            add_to_summary(server_id=self.log_file.server_id, groups=groups)
            span = self.writer.span(new_sessions)
            if span is not None:
                rollups.refresh(span[0], span[1], span[2])
            LogFile.objects.filter(pk=self.log_file.pk).update(
                byte_offset=batch.end_offset,
                lines=batch.lines,
                checkpoint=batch.checkpoint,
                state=ImportState.DONE if batch.done else ImportState.RUNNING,
            )
            self._update_import(batch, len(new_sessions), len(new_events))
        if self.progress is not None:
            self.progress(LogImport.objects.get(pk=self.log_file.log_import_id))

    def _update_import(self, batch: Batch, sessions: int, events: int) -> None:
        import_id = self.log_file.log_import_id
        new_examples = batch.malformed_examples[self.examples :]
        changes = {
            "sessions_created": F("sessions_created") + sessions,
            "events_created": F("events_created") + events,
            "malformed_count": F("malformed_count") + (batch.malformed - self.malformed),
        }
        if new_examples:
            log_import = LogImport.objects.select_for_update().get(pk=import_id)
            kept = list(log_import.malformed_examples)
            for line_no, text in new_examples:
                if len(kept) < MAX_UNPARSED_EXAMPLES:
                    name = self.log_file.original_name
                    kept.append({"file": name, "line": line_no, "text": text})
            changes["malformed_examples"] = kept
        LogImport.objects.filter(pk=import_id).update(**changes)
        _refresh_totals(import_id)
        self.malformed = batch.malformed
        self.examples = len(batch.malformed_examples)
