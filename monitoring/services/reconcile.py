"""Reconcile one successful status report with the database: inventory, inventory history,
users, sessions and usage samples of one server at one poll instant.

Rules (documented in docs/monitoring.md, "Polling"):

* Features matching the ignore lists (global ``feature-ignore`` plus the server's own
  ``feature_include`` / ``feature_exclude``) are left out; a tracked feature that becomes
  ignored is marked absent with an InventoryChange noting why.
* A checkout is identified by server + feature + user + host + handle. Seen for the first
  time → an active session started at the tool's start time (server time zone), never later
  than the poll; still listed → stays open; no longer listed → archived, ended at the poll.
* Nothing is concluded from silence: features of a vendor daemon reported down, and features
  whose users the tool could not list, keep their figures and their open sessions.
* Only sessions opened by polling are closed by polling; a log-imported open checkout is
  matched (never duplicated) but ended by its own log.

Every write is a bulk statement and every write is idempotent for one instant (samples and
history rows are unique per instant), so a second poll for the same instant changes nothing.
The number of queries does not grow with the number of features or checkouts.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime
from fnmatch import fnmatchcase

from django.db.models import DateTimeField, F, Value
from django.db.models.functions import Greatest

from limon_site import config
from monitoring.conf import FEATURE_IGNORE
from monitoring.models import (
    ChangeType,
    DaemonStatus,
    Feature,
    FeatureKind,
    InventoryChange,
    LicenseServer,
    LicenseUser,
    Session,
    SessionSource,
    SessionStatus,
    UsageSample,
    UserSource,
    VendorDaemon,
)
from monitoring.parsers.model import FeatureStatus, StatusReport
from monitoring.services.bulk import bulk_insert, bulk_update, column_map, move_forward
from monitoring.tools import ToolKind

_BATCH = 1000
_FEATURE_FIELDS = ["daemon", "version", "kind", "issued", "in_use", "reserved", "queued"]
_FEATURE_FIELDS += ["expires_on", "is_present", "last_seen_at"]
_SESSION_FIELDS = ["server_id", "feature_id", "user_id", "host", "display", "licenses"]
_SESSION_FIELDS += ["version", "handle", "borrowed", "started_at"]
_CHANGE_FIELDS = ["server_id", "feature_id", "feature_name", "vendor", "change_type"]
_CHANGE_FIELDS += ["old_value", "new_value", "changed_at", "note"]
_TRACKED = (
    ("issued", ChangeType.TOTAL),
    ("expires_on", ChangeType.EXPIRY),
    ("version", ChangeType.VERSION),
)


@dataclass(frozen=True)
class Outcome:
    features: int
    sessions_opened: int
    sessions_closed: int
    #: The earliest start among the checkouts opened (rollups are refreshed from there).
    earliest_start: datetime | None = None


def server_zone(server: LicenseServer) -> zoneinfo.ZoneInfo:
    """The zone of the server's clock (its own, else its site's); UTC when the name is unknown."""
    try:
        return zoneinfo.ZoneInfo(server.effective_timezone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def feature_filter(server: LicenseServer):
    """``keep(name) -> bool`` from the global and per-server glob lists (case-sensitive, like
    feature names). With any include pattern only matching features are kept; excludes win."""
    ignore = config.get(FEATURE_IGNORE)
    includes = [*ignore["include"], *(server.feature_include or [])]
    excludes = [*ignore["exclude"], *(server.feature_exclude or [])]

    def keep(name: str) -> bool:
        if includes and not any(fnmatchcase(name, p) for p in includes):
            return False
        return not any(fnmatchcase(name, p) for p in excludes)

    return keep


def _clip(value: str | None, length: int) -> str:
    return (value or "")[:length]


def _text(value) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def _is_uncertain(status: FeatureStatus) -> bool:
    """The tool printed the feature but not its usage (``Cannot get users …``, error lines)."""
    return status.in_use is None and not status.uncounted and not status.checkouts


def _figures(status: FeatureStatus, tool: ToolKind) -> dict:
    reserved = status.reserved
    if status.in_use is not None:
        in_use = status.in_use - reserved if tool.in_use_includes_reserved else status.in_use
    else:
        in_use = sum(c.licenses for c in status.checkouts)
    dated = [v.expiry for v in status.versions if v.expiry is not None and not v.permanent]
    return {
        "version": _clip(status.versions[0].version if status.versions else "", 50),
        "kind": FeatureKind.UNCOUNTED if status.uncounted else FeatureKind.FLOATING,
        "issued": status.issued,
        "in_use": max(in_use, 0),
        "reserved": reserved,
        "queued": status.queued_licenses,
        "expires_on": min(dated) if dated else None,
    }


def _merged_features(report: StatusReport, keep) -> dict[tuple[str, str], FeatureStatus]:
    """Reported features by ``(vendor, name)``; a feature printed twice keeps its first
    figures and gains the second block's checkouts."""
    merged: dict[tuple[str, str], FeatureStatus] = {}
    for status in report.features:
        if not keep(status.name):
            continue
        key = (_clip(status.vendor, 100), _clip(status.name, 200))
        if key in merged:
            first = merged[key]
            first.checkouts.extend(status.checkouts)
            first.queued.extend(status.queued)
        else:
            merged[key] = FeatureStatus(
                name=status.name,
                vendor=status.vendor,
                issued=status.issued,
                in_use=status.in_use,
                uncounted=status.uncounted,
                note=status.note,
                versions=list(status.versions),
                checkouts=list(status.checkouts),
                reservations=list(status.reservations),
                queued=list(status.queued),
            )
    return merged


