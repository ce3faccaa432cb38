"""``manage.py import_logs FILE... --server NAME [--timezone ZONE]``: import lmgrd debug logs.

Files are imported where they lie (not copied). Running the command again on a file whose
import was interrupted resumes it from its checkpoint; on a file already imported for the
server it creates nothing.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.management.base import BaseCommand, CommandError

from monitoring.models import LicenseServer, LogImport
from monitoring.services.log_import import (
    StoredFile,
    create_import,
    digest_file,
    run_import,
    unfinished_import,
)

BAR_WIDTH = 30


def is_binary(path: Path) -> bool:
    """A NUL byte in the first 8 KiB: not a text log."""
    with open(path, "rb") as handle:
        return b"\x00" in handle.read(8192)


class Command(BaseCommand):
    help = "Import FlexNet lmgrd / vendor-daemon debug logs of one license server"

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--server", required=True, help="License server name")
        parser.add_argument("--timezone", default="", help="Zone of the log's clock")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar")

    def handle(self, *args, files, server, timezone, no_progress, **options):
        target = LicenseServer.objects.filter(name=server).first()
        if target is None:
            raise CommandError(f"Unknown license server {server!r}")
        if timezone:
            try:
                ZoneInfo(timezone)
            except (ZoneInfoNotFoundError, ValueError) as exc:
                raise CommandError(f"Unknown time zone {timezone!r}") from exc
        paths = [Path(name) for name in files]
        for path in paths:
            if not path.is_file():
                raise CommandError(f"No such file: {path}")
            if is_binary(path):
                raise CommandError(f"{path} is a binary file, not a text debug log")
        started = time.monotonic()
        batches = self._batches(target, paths, timezone)
        self._started = started
        progress = None if no_progress else self._progress
        results = [run_import(batch.pk, progress=progress) for batch in batches]
        if progress is not None:
            sys.stderr.write("\n")
        self._summary(results, time.monotonic() - started)

    def _batches(self, server, paths, timezone) -> list[LogImport]:
        """Interrupted imports of these files first (resumed), then one batch for the rest."""
        batches: dict[int, LogImport] = {}
        fresh = []
        for path in paths:
            size, sha256 = digest_file(path)
            earlier = unfinished_import(server=server, sha256=sha256)
            if earlier is not None:
                batches[earlier.pk] = earlier
            else:
                fresh.append(StoredFile(str(path.resolve()), path.name, size, sha256))
        result = list(batches.values())
        if fresh:
            result.append(
                create_import(
                    server=server, files=fresh, timezone_name=timezone, created_by="manage.py"
                )
            )
        return result

    def _progress(self, batch: LogImport) -> None:
        elapsed = max(time.monotonic() - self._started, 1e-6)
        filled = int(BAR_WIDTH * batch.percent / 100)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        sys.stderr.write(
            f"\r[{bar}] {batch.percent:5.1f}%  {batch.bytes_done / 1e6:8.1f} MB  "
            f"{batch.bytes_done / elapsed / 1e6:6.2f} MB/s  {batch.lines / elapsed:9.0f} lines/s"
        )
        sys.stderr.flush()

    def _summary(self, batches: list[LogImport], elapsed: float) -> None:
        total_bytes = sum(b.bytes_done for b in batches)
        out = self.stdout.write
        out(f"Lines:      {sum(b.lines for b in batches)}")
        out(f"Sessions:   {sum(b.sessions_created for b in batches)}")
        out(f"Events:     {sum(b.events_created for b in batches)}")
        out(f"Malformed:  {sum(b.malformed_count for b in batches)}")
        for batch in batches:
            for example in batch.malformed_examples[:5]:
                out(f"  {example['file']}:{example['line']}: {example['text']}")
        skipped = [f.original_name for b in batches for f in b.files.filter(skipped_duplicate=True)]
        if skipped:
            out(f"Skipped (already imported): {', '.join(skipped)}")
        out(f"Elapsed:    {elapsed:.1f} s ({total_bytes / 1e6 / max(elapsed, 1e-6):.2f} MB/s)")
