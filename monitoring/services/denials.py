"""The pre-computed denial summary: per server, feature, user and server-local day.

Each import batch adds what it created (only rows new to the database, so a re-import adds
nothing) with one ``INSERT ... ON CONFLICT DO UPDATE SET x = x + excluded.x`` per group,
which PostgreSQL and SQLite both run atomically (on PostgreSQL from a ``COPY``-filled
staging table, one statement per batch).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from django.db import connection

from monitoring.models import DenialSummary
from monitoring.services import pg_copy

_COLUMNS = ("true_denials", "false_denials", "queued", "timeouts", "checkouts")
_EVENT_COLUMN = {"queued": 2, "timeout": 3}


def summary_counts(
    sessions: list[tuple[str, str, datetime]], events: list[tuple[str, str, str, datetime, bool]]
) -> dict[tuple[str, str, date], list[int]]:
    """``(feature, user, day) -> [true, false, queued, timeouts, checkouts]``.

    ``sessions``: (feature, user, local start); ``events``: (feature, user, type, local time,
    is_false_denial).
    """
    groups: dict[tuple[str, str, date], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for feature, user, started in sessions:
        groups[(feature, user, started.date())][4] += 1
    for feature, user, event_type, at, is_false in events:
        if event_type == "denied":
            column = 1 if is_false else 0
        else:
            column = _EVENT_COLUMN.get(event_type)
            if column is None:
                continue
        groups[(feature, user, at.date())][column] += 1
    return groups


def add_to_summary(*, server_id: int, groups: dict[tuple[str, str, date], list[int]]) -> None:
    """Add ``groups`` (see :func:`summary_counts`) to the summary rows of ``server_id``."""
    if not groups:
        return
    rows = [(server_id, f, u, d, *counts) for (f, u, d), counts in sorted(groups.items())]
    if connection.vendor == "postgresql":
        keys = ("server_id", "feature_name", "username", "day")
        pg_copy.add_counts(DenialSummary._meta.db_table, keys, _COLUMNS, rows)
        return
    table = connection.ops.quote_name(DenialSummary._meta.db_table)
    columns = ", ".join(_COLUMNS)
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in _COLUMNS)
    # identifiers are the model's own; values are bound parameters
    sql = (
        f"INSERT INTO {table} (server_id, feature_name, username, day, {columns}) "  # noqa: S608
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) "
        f"ON CONFLICT (server_id, feature_name, username, day) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
