"""Users, departments, usage per group and chargeback against the hand-computed estate of
``factories_people`` (see its table)."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from monitoring.queries_chargeback import application_cost, chargeback
from monitoring.queries_people import (
    department_activity,
    departments_overview,
    user_activity,
)
from monitoring.queries_usage import usage
from monitoring.services import rollups
from monitoring.usage_period import NO_DEPARTMENT, Period
from tests.monitoring.factories import (
    ApplicationFactory,
    DeploymentFactory,
    FeatureFactory,
    LicenseUserFactory,
)
from tests.monitoring.factories_people import FIRST, LAST, estate, held

pytestmark = pytest.mark.django_db

PERIOD = Period(FIRST, LAST)


def table(rows, *fields):
    return {row["key"]: tuple(row[f] for f in fields) for row in rows}


def test_usage_by_feature_counts_sessions_hours_users_and_hourly_peak():
    estate()
    rows = usage("feature", PERIOD)
    assert [row["key"] for row in rows] == ["CAD", "SIM", "CAD_TOOL"]
    # CAD: ann 2 h + 2 h across midnight, bob 3 h, cid 1 h; bob and cid together at 10:00
    assert table(rows, "sessions", "license_hours", "users", "peak") == {
        "CAD": (3, 8.0, 3, 2),
        "SIM": (1, 8.0, 1, 2),
        "CAD_TOOL": (1, 1.0, 1, 1),
    }


def test_usage_by_user_peak_is_the_most_seats_of_one_feature_held_at_once():
    estate()
    rows = usage("user", PERIOD)
    assert [row["key"] for row in rows] == ["dan", "ann", "bob", "cid"]
    assert table(rows, "sessions", "license_hours", "peak", "department") == {
        "dan": (1, 8.0, 2, NO_DEPARTMENT),
        # CAD and CAD_TOOL at once count one seat of each, so ann's peak stays 1
        "ann": (2, 5.0, 1, "Eng"),
        "bob": (1, 3.0, 1, "Eng"),
        "cid": (1, 1.0, 1, "Sales"),
    }


def test_usage_by_server_and_by_day_take_the_busiest_features_peak():
    estate()
    assert table(usage("server", PERIOD), "sessions", "license_hours", "users", "peak") == {
        "s1": (4, 9.0, 3, 2),
        "s2": (1, 8.0, 1, 2),
    }
    days = usage("day", PERIOD)
    assert [row["key"] for row in days] == ["2026-03-02", "2026-03-03"]
    # ann's midnight session counts on the day it started, its hours on both days
    assert table(days, "sessions", "license_hours", "users", "peak") == {
        "2026-03-02": (4, 7.0, 3, 2),
        "2026-03-03": (1, 10.0, 2, 2),
    }


def test_a_one_day_period_keeps_only_that_days_share_of_a_midnight_session():
    estate()
    rows = usage("user", Period(LAST, LAST))
    assert table(rows, "sessions", "license_hours") == {"dan": (1, 8.0), "ann": (0, 2.0)}


def test_days_follow_local_midnight(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    feature, ann = FeatureFactory(name="X"), LicenseUserFactory(username="ann")
    # 20:00-01:00 UTC = 21:00-02:00 in Berlin (UTC+1): 3 h on the 2nd, 2 h on the 3rd
    held(feature, ann, datetime(2026, 3, 2, 20, tzinfo=UTC), datetime(2026, 3, 3, 1, tzinfo=UTC))
    rollups.rebuild(now=datetime(2026, 3, 6, tzinfo=UTC))
    assert table(usage("day", PERIOD), "license_hours", "peak") == {
        "2026-03-02": (3.0, 1),
        "2026-03-03": (2.0, 1),
    }
    assert table(usage("day", Period(LAST, LAST)), "license_hours") == {"2026-03-03": (2.0,)}


def test_chargeback_of_an_application_splits_its_prorated_cost_by_keystone_hours():
    world = estate()
    result = chargeback(PERIOD, world.cad_app)
    rows = {r["department"]: r for r in result["results"]}
    # keystone CAD only (CAD_TOOL is a toolbox): Eng 4 + 3 h, Sales 1 h; 3650 EUR x 2/365 = 20
    assert set(rows) == {"Eng", "Sales"}
    assert (rows["Eng"]["license_hours"], rows["Eng"]["share"]) == (7.0, 87.5)
    assert (rows["Sales"]["license_hours"], rows["Sales"]["share"]) == (1.0, 12.5)
    assert rows["Eng"]["amount"] == Decimal("17.50")
    assert rows["Sales"]["amount"] == Decimal("2.50")
    assert (result["currency"], result["license_hours"]) == ("EUR", 8.0)


def test_chargeback_of_every_application_sums_each_applications_split():
    estate()
    rows = {r["department"]: r for r in chargeback(PERIOD)["results"]}
    # every feature's hours: Eng 8 (ann 5, bob 3), Sales 1, none 8 of 17
    assert {d: (r["license_hours"], r["share"]) for d, r in rows.items()} == {
        "Eng": (8.0, 47.06),
        "Sales": (1.0, 5.88),
        NO_DEPARTMENT: (8.0, 47.06),
    }
    # CADApp's 20 EUR as above; SIMApp (no keystone: every feature of s2, 5 x 730 EUR a year)
    # all to dan, who has no department
    assert {d: r["amount"] for d, r in rows.items()} == {
        "Eng": Decimal("17.50"),
        "Sales": Decimal("2.50"),
        NO_DEPARTMENT: Decimal("20.00"),
    }


def test_application_cost_prefers_the_annual_cost_then_seats_times_cost_per_seat():
    app = ApplicationFactory(cost_per_seat=Decimal("100"))
    with_cost = DeploymentFactory(application=app, annual_cost=Decimal("730"), seats=3)
    by_seats = DeploymentFactory(application=app, seats=2)
    # (730 + 2 x 100) x 73 / 365
    assert application_cost(app, [with_cost, by_seats], 73) == Decimal("186")
    assert application_cost(ApplicationFactory(), [DeploymentFactory(seats=2)], 10) is None


def test_mixed_currencies_are_kept_apart():
    world = estate()
    world.sim_app.currency = "USD"
    world.sim_app.save()
    result = chargeback(PERIOD)
    rows = {r["department"]: r for r in result["results"]}
    assert result["currency"] is None
    assert rows[NO_DEPARTMENT]["amounts"] == {"USD": Decimal("20.00")}
    assert rows["Eng"]["amounts"] == {"EUR": Decimal("17.50")}
    assert rows["Eng"]["amount"] is None


def test_departments_overview_counts_users_activity_share_and_money():
    estate()
    rows = {r["name"]: r for r in departments_overview(PERIOD)}
    assert list(rows) == ["Empty", "Eng", "Sales", NO_DEPARTMENT]
    figures = {
        name: (r["users"], r["active_users"], r["sessions"], r["license_hours"], r["share"],
               r["amount"])
        for name, r in rows.items()
    }  # fmt: skip
    assert figures == {
        "Empty": (0, 0, 0, 0.0, 0.0, None),
        "Eng": (2, 2, 3, 8.0, 47.06, Decimal("17.50")),
        "Sales": (1, 1, 1, 1.0, 5.88, Decimal("2.50")),
        NO_DEPARTMENT: (1, 1, 1, 8.0, 47.06, Decimal("20.00")),
    }


def test_department_activity_has_a_point_per_day_and_top_users_and_features():
    estate()
    activity = department_activity("Eng", PERIOD)
    assert activity["stats"] == {"active_users": 2, "sessions": 3, "license_hours": 8.0}
    assert [(p["day"], p["license_hours"], p["users"]) for p in activity["daily"]] == [
        (date(2026, 3, 2), 6.0, 2),
        (date(2026, 3, 3), 2.0, 1),
    ]
    assert [(u["username"], u["license_hours"]) for u in activity["top_users"]] == [
        ("ann", 5.0),
        ("bob", 3.0),
    ]
    assert [(f["feature"], f["license_hours"]) for f in activity["top_features"]] == [
        ("CAD", 7.0),
        ("CAD_TOOL", 1.0),
    ]
    none = department_activity(NO_DEPARTMENT, PERIOD)
    assert [u["username"] for u in none["top_users"]] == ["dan"]


def test_user_activity_stats_series_last_use_and_recent_sessions():
    world = estate()
    activity = user_activity(world.users["ann"], Period(date(2026, 3, 1), LAST))
    assert activity["stats"] == {
        "sessions": 2,
        "license_hours": 5.0,
        "distinct_features": 2,
        "days_active": 2,
        "active_sessions": 0,
    }
    assert [(p["day"], p["license_hours"], p["sessions"]) for p in activity["daily"]] == [
        (date(2026, 3, 1), 0.0, 0),
        (date(2026, 3, 2), 3.0, 2),
        (date(2026, 3, 3), 2.0, 0),
    ]
    assert [(f["feature"], f["license_hours"]) for f in activity["top_features"]] == [
        ("CAD", 4.0),
        ("CAD_TOOL", 1.0),
    ]
    today = timezone.localdate()
    assert {f["feature"]: f["days_since_last_use"] for f in activity["last_used"]} == {
        "CAD": (today - date(2026, 3, 3)).days,
        "CAD_TOOL": (today - date(2026, 3, 2)).days,
    }
    assert len(activity["recent_sessions"]) == 2


def test_a_feature_held_now_was_last_used_zero_days_ago():
    world = estate()
    held(world.features["SIM"], world.users["ann"], timezone.now(), None)
    activity = user_activity(world.users["ann"], PERIOD)
    assert activity["stats"]["active_sessions"] == 1
    # not rolled up yet: only the features of the rollup are listed
    assert {f["feature"] for f in activity["last_used"]} == {"CAD", "CAD_TOOL"}
