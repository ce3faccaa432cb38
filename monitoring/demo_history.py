"""Bulk history for the demo: archived sessions and hourly usage samples over the last
days, computed from the same model the simulator prints (:mod:`monitoring.simulator.usage`),
so history and live polls agree: working-day rhythms, quiet weekends, saturated features
with queues, features nearly nobody uses, and no samples while a server was down.

Written with ``bulk_create`` in large batches; skipped for servers that already have
sessions or samples (a second ``seed_demo`` adds nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import transaction
from django.db.models import Max, Min

from monitoring.models import (
    Feature,
    LicenseServer,
    LicenseUser,
    Session,
    SessionSource,
    SessionStatus,
    UsageSample,
)
from monitoring.simulator import estate, status, usage

BATCH = 5000
HOUR = 3600
#: The poller notices a check-in at the next poll; history ends sessions on that grid.
POLL_GRID = 5 * 60


@dataclass
class HistoryResult:
    sessions: int = 0
    samples: int = 0


def _moment(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def _sessions(spec, feature: Feature, server, requests, users, begin: int, end: int):
    flex = server.kind == "flexlm"
    for r in requests:
        if r.granted is None or not begin < r.end <= end:
            continue
        started = r.granted - r.granted % 60
        ended = min(-(-r.end // POLL_GRID) * POLL_GRID, end)
        yield Session(
            server_id=server.pk,
            feature_id=feature.pk,
            user_id=users[r.user],
            host=r.host,
            display=r.host if flex else "",
            licenses=r.licenses,
            version=spec.version,
            handle=str(r.handle) if flex else format(r.handle, "x"),
            started_at=_moment(started),
            ended_at=_moment(ended),
            status=SessionStatus.ARCHIVED,
            source=SessionSource.POLL,
        )


def _samples(spec, feature: Feature, server, requests, hours: list[int]):
    first = hours[0]
    in_use = [0] * len(hours)
    queues: list[list[int]] = [[] for _ in hours]
    for r in requests:
        held_from = r.granted if r.granted is not None else r.end
        for index in range(max(-(-(r.start - first) // HOUR), 0), len(hours)):
            moment = first + index * HOUR
            if moment >= r.end:
                break
            if moment >= held_from:
                in_use[index] += r.licenses
            else:
                queues[index].append(r.licenses)
    spec_server = estate.server(spec.server)
    down = usage.outages(spec_server, first, hours[-1] + 1)
    for index, moment in enumerate(hours):
        if any(a <= moment < b for a, b in down):
            continue
        yield UsageSample(
            feature_id=feature.pk,
            server_id=server.pk,
            sampled_at=_moment(moment),
            in_use=in_use[index],
            issued=spec.issued,
            queued=sum(queues[index][: status.MAX_QUEUED_SHOWN]),
        )


def seed_history(
    *, servers: dict[str, LicenseServer], features: dict[tuple, Feature], days: int, now
) -> HistoryResult:
    """Archived sessions and hourly samples for the ``days`` before ``now``."""
    result = HistoryResult()
    busy = set(
        Session.objects.filter(server__in=servers.values()).values_list("server_id", flat=True)
    ) | set(
        UsageSample.objects.filter(server__in=servers.values()).values_list("server_id", flat=True)
    )
    end = int(now.timestamp())
    begin = end - days * 86400
    hours = list(range(-(-begin // HOUR) * HOUR, end, HOUR))
    if days <= 0 or not hours:
        return result
    users = dict(LicenseUser.objects.values_list("username", "pk"))
    with transaction.atomic():
        sessions: list[Session] = []
        samples: list[UsageSample] = []
        for spec in estate.FEATURES:
            server = servers[spec.server]
            if server.pk in busy:
                continue
            feature = features[(spec.server, spec.vendor, spec.name)]
            arrived = usage.requests_between(spec, begin - usage.LOOKBACK, end)
            requests = usage.schedule(arrived, spec.issued)
            sessions += _sessions(spec, feature, server, requests, users, begin, end)
            samples += _samples(spec, feature, server, requests, hours)
            if len(sessions) >= BATCH:
                result.sessions += len(Session.objects.bulk_create(sessions, batch_size=BATCH))
                sessions = []
            if len(samples) >= BATCH:
                result.samples += len(UsageSample.objects.bulk_create(samples, batch_size=BATCH))
                samples = []
        result.sessions += len(Session.objects.bulk_create(sessions, batch_size=BATCH))
        result.samples += len(UsageSample.objects.bulk_create(samples, batch_size=BATCH))
        _seen(servers)
    return result


def _seen(servers: dict[str, LicenseServer]) -> None:
    """First and last seen of every user from the history just written."""
    spans = (
        Session.objects.filter(server__in=servers.values())
        .values("user_id")
        .annotate(first=Min("started_at"), last=Max("ended_at"))
    )
    people = {u.pk: u for u in LicenseUser.objects.filter(first_seen_at__isnull=True)}
    changed = []
    for span in spans:
        person = people.get(span["user_id"])
        if person is not None:
            person.first_seen_at, person.last_seen_at = span["first"], span["last"]
            changed.append(person)
    LicenseUser.objects.bulk_update(changed, ["first_seen_at", "last_seen_at"], batch_size=BATCH)
