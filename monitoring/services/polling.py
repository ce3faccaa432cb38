"""Polling license servers: claim, run the status tool, reconcile, record the poll.

A poller claims a server with a conditional UPDATE on ``poll_claimed_until`` (the lease runs
for the tool timeout plus a margin), so two pollers — threads, qcluster workers, hosts — never
poll one server at once. A successful poll is written in one transaction (see
``monitoring.services.reconcile``); a failed one (timeout, tool missing, "Cannot connect",
server down) marks the server ``down`` with the error and a failed PollRun, and leaves every
open session open: an outage is not a check-in.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connections, transaction
from django.db.models import Q
from django.utils import timezone

from limon_site import audit, config
from limon_site.errors import Conflict
from monitoring.conf import MONITORING, TOOLS
from monitoring.models import LicenseServer, PollRun, ServerStatus
from monitoring.parsers.model import StatusReport
from monitoring.services.reconcile import Outcome, reconcile, server_zone
from monitoring.services.rollups import refresh_server
from monitoring.tools import ToolError, run_status_tool, tool_kind

logger = logging.getLogger("monitoring.polling")

#: Seconds a claim outlives the tool timeout: time to parse and write the poll.
CLAIM_MARGIN_SECONDS = 60

#: SQLite has one writer, and its shared in-memory test database answers "table is locked"
#: instead of waiting: poll threads of one process take turns for their database work there
#: (the tools still run side by side). Claims, not this lock, keep pollers apart.
_sqlite_turn = threading.Lock()


def _database_turn():
    return _sqlite_turn if connections["default"].vendor == "sqlite" else nullcontext()


@dataclass(frozen=True)
class PollResult:
    """What ``poll_all`` reports per server: the PollRun, or ``None`` when another poller held
    the server (``skipped``) or the poll crashed (``error``)."""

    server_name: str
    run: PollRun | None
    error: str = ""

    @property
    def skipped(self) -> bool:
        return self.run is None and not self.error


def claim_server(server_id: int, *, timeout_seconds: float) -> datetime | None:
    """Take the poll lease of an active server; the lease's end, or ``None`` when another
    poller holds an unexpired one (or the server is decommissioned)."""
    moment = timezone.now()
    until = moment + timedelta(seconds=timeout_seconds + CLAIM_MARGIN_SECONDS)
    claimed = (
        LicenseServer.objects.filter(pk=server_id, is_active=True)
        .filter(Q(poll_claimed_until__isnull=True) | Q(poll_claimed_until__lte=moment))
        .update(poll_claimed_until=until)
    )
    return until if claimed else None


def release_claim(server_id: int, until: datetime) -> None:
    """Give the lease back, unless it expired and someone else took it since."""
    LicenseServer.objects.filter(pk=server_id, poll_claimed_until=until).update(
        poll_claimed_until=None
    )


def _report_error(report: StatusReport) -> str:
    if report.error:
        return report.error
    if report.is_up:
        return ""
    reasons = [f"{n.host}: {n.error or n.message}" for n in report.servers if n.error or n.message]
    return "; ".join(reasons) or "License server is down (no server or vendor daemon up)"


def _unparsed(report: StatusReport | None) -> dict:
    if report is None:
        return {"unparsed_count": 0, "unparsed_examples": []}
    return {
        "unparsed_count": report.unparsed_count,
        "unparsed_examples": [[number, text] for number, text in report.unparsed],
    }


def _nodes(report: StatusReport) -> list[dict]:
    return [
        {
            "host": node.host,
            "port": node.port,
            "up": node.up,
            "master": node.is_master,
            "version": node.version,
        }
        for node in report.servers
    ]


def _poll_claimed(server: LicenseServer, now: datetime, timeout: float, tools: dict) -> PollRun:
    started = time.monotonic()
    try:
        text = run_status_tool(server, timeout=timeout, tools=tools)
    except ToolError as exc:
        return record_poll(server, text=None, error=str(exc), now=now, started=started)
    return record_poll(server, text=text, now=now, started=started)


def record_poll(
    server: LicenseServer,
    *,
    text: str | None,
    now: datetime,
    started: float,
    error: str = "",
) -> PollRun:
    """Parse the tool's ``text`` and write the poll of a claimed server in one transaction:
    a reconcile when the report is good, a failure (server ``down``, sessions untouched)
    when ``error`` is given or the report says the server is down. ``started`` is the
    ``time.monotonic()`` of the poll's start, for its duration."""
    report: StatusReport | None = None
    try:
        tool = tool_kind(server.kind)
    except ToolError as exc:
        text, error = None, error or str(exc)
    if text is not None:
        local_now = now.astimezone(server_zone(server)).replace(tzinfo=None)
        report = tool.parser(text.splitlines(), now=local_now)
        error = error or _report_error(report)
    with _database_turn(), transaction.atomic():
        if error:
            outcome = Outcome(features=0, sessions_opened=0, sessions_closed=0)
            fields = {"status": ServerStatus.DOWN, "last_error": error}
            if report is not None:
                fields["nodes"] = _nodes(report)
        else:
            outcome = reconcile(server=server, report=report, tool=tool, now=now)
            fields = {
                "status": ServerStatus.UP,
                "last_error": "",
                "nodes": _nodes(report),
                "last_success_at": now,
            }
        refresh_server(server, now=now, since=outcome.earliest_start)
        duration_ms = int((time.monotonic() - started) * 1000)
        LicenseServer.objects.filter(pk=server.pk).update(
            last_polled_at=now, last_poll_duration_ms=duration_ms, **fields
        )
        return PollRun.objects.create(
            server=server,
            polled_at=now,
            duration_ms=duration_ms,
            ok=not error,
            error=error,
            features=outcome.features,
            sessions_opened=outcome.sessions_opened,
            sessions_closed=outcome.sessions_closed,
            **_unparsed(report),
        )


