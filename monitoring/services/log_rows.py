"""Database side of a log import batch: features and users created as needed on the
server, and sessions and events written in bulk (PostgreSQL: ``COPY`` through a staging
table; elsewhere large ``bulk_create`` calls), leaving out fingerprints the server already
has and returning only the rows that were new (so counts and the summary see those)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import connection

from monitoring.models import (
    Event,
    Feature,
    LicenseServer,
    LicenseUser,
    LogImport,
    Session,
    SessionSource,
    SessionStatus,
    UserSource,
)
from monitoring.services import pg_copy

BULK_SIZE = 5000
SESSION_COLUMNS = ("server_id", "feature_id", "user_id", "host", "display", "licenses",
                   "version", "handle", "borrowed", "started_at", "ended_at", "status", "source",
                   "closed_by_restart", "fingerprint")  # fmt: skip
EVENT_COLUMNS = ("server_id", "feature_id", "feature_name", "username", "host", "type",
                 "reason", "occurred_at", "is_false_denial", "log_import_id",
                 "fingerprint")  # fmt: skip


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


class RowWriter:
    def __init__(self, *, server: LicenseServer, log_import: LogImport, zone: ZoneInfo):
        self.server = server
        self.log_import = log_import
        self.zone = zone
        self.feature_ids: dict[tuple[str, str], int] = {}
        self.user_ids: dict[str, int] = {}
        #: SQLite allows 999 bound parameters in older builds; PostgreSQL many more.
        self.in_size = 900 if connection.vendor == "sqlite" else 10_000

    def _aware(self, local: datetime) -> datetime:
        return local.replace(tzinfo=self.zone)

    # -- lookups -----------------------------------------------------------------------
    def _features(self, keys: set[tuple[str, str]]) -> None:
        missing = {(v[:100], n[:200]) for v, n in keys} - self.feature_ids.keys()
        if not missing:
            return
        names = sorted({name for _, name in missing})
        for chunk in _chunks(names, self.in_size):
            for pk, vendor, name in Feature.objects.filter(
                server=self.server, name__in=chunk
            ).values_list("id", "vendor", "name"):
                self.feature_ids[(vendor, name)] = pk
        new = missing - self.feature_ids.keys()
        if not new:
            return
        Feature.objects.bulk_create(
            [Feature(server=self.server, vendor=v, name=n, issued=None) for v, n in sorted(new)],
            ignore_conflicts=True,
        )
        self._features(new)

    def _users(self, names: set[str]) -> None:
        missing = {n[:150] for n in names} - self.user_ids.keys()
        if not missing:
            return
        for chunk in _chunks(sorted(missing), self.in_size):
            self.user_ids.update(
                LicenseUser.objects.filter(username__in=chunk).values_list("username", "id")
            )
        new = missing - self.user_ids.keys()
        if not new:
            return
        LicenseUser.objects.bulk_create(
            [LicenseUser(username=n, source=UserSource.LOG) for n in sorted(new)],
            ignore_conflicts=True,
        )
        self._users(new)

    def _new(self, model, rows: list[tuple]) -> list[tuple]:
        """Rows whose fingerprint (first item) the server does not have yet, once each."""
        unique = {}
        for row in rows:
            unique.setdefault(row[0], row)
        existing: set[str] = set()
        for chunk in _chunks(list(unique), self.in_size):
            existing.update(
                model.objects.filter(server=self.server, fingerprint__in=chunk).values_list(
                    "fingerprint", flat=True
                )
            )
        return [row for fp, row in unique.items() if fp not in existing]

    # -- writes ------------------------------------------------------------------------
    def write_sessions(self, rows: list[tuple]) -> list[tuple]:
        """Store new session rows (see ``log_tracker``); returns the ones stored."""
        rows = self._unique_or_new(Session, rows)
        if not rows:
            return rows
        self._features({(r[1], r[2]) for r in rows})
        self._users({r[3] for r in rows})
        aware, server_id = self._aware, self.server.pk
        values = [
            (server_id, self.feature_ids[(daemon[:100], feature[:200])], self.user_ids[user[:150]],
             host[:200], detail[:200], licenses, "", "", False, aware(started), aware(ended),
             SessionStatus.ARCHIVED.value, SessionSource.LOG.value, by_restart, fingerprint)
            for (fingerprint, daemon, feature, user, host, licenses, detail, started, ended,
                 by_restart) in rows
        ]  # fmt: skip
        return self._store(Session, SESSION_COLUMNS, rows, values)

    def span(self, rows: list[tuple]) -> tuple[set[int], datetime, datetime] | None:
        """The features and the time range of stored session rows, for the rollups."""
        if not rows:
            return None
        features = {self.feature_ids[(r[1][:100], r[2][:200])] for r in rows}
        return features, self._aware(min(r[7] for r in rows)), self._aware(max(r[8] for r in rows))

    def write_events(self, rows: list[tuple]) -> list[tuple]:
        """Store new event rows (see ``log_tracker``); returns the ones stored."""
        rows = self._unique_or_new(Event, rows)
        if not rows:
            return rows
        self._features({(r[1], r[2]) for r in rows if r[2]})
        aware, server_id, import_id = self._aware, self.server.pk, self.log_import.pk
        values = [
            (server_id, self.feature_ids.get((daemon[:100], feature[:200])), feature[:200],
             user[:150], host[:200], event_type, reason, aware(at), is_false, import_id,
             fingerprint)
            for (fingerprint, daemon, feature, user, host, event_type, reason, at,
                 is_false) in rows
        ]  # fmt: skip
        return self._store(Event, EVENT_COLUMNS, rows, values)

    def _unique_or_new(self, model, rows: list[tuple]) -> list[tuple]:
        """Once per fingerprint; elsewhere than PostgreSQL also without stored ones (there
        ``INSERT ... RETURNING`` tells which rows were new)."""
        if connection.vendor == "postgresql":
            return list({row[0]: row for row in reversed(rows)}.values())[::-1]
        return self._new(model, rows)

    def _store(self, model, columns: tuple, rows: list[tuple], values: list[tuple]):
        if connection.vendor == "postgresql":
            inserted = pg_copy.insert_new(model._meta.db_table, columns, values)
            return [row for row in rows if row[0] in inserted]
        model.objects.bulk_create(
            [model(**dict(zip(columns, value, strict=True))) for value in values],
            batch_size=BULK_SIZE,
            ignore_conflicts=True,
        )
        return rows
