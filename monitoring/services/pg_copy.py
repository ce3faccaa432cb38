"""PostgreSQL bulk writes for the log import: ``COPY`` into a temporary table, then one
``INSERT ... SELECT ... ON CONFLICT`` into the real one (``COPY`` itself cannot skip rows
that a unique constraint already holds). The temporary table is dropped at commit."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection


def _staged(cursor, table: str, columns: Sequence[str], rows: Iterable[tuple]) -> str:
    stage = f"_stage_{table}"
    names = ", ".join(columns)
    cursor.execute(f"DROP TABLE IF EXISTS {stage}")
    cursor.execute(
        f"CREATE TEMP TABLE {stage} ON COMMIT DROP AS SELECT {names} FROM {table} "  # noqa: S608
        "WITH NO DATA"
    )
    with cursor.cursor.copy(f"COPY {stage} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    return stage


def insert_new(table: str, columns: Sequence[str], rows: Iterable[tuple]) -> set[str]:
    """Insert ``rows`` (``columns`` order, ending with ``fingerprint``) except those a unique
    constraint already holds; returns the fingerprints inserted."""
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        stage = _staged(cursor, table, columns, rows)
        cursor.execute(
            f"INSERT INTO {table} ({names}) SELECT {names} FROM {stage} "  # noqa: S608
            "ON CONFLICT DO NOTHING RETURNING fingerprint"
        )
        return {fingerprint for (fingerprint,) in cursor.fetchall()}


def add_counts(
    table: str, keys: Sequence[str], counts: Sequence[str], rows: Iterable[tuple]
) -> None:
    """Upsert ``rows`` (keys then counts), adding the counts to existing rows."""
    names = ", ".join((*keys, *counts))
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in counts)
    with connection.cursor() as cursor:
        stage = _staged(cursor, table, (*keys, *counts), rows)
        cursor.execute(
            f"INSERT INTO {table} ({names}) SELECT {names} FROM {stage} "  # noqa: S608
            f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"
        )