def _log(server: LicenseServer, run: PollRun) -> None:
    logger.log(
        logging.INFO if run.ok else logging.WARNING,
        "poll server=%s ok=%s duration_ms=%d features=%d sessions_opened=%d "
        "sessions_closed=%d error=%r",
        server.name,
        run.ok,
        run.duration_ms,
        run.features,
        run.sessions_opened,
        run.sessions_closed,
        run.error,
        extra={
            "server": server.name,
            "ok": run.ok,
            "duration_ms": run.duration_ms,
            "features": run.features,
            "sessions_opened": run.sessions_opened,
            "sessions_closed": run.sessions_closed,
            "error": run.error,
        },
    )


def poll_server(server_id: int, *, now: datetime | None = None) -> PollRun | None:
    """Poll one server at instant ``now`` (default: the current time).

    Returns the PollRun, the existing one when this instant was already polled (a repeated
    poll changes nothing), or ``None`` when another poller holds the server or it is
    decommissioned.
    """
    now = now or timezone.now()
    with _database_turn():
        timeout = config.get(MONITORING)["poll_timeout_seconds"]
        until = claim_server(server_id, timeout_seconds=timeout)
        if until is None:
            logger.info("poll server_id=%s skipped: claimed by another poller", server_id)
            return None
        try:
            done = PollRun.objects.filter(server_id=server_id, polled_at=now).first()
            server = LicenseServer.objects.select_related("site").get(pk=server_id)
            tools = config.get(TOOLS)
        except BaseException:
            release_claim(server_id, until)
            raise
    if done is not None:
        with _database_turn():
            release_claim(server_id, until)
        return done
    try:
        run = _poll_claimed(server, now, timeout, tools)
    finally:
        with _database_turn():
            release_claim(server_id, until)
    _log(server, run)
    return run


def _poll_in_thread(server_id: int, name: str, now: datetime) -> PollResult:
    try:
        return PollResult(server_name=name, run=poll_server(server_id, now=now))
    except Exception as exc:
        logger.exception("poll server=%s crashed", name)
        return PollResult(server_name=name, run=None, error=f"{type(exc).__name__}: {exc}")
    finally:
        connections.close_all()


def poll_all(
    *,
    server_names: list[str] | None = None,
    now: datetime | None = None,
    on_result: Callable[[PollResult], None] | None = None,
) -> list[PollResult]:
    """Poll every active server (or the active ones among ``server_names``) at one instant,
    ``monitoring.poll_concurrency`` at a time. Each poll runs in its own thread with its own
    database connection, so a slow or failing server delays and breaks nobody else.
    ``on_result`` is called in the calling thread as each poll finishes; the returned list
    is sorted by server name."""
    now = now or timezone.now()
    servers = LicenseServer.objects.filter(is_active=True)
    if server_names is not None:
        servers = servers.filter(name__in=server_names)
    targets = list(servers.order_by("name").values_list("id", "name"))
    if not targets:
        return []
    workers = min(config.get(MONITORING)["poll_concurrency"], len(targets))
    results = []
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="limon-poll") as pool:
        futures = [pool.submit(_poll_in_thread, pk, name, now) for pk, name in targets]
        for future in as_completed(futures):
            result = future.result()
            results.append(result)
            if on_result is not None:
                on_result(result)
    return sorted(results, key=lambda result: result.server_name)


def poll_now(server: LicenseServer, *, actor) -> PollRun:
    """Test reachability: poll ``server`` now and return what was found (the panel's and the
    admin API's "Poll now"). Audited, since it runs the status tool on a staff member's behalf.
    409 when the server is decommissioned or another poller holds it."""
    if not server.is_active:
        raise Conflict(
            f"Server {server.name} is decommissioned: reactivate it to poll it",
            code="SERVER_DECOMMISSIONED",
            details={"server_id": server.pk},
        )
    run = poll_server(server.pk)
    if run is None:
        raise Conflict(
            f"Server {server.name} is being polled right now; try again in a moment",
            code="POLL_IN_PROGRESS",
            details={"server_id": server.pk},
        )
    server.refresh_from_db()
    run.server = server
    audit.record(
        actor=actor,
        action="server.polled",
        target_type="server",
        target_id=server.pk,
        changes={"ok": run.ok, "error": run.error, "features": run.features},
    )
    return run
