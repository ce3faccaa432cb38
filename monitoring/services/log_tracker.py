"""Turns the records of a debug log into session and event rows (no database here).

:class:`CheckoutTracker` holds what a log means at one point of the stream: the checkouts
still out, checkouts just returned that a reconnect may still continue, denials waiting
for their look-ahead window, and the last checkout time of each user and feature. Its
``to_dict()`` goes into the file's checkpoint, so a resumed import continues with exactly
the state an uninterrupted one would have at that offset.

Rules (``docs/log-import.md`` explains them for operators):

* **Pairs.** An ``IN`` closes the oldest open checkout of the same daemon, feature, user
  and host (preferring one with the same license count). An ``IN`` without an open
  checkout (taken out before the log starts) is counted in ``orphan_ins`` and ignored.
* **Reconnect noise.** An ``IN`` followed within ``RECONNECT_SECONDS`` by an ``OUT`` of the
  same daemon, feature, user and host is one session: the ``OUT`` continues it. ``IN
  (INACTIVE)`` is the server reclaiming an idle license and is never merged.
* **Rereads.** After ``Rereading license file`` the daemon logs again the checkouts that
  are out. For ``REREAD_SECONDS`` after a reread, an ``OUT`` whose daemon, feature, user
  and host match a checkout already open is that re-log: counted in
  ``reread_duplicates`` and ignored. A reread of ``lmgrd`` covers every daemon.
* **Restarts.** A vendor's stop, start or restart closes that vendor's open checkouts at
  that moment (``closed_by_restart``); an lmgrd start or stop closes all of them.
* **End of file.** Checkouts still out stay open in the checkpoint; a later log of the
  same server continues them: the importer passes the previous log's end state as
  ``inherit``. When the new log's first dated line falls inside the previous log (a
  rotated log that overlaps it), its lines up to the previous log's last second (the
  high-water mark) are skipped, since their sessions and events are already stored; when
  it starts after the previous log, the open checkouts carry over; when it starts before
  the previous log (an older log imported late), nothing carries over.
* **Timeouts.** ``IN ... (INACTIVE)`` closes the session *and* is a ``timeout`` event.
* **False denials.** A denial is false when the same user obtained the same feature
  (an ``OUT``, reread re-logs excepted) from ``before`` seconds before to ``after``
  seconds after it. A denial waits until the stream has passed ``after`` seconds beyond
  it; at the end of the file the waiting ones are decided with what is known.
* **Fingerprints.** sha256 of the local time, the raw line and its occurrence number
  among identical lines of that second: the same line of two overlapping logs has the
  same fingerprint, and the database keeps it once.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from monitoring.parsers.log_records import (
    DAEMON_RESTART,
    DAEMON_START,
    DAEMON_STOP,
    DENIED,
    DEQUEUED,
    IN,
    OUT,
    QUEUED,
    REREAD,
    UNSUPPORTED,
    LogRecord,
)

RECONNECT_SECONDS = 2
REREAD_SECONDS = 60
LMGRD = "lmgrd"

EVENT_TYPES = {DENIED: "denied", QUEUED: "queued", DEQUEUED: "dequeued", UNSUPPORTED: "unsupported"}
STAT_KEYS = ("orphan_ins", "reconnects", "reread_duplicates", "closed_by_restart", "undated",
             "overlap_skipped")  # fmt: skip

# Open checkout: [fingerprint, started (ISO), licenses, detail]
# Session row:  (fingerprint, daemon, feature, user, host, licenses, detail, started, ended,
#                closed_by_restart)   — datetimes naive server-local
# Event row:    (fingerprint, daemon, feature, user, host, type, reason, at, is_false_denial)


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def _dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


class CheckoutTracker:
    def __init__(self, *, before_seconds: int, after_seconds: int, state: dict | None = None):
        state = state or {}
        self.before = timedelta(seconds=before_seconds)
        self.after = timedelta(seconds=after_seconds)
        self.reconnect = timedelta(seconds=RECONNECT_SECONDS)
        #: (daemon, feature, user, host) -> open checkouts, oldest first
        self.open: dict[tuple, list[list]] = {}
        for daemon, feature, user, host, *entry in state.get("open", []):
            self.open.setdefault((daemon, feature, user, host), []).append(entry)
        self.open_fingerprints = {e[0] for entries in self.open.values() for e in entries}
        #: key -> [entry, ended ISO] returned less than RECONNECT_SECONDS ago
        self.closing: dict[tuple, list] = {
            tuple(key): [entry, ended] for key, entry, ended in state.get("closing", [])
        }
        #: [fingerprint, daemon, feature, user, host, reason, at ISO, obtained]
        self.pending: list[list] = [list(p) for p in state.get("pending", [])]
        self.last_out: dict[tuple, datetime] = {
            (user, feature): _dt(at) for user, feature, at in state.get("last_out", [])
        }
        self.reread_until: dict[str, datetime] = {
            daemon: _dt(at) for daemon, at in state.get("reread_until", {}).items()
        }
        self.now: datetime | None = _dt(state["now"]) if state.get("now") else None
        self.second: str | None = state.get("second")
        self.occurrences: dict[str, int] = dict(state.get("occurrences", {}))
        self.stats = {key: state.get("stats", {}).get(key, 0) for key in STAT_KEYS}
        self.first: str | None = state.get("first")
        self.inherit: dict | None = state.get("inherit")
        self.skip_until: datetime | None = (
            _dt(state["skip_until"]) if state.get("skip_until") else None
        )
        self.sessions: list[tuple] = []
        self.events: list[tuple] = []

    # -- checkpoint --------------------------------------------------------------------
    def to_dict(self) -> dict:
        horizon = self.now - self.before if self.now else None
        return {
            "open": [list(key) + entry for key, entries in self.open.items() for entry in entries],
            "closing": [[list(key), entry, ended] for key, (entry, ended) in self.closing.items()],
            "pending": self.pending,
            "last_out": [
                [user, feature, _iso(at)]
                for (user, feature), at in self.last_out.items()
                if horizon is None or at >= horizon
            ],
            "reread_until": {daemon: _iso(at) for daemon, at in self.reread_until.items()},
            "now": _iso(self.now) if self.now else None,
            "second": self.second,
            "occurrences": self.occurrences,
            "stats": dict(self.stats),
            "first": self.first,
            "inherit": self.inherit,
            "skip_until": _iso(self.skip_until) if self.skip_until else None,
        }

    def drain(self) -> tuple[list[tuple], list[tuple]]:
        sessions, events = self.sessions, self.events
        self.sessions, self.events = [], []
        return sessions, events

    # -- stream ------------------------------------------------------------------------
    def feed(self, record: LogRecord) -> None:
        at = record.at
        if at is None:
            self.stats["undated"] += 1
            return
        if self.first is None:
            self._start(at)
        if self.skip_until is not None:
            if at <= self.skip_until:
                self.stats["overlap_skipped"] += 1
                return
            self.skip_until = None
        if self.now is None or at > self.now:
            self.now = at
            if self.closing or self.pending:
                self._expire(at)
        kind = record.kind
        if kind == OUT:
            self._out(record, at)
        elif kind == IN:
            self._in(record, at)
        elif kind in EVENT_TYPES:
            self._event(record, at, EVENT_TYPES[kind])
        elif kind in (DAEMON_START, DAEMON_STOP, DAEMON_RESTART):
            self._restart(record.daemon, at)
        elif kind == REREAD:
            self.reread_until[record.daemon] = at + timedelta(seconds=REREAD_SECONDS)

    def finish(self) -> None:
        """End of the file: returned checkouts and waiting denials are final."""
        for key in list(self.closing):
            self._close_returned(key)
        for pending in self.pending:
            self._emit_denial(pending)
        self.pending = []
        self.reread_until = {}

    # -- rules -------------------------------------------------------------------------
    def _start(self, at: datetime) -> None:
        """First dated record: continue the previous log of the server when this one
        overlaps or follows it (see the module docstring)."""
        self.first = _iso(at)
        inherit, self.inherit = self.inherit, None
        if not inherit or not inherit.get("first") or self.first < inherit["first"]:
            return
        for daemon, feature, user, host, *entry in inherit.get("open", []):
            self._add_open((daemon, feature, user, host), entry)
        if inherit.get("now") and self.first <= inherit["now"]:
            self.skip_until = _dt(inherit["now"])

    def _fingerprint(self, record: LogRecord, at: datetime) -> str:
        second = _iso(at)
        if second != self.second:
            self.second = second
            self.occurrences = {}
        count = self.occurrences.get(record.raw, 0)
        self.occurrences[record.raw] = count + 1
        text = f"{second}\n{record.raw.rstrip()}\n{count}"
        return hashlib.sha256(text.encode()).hexdigest()

    def _out(self, record: LogRecord, at: datetime) -> None:
        fingerprint = self._fingerprint(record, at)
        if fingerprint in self.open_fingerprints:
            return  # the same line from an overlapping earlier log, already open
        key = (record.daemon, record.feature, record.user, record.host)
        if self.open.get(key) and self._rereading(record.daemon, at):
            self.stats["reread_duplicates"] += 1
            return
        self._obtained(record.user, record.feature, at)
        returned = self.closing.pop(key, None)
        if returned is not None:
            self.stats["reconnects"] += 1
            self._add_open(key, returned[0])
            return
        entry = [fingerprint, _iso(at), record.licenses, record.detail or ""]
        self._add_open(key, entry)

    def _in(self, record: LogRecord, at: datetime) -> None:
        key = (record.daemon, record.feature, record.user, record.host)
        inactive = "inactive" in record.flags
        if inactive:
            self._event(record, at, "timeout")
        entries = self.open.get(key)
        if not entries:
            self.stats["orphan_ins"] += 1
            return
        index = next((i for i, entry in enumerate(entries) if entry[2] == record.licenses), 0)
        entry = entries.pop(index)
        if not entries:
            del self.open[key]
        self.open_fingerprints.discard(entry[0])
        if inactive:
            self._emit_session(key, entry, at, by_restart=False)
            return
        if key in self.closing:
            self._close_returned(key)
        self.closing[key] = [entry, _iso(at)]

    def _event(self, record: LogRecord, at: datetime, event_type: str) -> None:
        fingerprint = self._fingerprint(record, at)
        if event_type == "timeout":
            fingerprint = hashlib.sha256(f"timeout {fingerprint}".encode()).hexdigest()
        user, feature = record.user or "", record.feature or ""
        if event_type == "denied":
            last = self.last_out.get((user, feature))
            obtained = last is not None and last >= at - self.before
            host, reason = record.host or "", record.reason or ""
            pending = [fingerprint, record.daemon, feature, user, host, reason, _iso(at), obtained]
            if pending[7] or not self.after:
                self._emit_denial(pending)
            else:
                self.pending.append(pending)
            return
        reason = record.reason or ("INACTIVE" if event_type == "timeout" else "")
        if event_type == "unsupported" and record.detail:
            reason = f"{reason} (host id {record.detail.strip()})".strip()
        self.events.append(
            (fingerprint, record.daemon, feature, user, record.host or "", event_type, reason,
             at, None)
        )  # fmt: skip

    def _restart(self, daemon: str, at: datetime) -> None:
        everyone = daemon == LMGRD
        for key in [k for k in self.closing if everyone or k[0] == daemon]:
            self._close_returned(key)
        for key in [k for k in self.open if everyone or k[0] == daemon]:
            for entry in self.open.pop(key):
                self.open_fingerprints.discard(entry[0])
                self.stats["closed_by_restart"] += 1
                self._emit_session(key, entry, at, by_restart=True)
        if everyone:
            self.reread_until = {}
        else:
            self.reread_until.pop(daemon, None)

    # -- helpers -----------------------------------------------------------------------
    def _rereading(self, daemon: str, at: datetime) -> bool:
        for name in (daemon, LMGRD):
            until = self.reread_until.get(name)
            if until is not None:
                if at <= until:
                    return True
                del self.reread_until[name]
        return False

    def _obtained(self, user: str, feature: str, at: datetime) -> None:
        self.last_out[(user, feature)] = at
        if not self.pending:
            return
        earliest = _iso(at - self.after)
        for pending in self.pending:
            if pending[3] == user and pending[2] == feature and pending[6] >= earliest:
                pending[7] = True

    def _expire(self, now: datetime) -> None:
        if self.closing:
            limit = _iso(now - self.reconnect)
            for key in [k for k, (_, ended) in self.closing.items() if ended < limit]:
                self._close_returned(key)
        if self.pending:
            limit = _iso(now - self.after)
            waiting = []
            for pending in self.pending:
                if pending[6] < limit:
                    self._emit_denial(pending)
                else:
                    waiting.append(pending)
            self.pending = waiting

    def _add_open(self, key: tuple, entry: list) -> None:
        self.open.setdefault(key, []).append(entry)
        self.open_fingerprints.add(entry[0])

    def _close_returned(self, key: tuple) -> None:
        entry, ended = self.closing.pop(key)
        self._emit_session(key, entry, _dt(ended), by_restart=False)

    def _emit_session(self, key: tuple, entry: list, ended: datetime, *, by_restart: bool):
        fingerprint, started, licenses, detail = entry
        started_at = _dt(started)
        self.sessions.append(
            (fingerprint, *key, licenses, detail, started_at, max(ended, started_at), by_restart)
        )

    def _emit_denial(self, pending: list) -> None:
        fingerprint, daemon, feature, user, host, reason, at, obtained = pending
        self.events.append(
            (fingerprint, daemon, feature, user, host, "denied", reason, _dt(at), bool(obtained))
        )
