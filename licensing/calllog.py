"""Buffered writes of the client-call log for the hot path (verify, heartbeat).

Writing one ``ClientEvent`` row per verification in its own transaction costs a commit per
request — the largest part of a verify. Instead each worker process collects rows and writes
them with one ``bulk_create`` per second (or per 500 rows) from a daemon thread. The rows still
end up in the database, so metrics stay identical across workers and hosts; a worker killed
with SIGKILL loses at most its last second of rows (a graceful stop flushes them).

State changes (activations, session starts and ends) never go through this buffer: their log
rows are written in the same transaction as the change. With ``settings.TESTING`` rows are
written at once, so tests see them immediately.
"""

import atexit
import logging
import os
import threading

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

from licensing.models import ClientEvent

logger = logging.getLogger("limon.licensing")

FLUSH_SECONDS = 1.0
MAX_ROWS = 500


class CallLogBuffer:
    def __init__(self, *, flush_seconds: float = FLUSH_SECONDS, max_rows: int = MAX_ROWS):
        self.flush_seconds = flush_seconds
        self.max_rows = max_rows
        self._rows: list[ClientEvent] = []
        self._lock = threading.Lock()
        self._pid = os.getpid()
        self._thread: threading.Thread | None = None

    def add(self, row: ClientEvent) -> None:
        with self._lock:
            if self._pid != os.getpid():  # forked: the parent's rows are not ours to write
                self._rows, self._thread, self._pid = [], None, os.getpid()
            self._rows.append(row)
            full = len(self._rows) >= self.max_rows
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="limon-call-log", daemon=True
                )
                self._thread.start()
        if full:
            self.flush()

    def flush(self) -> int:
        with self._lock:
            rows, self._rows = self._rows, []
        if rows:
            ClientEvent.objects.bulk_create(rows)
        return len(rows)

    def pending(self) -> int:
        with self._lock:
            return len(self._rows)

    def _run(self) -> None:
        stop = threading.Event()
        while not stop.wait(self.flush_seconds):
            try:
                self.flush()
            except Exception:
                logger.exception("could not write the client-call log")
            finally:
                close_old_connections()


_buffer = CallLogBuffer()
atexit.register(lambda: _buffer.flush() if _buffer.pending() else None)


def record(kind: str, result: str, *, license_id=None, activation_id=None) -> None:
    row = ClientEvent(
        at=timezone.now(),
        kind=kind,
        result=result,
        license_id=license_id,
        activation_id=activation_id,
    )
    if getattr(settings, "TESTING", False):
        row.save()
    else:
        _buffer.add(row)


def flush() -> int:
    return _buffer.flush()
