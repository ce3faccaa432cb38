"""Bulk writes for the poll hot path (bench/poll.py measures them).

On PostgreSQL these skip what makes Django's bulk helpers slow at poll sizes: ``bulk_update``
builds a ``CASE WHEN`` per row and field (about a millisecond each), and ``bulk_create``
instantiates and prepares one model object per row. Here an update is one
``UPDATE … FROM (VALUES …)`` (also on SQLite) and an insert one
``INSERT … SELECT FROM UNNEST(arrays)``.
Lookups by thousands of keys pass one array (``= ANY(%s)``) instead of thousands of ``IN``
parameters. Elsewhere (SQLite) every helper falls back to the ORM.
Table and column names come from model metadata, never from input.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from django.db import connection
from django.db.models import Q

BATCH = 1000


def _quoted(model, fields: Sequence[str]):
    meta, quote = model._meta, connection.ops.quote_name
    columns = [meta.get_field(name) for name in fields]
    return quote(meta.db_table), columns, quote


def bulk_update(model, objects: list, fields: list[str]) -> None:
    """``Model.objects.bulk_update(objects, fields)`` as
    ``WITH v (…) AS (VALUES …) UPDATE table SET … FROM v WHERE table.id = v.id`` (PostgreSQL,
    and SQLite from 3.33; older SQLite falls back to the ORM)."""
    if not objects:
        return
    postgres = connection.vendor == "postgresql"
    if not postgres and (connection.vendor != "sqlite" or sqlite3.sqlite_version_info < (3, 33)):
        model.objects.bulk_update(objects, fields, batch_size=BATCH)
        return
    table, columns, quote = _quoted(model, [model._meta.pk.name, *fields])
    key = quote(columns[0].column)
    casts = [f"::{column.db_type(connection)}" if postgres else "" for column in columns]
    row = "(" + ", ".join(f"%s{cast}" for cast in casts) + ")"
    names = ", ".join(quote(column.column) for column in columns)
    assignments = ", ".join(f"{quote(c.column)} = v.{quote(c.column)}" for c in columns[1:])
    limit = connection.features.max_query_params or BATCH * len(columns)
    size = max(1, min(BATCH, limit // len(columns)))
    with connection.cursor() as cursor:
        for start in range(0, len(objects), size):
            chunk = objects[start : start + size]
            params = [
                column.get_db_prep_save(getattr(obj, column.attname), connection)
                for obj in chunk
                for column in columns
            ]
            cursor.execute(
                f"WITH v ({names}) AS (VALUES {', '.join([row] * len(chunk))}) "  # noqa: S608
                f"UPDATE {table} SET {assignments} FROM v WHERE {table}.{key} = v.{key}",
                params,
            )


def bulk_insert(
    model, fields: list[str], rows: list[tuple], *, ignore_conflicts: bool = False
) -> None:
    """Insert ``rows`` (tuples of plain values in ``fields`` order, foreign keys as ids by
    their ``attname``, e.g. ``feature_id``) without building model objects. Model defaults
    are not applied on PostgreSQL: ``fields`` must name every NOT NULL column."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            [model(**dict(zip(fields, row, strict=True))) for row in rows],
            ignore_conflicts=ignore_conflicts,
            batch_size=BATCH,
        )
        return
    meta = model._meta
    table, quote = connection.ops.quote_name(meta.db_table), connection.ops.quote_name
    columns = [next(f for f in meta.concrete_fields if f.attname == name) for name in fields]
    names = ", ".join(quote(column.column) for column in columns)
    arrays = ", ".join(f"%s::{column.db_type(connection)}[]" for column in columns)
    conflict = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH * 5):
            chunk = rows[start : start + BATCH * 5]
            cursor.execute(
                f"INSERT INTO {table} ({names}) "  # noqa: S608 - names from model metadata
                f"SELECT * FROM UNNEST({arrays}){conflict}",
                [list(values) for values in zip(*chunk, strict=True)],
            )


def column_map(model, key: str, value: str, keys: list) -> dict:
    """``{key: value}`` of the rows whose ``key`` is one of ``keys``. On PostgreSQL the keys
    travel as one array (``= ANY(%s)``) rather than thousands of ``IN`` parameters."""
    if not keys:
        return {}
    if connection.vendor != "postgresql":
        queryset = model.objects.filter(**{f"{key}__in": keys}).order_by()
        return dict(queryset.values_list(key, value))
    table, (key_column, value_column), quote = _quoted(model, [key, value])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote(key_column.column)}, {quote(value_column.column)} "  # noqa: S608
            f"FROM {table} WHERE {quote(key_column.column)} = ANY(%s)",
            [list(keys)],
        )
        return dict(cursor.fetchall())


def move_forward(model, field: str, ids: list[int], moment) -> None:
    """Set the timestamp ``field`` of rows ``ids`` to ``moment`` where it is empty or older."""
    if not ids:
        return
    if connection.vendor != "postgresql":
        older = Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lt": moment})
        model.objects.filter(older, pk__in=ids).update(**{field: moment})
        return
    table, (column,), quote = _quoted(model, [field])
    name = quote(column.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {name} = %s "  # noqa: S608 - names from model metadata
            f"WHERE {quote(model._meta.pk.column)} = ANY(%s) AND ({name} IS NULL OR {name} < %s)",
            [moment, sorted(ids), moment],
        )
