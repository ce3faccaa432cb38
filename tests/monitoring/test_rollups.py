"""Hourly and daily usage rollups against hand-computed cases, and their incremental upkeep."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitoring.models import DailyUserUsage, HourlyUsage, SessionStatus
from monitoring.services import rollups
from tests.monitoring.factories import (
    FeatureFactory,
    LicenseServerFactory,
    LicenseUserFactory,
    held,
)

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def hourly(feature) -> dict:
    return {
        row.hour: (row.license_seconds / 3600, row.peak, row.users, row.sessions)
        for row in HourlyUsage.objects.filter(feature=feature)
    }


def test_overlapping_sessions_split_into_hours():
    feature, ann, bob = FeatureFactory(), LicenseUserFactory(), LicenseUserFactory()
    held(feature, ann, at(0.5), at(2))  # 08:30-10:00
    held(feature, bob, at(1), at(1.5), licenses=2)  # 09:00-09:30, two seats
    rollups.refresh([feature.pk], at(0), at(3), now=at(5))
    assert hourly(feature) == {
        at(0): (0.5, 1, 1, 1),
        # ann for the whole hour plus bob's two seats for half of it; three seats at once
        at(1): (2.0, 3, 2, 1),
    }


def test_an_open_session_counts_up_to_now_and_the_next_refresh_completes_the_hour():
    feature, ann = FeatureFactory(), LicenseUserFactory()
    session = held(feature, ann, at(0), None)
    rollups.refresh([feature.pk], at(0), at(2), now=at(0.25))
    assert hourly(feature) == {at(0): (0.25, 1, 1, 1)}
    session.status, session.ended_at = SessionStatus.ARCHIVED, at(1.5)
    session.save()
    rollups.refresh([feature.pk], at(0.25), at(2), now=at(2))
    assert hourly(feature) == {at(0): (1.0, 1, 1, 1), at(1): (0.5, 1, 1, 0)}


def test_refreshing_twice_gives_the_same_rows():
    feature, ann = FeatureFactory(), LicenseUserFactory()
    held(feature, ann, at(0), at(3))
    rollups.refresh([feature.pk], at(0), at(3), now=at(4))
    first = hourly(feature)
    rollups.refresh([feature.pk], at(1), at(2), now=at(4))
    assert hourly(feature) == first
    assert HourlyUsage.objects.count() == 3


def test_daily_rows_follow_local_midnight(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    feature, ann = FeatureFactory(), LicenseUserFactory()
    # 22:00-01:00 UTC on 2 March = 23:00-02:00 in Berlin: 1 h on the 2nd, 2 h on the 3rd
    held(feature, ann, datetime(2026, 3, 2, 22, tzinfo=UTC), datetime(2026, 3, 3, 1, tzinfo=UTC))
    rollups.refresh([feature.pk], at(0), at(24), now=at(48))
    days = {
        row.day: (row.license_seconds / 3600, row.sessions)
        for row in DailyUserUsage.objects.filter(user=ann)
    }
    assert days == {date(2026, 3, 2): (1.0, 1), date(2026, 3, 3): (2.0, 0)}


def test_a_day_row_holds_one_users_peak_and_seat_hours():
    feature, ann = FeatureFactory(), LicenseUserFactory()
    held(feature, ann, at(0), at(2), licenses=2)
    held(feature, ann, at(1), at(3))
    rollups.refresh([feature.pk], at(0), at(3), now=at(4))
    row = DailyUserUsage.objects.get(user=ann, feature=feature)
    assert (row.license_seconds / 3600, row.sessions, row.peak) == (6.0, 2, 3)


def test_refresh_server_moves_the_watermark_and_rebuild_matches_incremental():
    feature, ann = FeatureFactory(), LicenseUserFactory()
    server = feature.server
    held(feature, ann, at(0), at(1))
    rollups.refresh_server(server, now=at(1))
    held(feature, ann, at(2), at(5))
    rollups.refresh_server(server, now=at(6))
    server.refresh_from_db()
    assert server.rolled_up_until == at(6)
    incremental = hourly(feature)
    HourlyUsage.objects.all().delete()
    rollups.rebuild(now=at(6))
    assert hourly(feature) == incremental
    assert sum(v[0] for v in incremental.values()) == 4.0


def test_a_late_reported_checkout_refreshes_from_its_start():
    feature, ann = FeatureFactory(), LicenseUserFactory()
    server = feature.server
    rollups.refresh_server(server, now=at(3))
    held(feature, ann, at(1), at(4))
    rollups.refresh_server(server, now=at(4), since=at(1))
    assert sum(v[0] for v in hourly(feature).values()) == 3.0


def test_rebuild_command_recomputes_one_server_and_names_unknown_ones():
    from io import StringIO

    from django.core.management import CommandError, call_command

    feature, other = FeatureFactory(), FeatureFactory()
    ann = LicenseUserFactory()
    held(feature, ann, at(0), at(2))
    held(other, ann, at(0), at(1))
    out = StringIO()
    call_command("rebuild_rollups", "--server", feature.server.name, stdout=out)
    assert "100.0%" in out.getvalue()
    assert HourlyUsage.objects.filter(feature=feature).count() == 2
    assert not HourlyUsage.objects.filter(feature=other).exists()
    with pytest.raises(CommandError, match="nowhere"):
        call_command("rebuild_rollups", "--server", "nowhere", stdout=StringIO())


def test_a_log_import_fills_the_rollups_of_its_sessions(tmp_path):
    from tests.monitoring.test_log_import import HEADER, import_log, write

    server = LicenseServerFactory(timezone="UTC")
    import_log(server, write(tmp_path, "day.log", HEADER + (
        ' 9:00:00 (MLM) OUT: "MATLAB" alice@pc1  \n'
        ' 9:30:00 (MLM) OUT: "MATLAB" bob@pc2  \n'
        '10:15:00 (MLM) IN: "MATLAB" alice@pc1  \n'
        '10:30:00 (MLM) IN: "MATLAB" bob@pc2  \n'
    )))  # fmt: skip
    rows = {
        row.hour.hour: (row.license_seconds / 3600, row.peak, row.users, row.sessions)
        for row in HourlyUsage.objects.filter(server=server)
    }
    # 9-10: alice 1 h + bob 0.5 h; 10-11: alice 0.25 h + bob 0.5 h
    assert rows == {9: (1.5, 2, 2, 2), 10: (0.75, 2, 2, 0)}
    days = DailyUserUsage.objects.filter(server=server).order_by("user__username")
    assert [(d.user.username, d.day, d.license_seconds / 3600) for d in days] == [
        ("alice", date(2024, 3, 4), 1.25),
        ("bob", date(2024, 3, 4), 1.0),
    ]


@given(
    st.lists(
        st.tuples(st.integers(0, 72 * 60), st.integers(0, 30 * 60), st.integers(1, 3)),
        min_size=1,
        max_size=6,
    )
)
def test_the_direct_day_sums_agree_with_the_concurrency_profile(spans):
    from monitoring.analytics import split_into_buckets

    days = [datetime(2026, 3, 2, tzinfo=UTC) + timedelta(days=n) for n in range(4)]
    held = [
        (days[0] + timedelta(minutes=s), days[0] + timedelta(minutes=s + length), n, "ann")
        for s, length, n in spans
    ]
    direct = {i: (round(sec, 6), n, peak) for i, sec, n, peak in rollups._user_days(held, days)}
    profiled = {
        i: (round(u.license_seconds, 6), u.sessions, u.peak)
        for i, u in split_into_buckets(held, days).items()
    }
    assert direct == profiled


def _reference_rows(rows, start, end, now):
    """The rollup rows the datetime implementation (``analytics.split_into_buckets``) gives."""
    from collections import defaultdict

    from monitoring.analytics import split_into_buckets

    hours, days = rollups._hours(start, end), rollups._days(start, end)
    by_feature = defaultdict(list)
    for feature_id, _server, user_id, began, ended, licenses in rows:
        by_feature[feature_id].append((began, min(ended or now, now), licenses, user_id))
    hourly, daily = set(), set()
    for feature_id, usages in by_feature.items():
        for i, use in split_into_buckets(usages, hours).items():
            if use.license_seconds or use.sessions:
                hourly.add((feature_id, hours[i], round(use.license_seconds, 3), use.peak,
                            len(use.users), use.sessions))  # fmt: skip
        for user_id in {usage[3] for usage in usages}:
            mine = [usage for usage in usages if usage[3] == user_id]
            for i, use in split_into_buckets(mine, days).items():
                if use.license_seconds or use.sessions:
                    daily.add((user_id, feature_id, days[i].date(),
                               round(use.license_seconds, 3), use.sessions, use.peak))  # fmt: skip
    return hourly, daily


@given(
    st.lists(
        st.tuples(
            st.integers(0, 1),  # feature
            st.integers(0, 2),  # user
            st.integers(0, 60 * 60 * 60 * 1_000_000),  # start, microseconds after T0
            st.one_of(st.none(), st.integers(0, 30 * 60 * 60 * 1_000_000)),  # length
            st.integers(0, 3),  # licenses
        ),
        min_size=1,
        max_size=8,
    )
)
def test_the_integer_computation_matches_the_datetime_one(spans):
    """Overlapping and open sessions, sessions crossing midnight, microseconds, zero seats,
    sessions starting after ``now``: the same rows as the datetime implementation."""
    us = timedelta(microseconds=1)
    rows = [
        (feature, 1, user, T0 + began * us, None if length is None else T0 + (began + length) * us,
         licenses)
        for feature, user, began, length, licenses in spans
    ]  # fmt: skip
    start, now = T0 + timedelta(minutes=17), T0 + timedelta(hours=50, seconds=7)
    hourly, daily, _, _ = rollups.compute(rows, start, now, now)
    want_hourly, want_daily = _reference_rows(rows, start, now, now)
    # seconds to the millisecond: the float sums of the two may round a last digit apart
    assert {(f, h): (pytest.approx(sec, abs=0.0011), peak, users, n)
            for f, _, h, sec, peak, users, n in hourly} == {
        (f, h): (sec, peak, users, n) for f, h, sec, peak, users, n in want_hourly
    }  # fmt: skip
    assert {(u, f, d): (pytest.approx(sec, abs=0.0011), n, peak)
            for u, f, _, d, sec, n, peak in daily} == {
        (u, f, d): (sec, n, peak) for u, f, d, sec, n, peak in want_daily
    }  # fmt: skip
