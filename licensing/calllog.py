"""Buffered bookkeeping writes of the hot path (verify, heartbeat).

Writing one ``ClientEvent`` row and one ``last_heartbeat`` update per verification, each in its
own transaction, costs several round trips and a commit per request — most of a verify. Instead
each worker process collects them and writes them from a daemon thread once a second (or every
500 items): one ``bulk_create`` for the call-log rows, one ``bulk_update`` for the activations'
``last_heartbeat``, committed without waiting for the WAL flush (``relaxed_durability``). The
data still ends up in the database, so metrics are identical across workers and hosts; a worker
killed with SIGKILL loses at most its last second of them (a graceful stop flushes).

State changes (activations, session starts and ends) never go through this buffer: their rows
are written in the same transaction as the change. With ``settings.TESTING`` everything is
written at once, so tests see it immediately.
"""

import atexit
import logging
import os
import threading
from datetime import datetime

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

from licensing.events import relaxed_durability
from licensing.models import Activation, ClientEvent

logger = logging.getLogger("limon.licensing")

FLUSH_SECONDS = 1.0
MAX_ITEMS = 500


class HotPathBuffer:
    def __init__(self, *, flush_seconds: float = FLUSH_SECONDS, max_items: int = MAX_ITEMS):
        self.flush_seconds = flush_seconds
        self.max_items = max_items
        self._rows: list[ClientEvent] = []
        self._touches: dict[int, tuple[datetime, str]] = {}
        self._lock = threading.Lock()
        self._pid = os.getpid()
        self._thread: threading.Thread | None = None

    def add_row(self, row: ClientEvent) -> None:
        with self._lock:
            self._check_fork()
            self._rows.append(row)
            full = len(self._rows) >= self.max_items
        if full:
            self.flush()

    def add_touch(self, activation_id: int, at: datetime, app_version: str) -> None:
        with self._lock:
            self._check_fork()
            self._touches[activation_id] = (at, app_version)
            full = len(self._touches) >= self.max_items
        if full:
            self.flush()

    def _check_fork(self) -> None:
        if self._pid != os.getpid():  # forked: the parent's items are not ours to write
            self._rows, self._touches, self._thread = [], {}, None
            self._pid = os.getpid()
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="limon-hot-path", daemon=True)
            self._thread.start()

    def flush(self) -> int:
        with self._lock:
            rows, self._rows = self._rows, []
            touches, self._touches = self._touches, {}
        if not rows and not touches:
            return 0
        with relaxed_durability():
            ClientEvent.objects.bulk_create(rows)
            plain = [
                Activation(pk=pk, last_heartbeat=at) for pk, (at, v) in touches.items() if not v
            ]
            versioned = [
                Activation(pk=pk, last_heartbeat=at, app_version=version)
                for pk, (at, version) in touches.items()
                if version
            ]
            Activation.objects.bulk_update(plain, ["last_heartbeat"])
            Activation.objects.bulk_update(versioned, ["last_heartbeat", "app_version"])
        return len(rows) + len(touches)

    def pending(self) -> int:
        with self._lock:
            return len(self._rows) + len(self._touches)

    def _run(self) -> None:
        stop = threading.Event()
        while not stop.wait(self.flush_seconds):
            try:
                self.flush()
            except Exception:
                logger.exception("could not write the hot-path bookkeeping")
            finally:
                close_old_connections()


_buffer = HotPathBuffer()
atexit.register(lambda: _buffer.flush() if _buffer.pending() else None)


def _immediate() -> bool:
    return bool(getattr(settings, "TESTING", False))


def record(kind: str, result: str, *, license_id=None, activation_id=None) -> None:
    """Log one client call (``ClientEvent``)."""
    row = ClientEvent(
        at=timezone.now(),
        kind=kind,
        result=result,
        license_id=license_id,
        activation_id=activation_id,
    )
    if _immediate():
        row.save()
    else:
        _buffer.add_row(row)


def touch_activation(activation_id: int, at: datetime, app_version: str = "") -> None:
    """Set an activation's ``last_heartbeat`` (and reported ``app_version`` when given)."""
    if _immediate():
        changes = {"last_heartbeat": at, **({"app_version": app_version} if app_version else {})}
        Activation.objects.filter(pk=activation_id).update(**changes)
    else:
        _buffer.add_touch(activation_id, at, app_version)


def flush() -> int:
    return _buffer.flush()