def ensure_users(usernames: list[str], now: datetime) -> dict[str, int]:
    """Ids of ``usernames``, creating missing ones (source ``poll``) and moving
    ``last_seen_at`` forward. Names are inserted in sorted order so concurrent pollers of
    other servers meeting the same new names queue behind each other instead of deadlocking."""
    names = sorted(set(usernames))
    if not names:
        return {}
    ids = column_map(LicenseUser, "username", "id", names)
    missing = [name for name in names if name not in ids]
    if missing:
        LicenseUser.objects.bulk_create(
            [
                LicenseUser(
                    username=name, source=UserSource.POLL, first_seen_at=now, last_seen_at=now
                )
                for name in missing
            ],
            ignore_conflicts=True,
            batch_size=_BATCH,
        )
        ids.update(column_map(LicenseUser, "username", "id", missing))
    move_forward(LicenseUser, "last_seen_at", list(ids.values()), now)
    return ids


def _sync_daemons(server: LicenseServer, report: StatusReport, now: datetime) -> dict[str, int]:
    daemons = {d.name: d for d in VendorDaemon.objects.filter(server=server)}
    created, changed = [], []
    for vendor in report.vendors:
        values = {
            "status": DaemonStatus.UP if vendor.up else DaemonStatus.DOWN,
            "version": _clip(vendor.version, 50),
            "last_error": "" if vendor.up else str(vendor.error or vendor.message or "down"),
            "last_seen_at": now,
        }
        daemon = daemons.get(vendor.name)
        if daemon is None:
            daemon = VendorDaemon(server=server, name=_clip(vendor.name, 100), **values)
            daemons[vendor.name] = daemon
            created.append(daemon)
        elif any(getattr(daemon, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(daemon, key, value)
            changed.append(daemon)
    VendorDaemon.objects.bulk_create(created)
    bulk_update(VendorDaemon, changed, ["status", "version", "last_error", "last_seen_at"])
    return {name: daemon.pk for name, daemon in daemons.items()}


def _change(feature, change_type, old, new, note="") -> tuple:
    """An InventoryChange row, finished once new features have their ids."""
    return (feature, change_type, _clip(_text(old), 100), _clip(_text(new), 100), note)


def _sync_features(server, reported, report, keep, tool, daemon_ids, now):
    """Upsert the server's features (one bulk update carries every changed row, including
    ``last_seen_at`` of those merely seen); returns ``(features by key, ids of features
    whose open sessions must stay open)``."""
    existing = {(f.vendor, f.name): f for f in Feature.objects.filter(server=server)}
    down_vendors = {v.name for v in report.vendors if not v.up}
    created, changed, history, protected = [], [], [], set()
    for key, status in reported.items():
        feature = existing.get(key)
        daemon_id = daemon_ids.get(status.vendor or "")
        if _is_uncertain(status):
            if feature is not None:
                protected.add(feature.pk)
                if feature.last_seen_at != now:
                    feature.last_seen_at = now
                    changed.append(feature)
                continue
            figures = {"issued": status.issued, "version": "", "in_use": 0}
        else:
            figures = _figures(status, tool)
        if feature is None:
            feature = Feature(server=server, vendor=key[0], name=key[1], daemon_id=daemon_id)
            feature.first_seen_at = now
            for name, value in figures.items():
                setattr(feature, name, value)
            feature.last_seen_at = now
            existing[key] = feature
            created.append(feature)
            history.append(_change(feature, ChangeType.APPEARED, "", status.issued))
            continue
        if not feature.is_present:
            history.append(_change(feature, ChangeType.APPEARED, "", status.issued, "reappeared"))
        for name, change_type in _TRACKED:
            old, new = getattr(feature, name), figures[name]
            if old != new:
                history.append(_change(feature, change_type, old, new))
        figures.update(daemon_id=daemon_id, is_present=True, last_seen_at=now)
        if any(getattr(feature, k) != v for k, v in figures.items()):
            for name, value in figures.items():
                setattr(feature, name, value)
            changed.append(feature)
    for key, feature in existing.items():
        if key in reported or not feature.is_present:
            continue
        if feature.vendor in down_vendors:
            protected.add(feature.pk)
            continue
        note = "" if keep(feature.name) else "left out by the feature ignore list"
        history.append(_change(feature, ChangeType.DISAPPEARED, feature.issued, "", note))
        feature.is_present = False
        feature.in_use = feature.reserved = feature.queued = 0
        changed.append(feature)
    Feature.objects.bulk_create(created, batch_size=_BATCH)
    bulk_update(Feature, changed, _FEATURE_FIELDS)
    bulk_insert(
        InventoryChange,
        _CHANGE_FIELDS,
        [
            (server.pk, f.pk, f.name, f.vendor, change_type, old, new, now, note)
            for f, change_type, old, new, note in history
        ],
        ignore_conflicts=True,
    )
    return existing, protected


def _sync_sessions(server, reported, features, protected, user_ids, zone, now) -> tuple:
    open_sessions = {
        (feature_id, user_id, host, handle): (pk, source)
        for pk, feature_id, user_id, host, handle, source in Session.objects.filter(
            server=server, status=SessionStatus.ACTIVE
        ).values_list("id", "feature_id", "user_id", "host", "handle", "source")
    }
    seen, opened = set(), []
    for key, status in reported.items():
        feature = features[key]
        for checkout in status.checkouts:
            host, handle = _clip(checkout.host, 200), _clip(checkout.handle, 50)
            identity = (feature.pk, user_ids[_clip(checkout.user, 150)], host, handle)
            if identity in seen:
                continue
            seen.add(identity)
            if identity in open_sessions:
                continue
            started = now
            if checkout.started_at is not None:
                started = min(checkout.started_at.replace(tzinfo=zone), now)
            opened.append(
                (
                    server.pk,
                    feature.pk,
                    identity[1],
                    host,
                    _clip(checkout.display, 200),
                    max(checkout.licenses, 1),
                    _clip(checkout.version, 50),
                    handle,
                    checkout.borrowed,
                    started,
                )
            )
    gone = [
        pk
        for identity, (pk, source) in open_sessions.items()
        if identity not in seen and source == SessionSource.POLL and identity[0] not in protected
    ]
    bulk_insert(
        Session,
        [*_SESSION_FIELDS, "status", "source", "closed_by_restart", "fingerprint"],
        [(*row, SessionStatus.ACTIVE, SessionSource.POLL, False, "") for row in opened],
    )
    closed = 0
    for start in range(0, len(gone), _BATCH):
        closed += Session.objects.filter(
            pk__in=gone[start : start + _BATCH], status=SessionStatus.ACTIVE
        ).update(
            status=SessionStatus.ARCHIVED,
            ended_at=Greatest(Value(now, output_field=DateTimeField()), F("started_at")),
        )
    earliest = min((row[-1] for row in opened), default=None)
    return len(opened), closed, earliest


def _write_samples(server, reported, features, now) -> None:
    rows = [
        (
            features[key].pk,
            server.pk,
            now,
            features[key].in_use,
            features[key].reserved,
            features[key].issued,
            features[key].queued,
        )
        for key, status in reported.items()
        if not _is_uncertain(status)
    ]
    fields = ["feature_id", "server_id", "sampled_at", "in_use", "reserved", "issued", "queued"]
    bulk_insert(UsageSample, fields, rows, ignore_conflicts=True)


def reconcile(
    *, server: LicenseServer, report: StatusReport, tool: ToolKind, now: datetime
) -> Outcome:
    """Write what ``report`` says about ``server`` at ``now``. Call inside a transaction
    (``poll_server`` does) so a poll is recorded whole or not at all."""
    keep = feature_filter(server)
    reported = _merged_features(report, keep)
    user_ids = ensure_users(
        [_clip(c.user, 150) for status in reported.values() for c in status.checkouts], now
    )
    daemon_ids = _sync_daemons(server, report, now)
    features, protected = _sync_features(server, reported, report, keep, tool, daemon_ids, now)
    opened, closed, earliest = _sync_sessions(
        server, reported, features, protected, user_ids, server_zone(server), now
    )
    _write_samples(server, reported, features, now)
    return Outcome(
        features=len(reported),
        sessions_opened=opened,
        sessions_closed=closed,
        earliest_start=earliest,
    )
