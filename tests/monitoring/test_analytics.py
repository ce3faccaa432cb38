"""Usage figures against small hand-computed cases."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitoring import analytics

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def test_overlapping_sessions_give_license_hours_peak_and_average():
    usages = [(at(0), at(4), 1), (at(2), at(6), 1), (at(3), at(5), 2)]
    figures = analytics.profile(usages, at(0), at(8))
    # 4 + 4 + 2 * 2 = 12 license-hours over 8 hours
    assert figures.license_hours == 12
    assert figures.average == 1.5
    # between 3 h and 4 h all three are out: 1 + 1 + 2
    assert figures.peak == 4


def test_sessions_are_clipped_to_the_window_and_open_ones_run_to_its_end():
    usages = [(at(-5), at(1), 1), (at(7), None, 3)]
    figures = analytics.profile(usages, at(0), at(8))
    assert figures.license_hours == 1 + 3
    assert figures.peak == 3


def test_percentile_is_the_level_that_sufficed_that_share_of_the_time():
    # level 0 for 5 h, 1 for 4 h, 2 for 0.6 h, 5 for 0.4 h → 10 h window
    usages = [(at(5), at(10), 1), (at(9), at(9.6), 1), (at(9.6), at(10), 4)]
    figures = analytics.profile(usages, at(0), at(10))
    assert figures.percentile(0.5) == 0
    assert figures.percentile(0.9) == 1
    assert figures.percentile(0.95) == 2
    assert figures.percentile(0.99) == 5
    assert figures.percentile(1.0) == figures.peak == 5


def test_time_at_capacity_counts_only_time_at_or_above_the_level():
    usages = [(at(0), at(3), 2), (at(1), at(2), 1)]
    figures = analytics.profile(usages, at(0), at(4))
    assert figures.time_at_or_above(3) == timedelta(hours=1)
    assert figures.time_at_or_above(2) == timedelta(hours=3)
    assert figures.time_at_or_above(1) == timedelta(hours=3)


def test_a_session_crossing_midnight_counts_in_both_days():
    start = datetime(2026, 3, 2, tzinfo=UTC)
    usages = [(datetime(2026, 3, 2, 22, 0, tzinfo=UTC), datetime(2026, 3, 3, 2, 0, tzinfo=UTC), 1)]
    days = analytics.series(usages, start, start + timedelta(days=2), "day")
    assert [b.license_hours for b in days] == [2.0, 2.0]
    assert [b.peak for b in days] == [1, 1]
    assert days[0].average == round(2 / 24, 3)


def test_month_buckets_follow_the_calendar_across_a_month_end():
    start = datetime(2026, 1, 15, tzinfo=UTC)
    usages = [(datetime(2026, 1, 31, 12, tzinfo=UTC), datetime(2026, 2, 1, 12, tzinfo=UTC), 2)]
    months = analytics.series(usages, start, datetime(2026, 3, 1, tzinfo=UTC), "month")
    assert [b.start.month for b in months] == [1, 2]
    assert [b.license_hours for b in months] == [24.0, 24.0]


def test_days_start_at_local_midnight_in_the_chosen_zone():
    berlin = ZoneInfo("Europe/Berlin")
    start = datetime(2026, 3, 2, tzinfo=berlin)
    # 23:30 UTC on 2 March is 00:30 on 3 March in Berlin
    usages = [
        (datetime(2026, 3, 2, 23, 30, tzinfo=UTC), datetime(2026, 3, 3, 0, 30, tzinfo=UTC), 1)
    ]
    days = analytics.series(usages, start, start + timedelta(days=2), "day")
    assert [b.license_hours for b in days] == [0.0, 1.0]


def test_a_daylight_saving_day_is_one_bucket_of_23_hours():
    berlin = ZoneInfo("Europe/Berlin")
    start = datetime(2026, 3, 29, tzinfo=berlin)  # clocks go forward at 02:00
    days = list(analytics.bucket_starts(start, start + timedelta(days=2), "day"))
    assert days[1].astimezone(UTC) - days[0].astimezone(UTC) == timedelta(hours=23)
    usages = [(days[0], days[1], 1)]
    assert analytics.series(usages, days[0], days[1], "day")[0].license_hours == 23.0


def test_week_buckets_start_on_monday():
    wednesday = datetime(2026, 3, 4, 15, tzinfo=UTC)
    weeks = list(analytics.bucket_starts(wednesday, wednesday + timedelta(days=8), "week"))
    assert weeks[0] == datetime(2026, 3, 2, tzinfo=UTC)
    assert weeks[1] == datetime(2026, 3, 9, tzinfo=UTC)


def test_recommended_seats_add_headroom_and_respect_the_recent_peak():
    assert analytics.recommended_seats(10, headroom_percent=10) == 11
    assert analytics.recommended_seats(10, headroom_percent=15) == 12
    assert analytics.recommended_seats(10, headroom_percent=10, peak_floor=14) == 14
    assert analytics.recommended_seats(0) == 0


def test_an_empty_window_has_no_usage():
    figures = analytics.profile([], at(0), at(0))
    assert (figures.license_hours, figures.peak, figures.percentile(0.95)) == (0, 0, 0)
    with pytest.raises(ValueError):
        analytics.profile([], at(1), at(0))


_usage = st.tuples(
    st.integers(0, 48 * 60), st.one_of(st.none(), st.integers(0, 48 * 60)), st.integers(1, 5)
)


@given(st.lists(_usage, max_size=30))
def test_figures_agree_with_each_other_for_any_sessions(raw):
    usages = [
        (at(a / 60), None if b is None else at(max(a, b) / 60), licenses) for a, b, licenses in raw
    ]
    figures = analytics.profile(usages, at(0), at(24))
    expected_hours = (
        sum(
            licenses * max(0.0, (min(end or at(24), at(24)) - max(begin, at(0))).total_seconds())
            for begin, end, licenses in usages
        )
        / 3600
    )
    assert figures.license_hours == pytest.approx(expected_hours)
    assert figures.average <= figures.peak
    levels = [figures.percentile(q) for q in (0.5, 0.9, 0.95, 0.99, 1.0)]
    assert levels == sorted(levels) and levels[-1] == figures.peak
