"""Committing a log import's batches while the next one is parsed.

Parsing is Python work; writing a batch is mostly waiting for the database (``COPY``, index
upkeep, the rollups, the commit). ``BatchCommitter`` runs the writes in a second thread with
its own database connection, one batch behind the parser, so the two overlap. Batches are
committed strictly in order, each with its checkpoint, so a kill at any moment still resumes
from the last commit. At most one batch waits, so memory stays bounded.

Inside an open transaction (the test suite's, or a caller's ``atomic``) a second connection
would not see the uncommitted rows, so batches are then committed in the calling thread.
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction


@dataclass(frozen=True)
class Batch:
    """What one commit writes: the drained rows and a snapshot of the parser and tracker
    taken at ``end_offset`` (copied, so parsing on cannot change it)."""

    sessions: list
    events: list
    end_offset: int
    done: bool
    checkpoint: dict
    lines: int
    malformed: int
    malformed_examples: list


def snapshot(value: dict) -> dict:
    """A deep copy of a JSON-able checkpoint."""
    return json.loads(json.dumps(value))


_STOP = object()


class BatchCommitter:
    """``submit`` batches in order; ``commit(batch)`` runs for each, in a writer thread when
    possible. A failed commit stops the import: the next ``submit`` (or leaving the
    ``with`` block) raises its error."""

    def __init__(self, commit: Callable[[Batch], None]):
        self._commit = commit
        self._threaded = not transaction.get_connection().in_atomic_block
        self._queue: queue.Queue = queue.Queue(maxsize=1)
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> BatchCommitter:
        if self._threaded:
            self._thread = threading.Thread(target=self._run, name="limon-log-writer")
            self._thread.start()
        return self

    def submit(self, batch: Batch) -> None:
        self._raise_if_failed()
        if not self._threaded:
            self._commit(batch)
            return
        self._queue.put(batch)

    def __exit__(self, exc_type, exc, tb) -> None:
        if self._thread is not None:
            self._queue.put(_STOP)
            self._thread.join()
        if exc_type is None:
            self._raise_if_failed()

    def _raise_if_failed(self) -> None:
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        try:
            while (batch := self._queue.get()) is not _STOP:
                if self._error is None:
                    try:
                        self._commit(batch)
                    except BaseException as exc:  # handed to the parsing thread
                        self._error = exc
        finally:
            connection.close()
