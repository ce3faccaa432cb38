"""The anomaly detection rules as pure functions over event streams (no Django, no database), so
they can be tested on synthetic streams and reasoned about in isolation. The service
(``licensing.services.anomalies``) loads the streams, calls the rules and records the findings.

Streams:

- ``ActivationSpan``: one device activation on a license — when it was activated and, if so,
  deactivated (the rows of ``Activation``).
- heartbeat times: every heartbeat call one activation made (accepted or refused), from the
  client-call log.

Each rule looks at ``[now - window, now]`` and returns a ``Finding`` or ``None``. A finding's
``last_event_at`` is its newest piece of evidence: a finding whose evidence all predates the
resolution of the same anomaly does not reopen it.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

UNUSUAL_ACTIVATION_PATTERN = "unusual_activation_pattern"
EXCESSIVE_HEARTBEATS = "excessive_heartbeats"
LICENSE_HOPPING = "license_hopping"


@dataclass(frozen=True)
class ActivationSpan:
    activation_id: int
    license_id: int
    hardware_hash: str
    activated_at: datetime
    deactivated_at: datetime | None = None


@dataclass(frozen=True)
class Finding:
    type: str
    subject: str
    license_id: int | None
    evidence: dict
    last_event_at: datetime


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def unusual_activation_pattern(
    spans: Iterable[ActivationSpan],
    *,
    license_id: int,
    now: datetime,
    window: timedelta,
    max_events: int,
) -> Finding | None:
    """More than ``max_events`` activations + deactivations of one license within ``window``."""
    since = now - window
    activated = sorted(s.activated_at for s in spans if since <= s.activated_at <= now)
    deactivated = sorted(
        s.deactivated_at
        for s in spans
        if s.deactivated_at is not None and since <= s.deactivated_at <= now
    )
    moments = sorted(activated + deactivated)
    if len(moments) <= max_events:
        return None
    return Finding(
        type=UNUSUAL_ACTIVATION_PATTERN,
        subject=f"license:{license_id}",
        license_id=license_id,
        evidence={
            "activations": len(activated),
            "deactivations": len(deactivated),
            "events": len(moments),
            "threshold": max_events,
            "window_minutes": int(window.total_seconds() // 60),
            "first_event_at": _iso(moments[0]),
            "last_event_at": _iso(moments[-1]),
        },
        last_event_at=moments[-1],
    )


def excessive_heartbeats(
    heartbeat_times: Sequence[datetime],
    *,
    activation_id: int,
    license_id: int | None,
    now: datetime,
    window: timedelta,
    allowed_interval_seconds: int,
    factor: int,
) -> Finding | None:
    """More heartbeat calls from one activation within ``window`` than ``factor`` times the
    allowed rate (one per ``allowed_interval_seconds``)."""
    since = now - window
    calls = sorted(moment for moment in heartbeat_times if since <= moment <= now)
    allowed = max(1, int(window.total_seconds() // max(1, allowed_interval_seconds)))
    threshold = allowed * factor
    if len(calls) <= threshold:
        return None
    return Finding(
        type=EXCESSIVE_HEARTBEATS,
        subject=f"activation:{activation_id}",
        license_id=license_id,
        evidence={
            "activation_id": activation_id,
            "heartbeats": len(calls),
            "allowed": allowed,
            "threshold": threshold,
            "window_minutes": int(window.total_seconds() // 60),
            "first_event_at": _iso(calls[0]),
            "last_event_at": _iso(calls[-1]),
        },
        last_event_at=calls[-1],
    )


def device_on_many_licenses(
    spans: Iterable[ActivationSpan],
    *,
    hardware_hash: str,
    now: datetime,
    window: timedelta,
    max_licenses: int,
) -> Finding | None:
    """One hardware hash active on more than ``max_licenses`` licenses within ``window``
    (activations that were live at any moment of the window count)."""
    since = now - window
    live = [
        s
        for s in spans
        if s.hardware_hash == hardware_hash
        and s.activated_at <= now
        and (s.deactivated_at is None or s.deactivated_at >= since)
    ]
    licenses = sorted({s.license_id for s in live})
    if len(licenses) <= max_licenses:
        return None
    newest = max(live, key=lambda s: (s.activated_at, s.activation_id))
    last_event = max(max(s.activated_at, s.deactivated_at or s.activated_at) for s in live)
    return Finding(
        type=LICENSE_HOPPING,
        subject=f"device:{hardware_hash}",
        license_id=newest.license_id,
        evidence={
            "pattern": "device_on_many_licenses",
            "hardware_hash": hardware_hash,
            "license_ids": licenses,
            "licenses": len(licenses),
            "threshold": max_licenses,
            "window_hours": int(window.total_seconds() // 3600),
            "last_event_at": _iso(last_event),
        },
        last_event_at=last_event,
    )


def license_moves(
    spans: Iterable[ActivationSpan],
    *,
    license_id: int,
    now: datetime,
    window: timedelta,
    max_moves: int,
) -> Finding | None:
    """A license moved between devices more than ``max_moves`` times within ``window``. A move is
    an activation on a device following the deactivation of a *different* device on the same
    license (each deactivation pairs with at most one later activation)."""
    since = now - window
    timeline: list[tuple[datetime, int, str]] = []  # (moment, 0=deactivated 1=activated, hash)
    for span in spans:
        if since <= span.activated_at <= now:
            timeline.append((span.activated_at, 1, span.hardware_hash))
        if span.deactivated_at is not None and since <= span.deactivated_at <= now:
            timeline.append((span.deactivated_at, 0, span.hardware_hash))
    timeline.sort()
    freed: list[str] = []
    moves: list[dict] = []
    for moment, kind, hardware_hash in timeline:
        if kind == 0:
            freed.append(hardware_hash)
            continue
        source = next((h for h in freed if h != hardware_hash), None)
        if source is not None:
            freed.remove(source)
            moves.append({"from": source, "to": hardware_hash, "at": _iso(moment)})
        elif hardware_hash in freed:
            freed.remove(hardware_hash)  # the same device came back: not a move
    if len(moves) <= max_moves:
        return None
    return Finding(
        type=LICENSE_HOPPING,
        subject=f"license:{license_id}",
        license_id=license_id,
        evidence={
            "pattern": "license_moves",
            "moves": len(moves),
            "threshold": max_moves,
            "window_hours": int(window.total_seconds() // 3600),
            "recent_moves": moves[-10:],
            "last_event_at": moves[-1]["at"],
        },
        last_event_at=datetime.fromisoformat(moves[-1]["at"]),
    )
