"""One import at a time per license server.

Logs of one server are imported in order: each picks up the checkouts the previous one left
open, so two imports of the same server must never interleave. The lock lives outside Python
memory and dies with its holder, so a killed worker never leaves a server locked:

* PostgreSQL: a session-level advisory lock (``pg_advisory_lock``), held by the database
  for the importer's connection and released when that connection ends — on any host.
* SQLite (one host by nature): an exclusive ``flock`` on ``VAR_DIR/log-imports/server-N.lock``,
  released by the kernel when the process dies.

A second importer waits for the first instead of failing: an upload queued while another
import of the same server runs simply starts after it.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

#: First key of the two-key advisory lock: the namespace of log-import locks.
ADVISORY_NAMESPACE = 0x4C494D  # "LIM"


@contextmanager
def server_import_lock(server_id: int) -> Iterator[None]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [ADVISORY_NAMESPACE, server_id])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [ADVISORY_NAMESPACE, server_id])
        return
    folder = Path(settings.VAR_DIR) / "log-imports"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"server-{server_id}.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
