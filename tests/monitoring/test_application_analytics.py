"""Application analytics against the hand-computed estate of ``factories_applications``."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from limon_site import config
from monitoring import queries_applications as qa
from monitoring import queries_history as qh
from monitoring.services import rollups
from tests.monitoring.factories import (
    ApplicationFactory,
    DeploymentFactory,
    FeatureFactory,
    LicenseServerFactory,
)
from tests.monitoring.factories_applications import NOW, at, held, matlab_estate

pytestmark = pytest.mark.django_db


@pytest.fixture
def estate():
    # a one-day window: [03-03 12:00, 03-04 12:00)
    config.update("analytics", {"recommendation_days": 1, "headroom_percent": 10})
    return matlab_estate()


def test_metrics_count_keystone_sessions_on_every_deployed_server_only(estate):
    m = qa.application_metrics(estate.app, now=NOW)
    # level 2 for 12-13 (alice + bob), level 1 for 13-14, 15-15:30 and 11-12 the next day
    assert m.peak == 2
    assert m.license_hours == 4.5  # not 8.5 with alice's toolbox, not 5.5 with carol
    assert m.average == round(4.5 / 24, 3)
    # level 0 for 20.5 h (85 %), level <= 1 for 23 h (95.8 %): P95 = 1
    assert m.p95 == 1
    assert m.distinct_users == 3  # alice, bob, dave
    assert m.in_use_now == 1 and m.issued_now == 2  # MATLAB on pa and ly, not SIMULINK/other
    assert m.active_users_now == 1  # dave; henry holds only the toolbox
    assert m.time_at_capacity_hours == 1.0  # both issued seats held 12:00-13:00


def test_recommended_seats_add_headroom_then_surplus_and_unused_cost(estate):
    m = qa.application_metrics(estate.app, now=NOW)
    assert m.peak_floor is None
    assert m.recommended_seats == 2  # ceil(1 x 1.10)
    assert m.seats_owned == 10
    assert m.surplus_seats == 8
    # only pa has both a cost and seats: 4000 / 4 = 1000 a seat
    assert (m.cost_per_seat, m.cost_source, m.currency) == (
        Decimal("1000.00"),
        "deployments",
        "EUR",
    )
    assert m.unused_cost == Decimal("8000.00")

    config.update("analytics", {"headroom_percent": 150})
    assert qa.application_metrics(estate.app, now=NOW).recommended_seats == 3  # ceil(2.5)


def test_unused_cost_falls_back_to_the_application_cost_per_seat(estate):
    estate.app.deployments.update(annual_cost=None)
    m = qa.application_metrics(estate.app, now=NOW)
    assert (m.cost_per_seat, m.cost_source) == (Decimal("500.00"), "application")
    assert m.unused_cost == Decimal("4000.00")


def test_peak_floor_takes_the_last_business_days_and_skips_the_weekend(estate):
    config.update("analytics", {"peak_floor_business_days": 2})  # Wed 03-04, Tue 03-03
    m = qa.application_metrics(estate.app, now=NOW)
    assert (m.peak_floor, m.recommended_seats) == (2, 2)
    config.update("analytics", {"peak_floor_business_days": 3})  # + Mon 03-02 (peak 3)
    m = qa.application_metrics(estate.app, now=NOW)
    assert (m.peak_floor, m.recommended_seats, m.surplus_seats) == (3, 3, 7)
    config.update("analytics", {"peak_floor_business_days": 4})  # + Fri 02-27, not Sun 03-01
    assert qa.application_metrics(estate.app, now=NOW).peak_floor == 3


def test_business_days_are_monday_to_friday():
    days = qa.business_days(datetime(2026, 3, 2).date(), 3)  # a Monday
    assert [d.isoformat() for d in days] == ["2026-03-02", "2026-02-27", "2026-02-26"]


def test_daily_history_sums_servers_per_hour_and_breaks_down_by_site(estate):
    result = qh.usage_history(estate.app, at(2, 0), NOW, "day")
    rows = [(b["start"].day, b["peak"], b["average"], b["license_hours"]) for b in result["series"]]
    assert rows == [
        # 09:00 hour: 1 on pa + 2 on ly = 3; 1.5 h + ivan's hour before midnight
        (2, 3, round(9000 / 86400, 3), 2.5),
        # 12:00 hour: alice + bob = 2; ivan's hour after midnight counts here
        (3, 2, round(23400 / 86400, 3), 6.5),
        # dave 11:00-12:00; the day so far is 12 h long
        (4, 1, round(3600 / 43200, 3), 1.0),
    ]
    assert result["series"][-1]["end"] == NOW
    sites = {site["site"]: [(b["peak"], b["average"]) for b in site["series"]]
             for site in result["by_site"]}  # fmt: skip
    assert sites == {
        "Lyon": [(2, round(7200 / 86400, 3)), (1, round(9000 / 86400, 3)), (0, 0.0)],
        "Paris": [(1, round(1800 / 86400, 3)), (1, round(14400 / 86400, 3)), (1, 0.083)],
    }


def test_hourly_history_and_week_buckets(estate):
    hours = qh.usage_history(estate.app, at(3, 11), at(3, 14), "hour")["series"]
    assert [(b["start"].hour, b["peak"], b["average"]) for b in hours] == [
        (11, 1, 1.0), (12, 2, 2.0), (13, 1, 1.0),
    ]  # fmt: skip
    weeks = qh.usage_history(estate.app, at(1, 0), NOW, "week")["series"]
    # Sun 03-01 belongs to the week of Mon 02-23; Mon 03-02 starts the next one
    assert [(b["start"].date().isoformat(), b["peak"]) for b in weeks] == [
        ("2026-02-23", 5), ("2026-03-02", 3),
    ]  # fmt: skip


def test_month_buckets_split_a_session_crossing_the_month_end():
    server = LicenseServerFactory()
    feature = FeatureFactory(server=server, name="ANSYS")
    app = ApplicationFactory(keystone_feature=None)
    DeploymentFactory(application=app, server=server)
    app.keystone_feature = feature
    app.save()
    held(feature, "ursula", at(28, 22, month=2), at(1, 2))  # 2 h in February, 2 h in March
    rollups.rebuild(now=NOW)
    months = qh.usage_history(app, at(1, 0, month=2), NOW, "month")["series"]
    assert [(b["start"].month, b["license_hours"], b["peak"]) for b in months] == [
        (2, 2.0, 1), (3, 2.0, 1),
    ]  # fmt: skip
    assert months[0]["average"] == round(7200 / (28 * 86400), 3)


def test_days_start_at_local_midnight(settings):
    settings.TIME_ZONE = "Europe/Paris"
    server = LicenseServerFactory()
    feature = FeatureFactory(server=server, name="ABAQUS")
    app = ApplicationFactory()
    DeploymentFactory(application=app, server=server)
    app.keystone_feature = feature
    app.save()
    held(feature, "victor", at(2, 23), at(2, 23.5))  # 00:00-00:30 on 03-03 in Paris
    rollups.rebuild(now=NOW)
    days = qh.usage_history(app, at(2, 0), NOW, "day")["series"]
    by_day = {b["start"].date().isoformat(): b["license_hours"] for b in days}
    assert by_day["2026-03-03"] == 0.5 and by_day["2026-03-02"] == 0.0
    assert days[1]["start"].utcoffset().total_seconds() == 3600


def test_top_users_by_hours_and_by_sessions_count_the_keystone_only(estate):
    by_hours = qa.top_users(estate.app, by="hours", days=3, limit=3, now=NOW)
    # alice 4 h (her 4 h of SIMULINK left out), ivan 2 h over two days, bob 1.5 h
    assert [(u["username"], u["license_hours"]) for u in by_hours] == [
        ("alice", 4.0), ("ivan", 2.0), ("bob", 1.5),
    ]  # fmt: skip
    assert by_hours[1]["days_active"] == 2
    by_sessions = qa.top_users(estate.app, by="sessions", days=3, limit=3, now=NOW)
    assert [(u["username"], u["sessions"]) for u in by_sessions] == [
        ("bob", 2), ("alice", 1), ("ivan", 1),
    ]  # fmt: skip
    # one day: only dave (held since 11:00 today)
    assert [u["username"] for u in qa.top_users(estate.app, days=1, now=NOW)] == ["dave"]


def test_active_sessions_cover_keystone_and_mapped_toolbox_features(estate):
    sessions = qa.active_sessions(estate.app)
    assert [(s.user.username, s.feature.name) for s in sessions] == [
        ("henry", "SIMULINK"), ("dave", "MATLAB"),
    ]  # fmt: skip


def test_list_metrics_and_the_gauge(estate):
    row = qa.applications_metrics().get(pk=estate.app.pk)
    assert (row.deployments_count, row.seats_owned) == (2, 10)
    assert (row.in_use_now, row.issued_now, row.active_users_now) == (1, 2, 1)
    ApplicationFactory(name="Idle")  # no keystone: no gauge
    assert qa.concurrent_users_gauge() == [("MATLAB", 1)]


def test_no_keystone_means_no_usage():
    app = ApplicationFactory()
    m = qa.application_metrics(app, now=NOW)
    assert (m.peak, m.p95, m.recommended_seats, m.seats_owned, m.surplus_seats) == (
        0,
        0,
        0,
        None,
        None,
    )
    assert qh.usage_history(app, at(3, 0), NOW, "day")["series"][0]["peak"] == 0
    assert (
        datetime(2026, 3, 3, tzinfo=UTC)
        == qh.usage_history(app, at(3, 5), NOW, "day")["series"][0]["start"]
    )
