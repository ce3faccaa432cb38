"""The anomaly rules on synthetic event streams (pure functions, no database)."""

from datetime import UTC, datetime, timedelta

import pytest

from licensing import anomaly_rules as rules
from licensing.anomaly_rules import ActivationSpan

# The rules touch no database; the package's autouse signing-key fixture does.
pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def minutes_ago(n: float) -> datetime:
    return NOW - timedelta(minutes=n)


def churn(count: int, *, start: float, step: float, license_id: int = 1) -> list[ActivationSpan]:
    """Devices activated and deactivated one after the other, ``step`` minutes apart."""
    spans = []
    for n in range(count):
        at = minutes_ago(start - n * step)
        spans.append(ActivationSpan(n, license_id, f"hw-{n}", at, at + timedelta(minutes=1)))
    return spans


# --- unusual_activation_pattern -------------------------------------------------------------


def pattern(spans, max_events=6):
    return rules.unusual_activation_pattern(
        spans, license_id=1, now=NOW, window=HOUR, max_events=max_events
    )


def test_seven_activation_events_within_the_hour_are_unusual():
    spans = [*churn(3, start=50, step=10), ActivationSpan(9, 1, "hw-9", minutes_ago(5))]
    finding = pattern(spans)
    assert finding is not None
    assert finding.type == "unusual_activation_pattern"
    assert finding.subject == "license:1"
    assert finding.evidence["activations"] == 4
    assert finding.evidence["deactivations"] == 3
    assert finding.evidence["events"] == 7
    assert finding.last_event_at == minutes_ago(5)


def test_six_events_are_still_usual():
    assert pattern(churn(3, start=50, step=10)) is None


def test_events_outside_the_window_do_not_count():
    old = churn(5, start=300, step=20)  # all over two hours ago
    recent = churn(2, start=30, step=5)
    assert pattern(old + recent) is None


def test_a_steady_rollout_spread_over_a_day_is_not_unusual():
    rollout = [ActivationSpan(n, 1, f"hw-{n}", minutes_ago(24 * 60 - n * 90)) for n in range(16)]
    assert pattern(rollout) is None


# --- excessive_heartbeats -------------------------------------------------------------------


def heartbeats(times, factor=2):
    return rules.excessive_heartbeats(
        times,
        activation_id=7,
        license_id=1,
        now=NOW,
        window=timedelta(minutes=10),
        allowed_interval_seconds=60,
        factor=factor,
    )


def test_a_client_beating_every_minute_is_fine():
    assert heartbeats([minutes_ago(n) for n in range(10)]) is None


def test_a_client_beating_every_ten_seconds_is_excessive():
    times = [NOW - timedelta(seconds=10 * n) for n in range(60)]
    finding = heartbeats(times)
    assert finding.type == "excessive_heartbeats"
    assert finding.subject == "activation:7"
    assert finding.evidence["heartbeats"] == 60
    assert finding.evidence["allowed"] == 10
    assert finding.evidence["threshold"] == 20


def test_exactly_the_threshold_is_not_excessive_one_more_is():
    times = [NOW - timedelta(seconds=25 * n) for n in range(21)]
    assert heartbeats(times[:20]) is None
    assert heartbeats(times) is not None


def test_a_burst_long_ago_does_not_count():
    times = [NOW - timedelta(hours=2, seconds=n) for n in range(100)]
    assert heartbeats(times) is None


# --- license_hopping: one device, many licenses ---------------------------------------------


def device(spans, max_licenses=2):
    return rules.device_on_many_licenses(
        spans, hardware_hash="shared", now=NOW, window=24 * HOUR, max_licenses=max_licenses
    )


def test_one_hardware_hash_on_three_licenses_is_hopping():
    spans = [
        ActivationSpan(1, 10, "shared", minutes_ago(600)),
        ActivationSpan(2, 11, "shared", minutes_ago(300), minutes_ago(200)),
        ActivationSpan(3, 12, "shared", minutes_ago(60)),
        ActivationSpan(4, 13, "other", minutes_ago(30)),
    ]
    finding = device(spans)
    assert finding.type == "license_hopping"
    assert finding.subject == "device:shared"
    assert finding.evidence["license_ids"] == [10, 11, 12]
    assert finding.license_id == 12  # the newest license it landed on


def test_two_licenses_on_one_machine_are_normal():
    spans = [
        ActivationSpan(1, 10, "shared", minutes_ago(600)),
        ActivationSpan(2, 11, "shared", minutes_ago(60)),
    ]
    assert device(spans) is None


def test_a_license_given_up_before_the_window_does_not_count():
    spans = [
        ActivationSpan(1, 10, "shared", NOW - timedelta(days=10), NOW - timedelta(days=9)),
        ActivationSpan(2, 11, "shared", minutes_ago(120)),
        ActivationSpan(3, 12, "shared", minutes_ago(60)),
    ]
    assert device(spans) is None


def test_an_old_activation_still_active_counts():
    spans = [
        ActivationSpan(1, 10, "shared", NOW - timedelta(days=100)),
        ActivationSpan(2, 11, "shared", minutes_ago(120)),
        ActivationSpan(3, 12, "shared", minutes_ago(60)),
    ]
    assert device(spans) is not None


# --- license_hopping: one license moving between devices ------------------------------------


def moves(spans, max_moves=3):
    return rules.license_moves(spans, license_id=1, now=NOW, window=24 * HOUR, max_moves=max_moves)


def hop_chain(count: int) -> list[ActivationSpan]:
    """The seat moves device 0 → 1 → 2 … every two hours."""
    spans = []
    for n in range(count):
        start = minutes_ago(120 * (count - n))
        end = start + timedelta(minutes=110) if n < count - 1 else None
        spans.append(ActivationSpan(n, 1, f"hw-{n}", start, end))
    return spans


def test_a_seat_moving_four_times_in_a_day_is_hopping():
    finding = moves(hop_chain(5))
    assert finding.type == "license_hopping"
    assert finding.subject == "license:1"
    assert finding.evidence["moves"] == 4
    assert finding.evidence["recent_moves"][0]["from"] == "hw-0"
    assert finding.evidence["recent_moves"][-1]["to"] == "hw-4"


def test_three_moves_are_tolerated():
    assert moves(hop_chain(4)) is None


def test_the_same_device_coming_back_is_not_a_move():
    spans = [
        ActivationSpan(n, 1, "laptop", minutes_ago(600 - 100 * n), minutes_ago(590 - 100 * n))
        for n in range(5)
    ]
    assert moves(spans, max_moves=0) is None


def test_new_devices_without_deactivations_are_growth_not_moves():
    spans = [ActivationSpan(n, 1, f"hw-{n}", minutes_ago(60 - n)) for n in range(10)]
    assert moves(spans, max_moves=0) is None
