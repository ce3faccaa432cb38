"""``GET /api/v1/dashboard/metrics``: each figure against a small hand-built estate, and the
shared-cache wrapper."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from limon_site import config
from monitoring import queries_dashboard
from monitoring.conf import ANALYTICS
from monitoring.queries_dashboard import cached_dashboard_metrics, dashboard_metrics
from monitoring.services import rollups
from tests.monitoring.factories import (
    ApplicationFactory,
    DeploymentFactory,
    FeatureFactory,
    FeatureMappingFactory,
    LicenseServerFactory,
    LicenseUserFactory,
    held,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 2, 12, 20, tzinfo=UTC)
#: A full clock hour of yesterday, inside the 7-day window.
HOUR = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def critical_app(name, features):
    app = ApplicationFactory(name=name, is_critical=True)
    for feature in features:
        DeploymentFactory(application=app, server=feature.server)
    app.keystone_feature = features[0]
    app.save()
    return app


@pytest.fixture
def estate():
    """Two servers in service (one up), one decommissioned; MATLAB (critical) at 19 of 20
    seats over two servers, ANSYS (critical) at 5 of 10, a non-critical tool at 100 %."""
    up = LicenseServerFactory(name="flex-up", status="up")
    down = LicenseServerFactory(name="flex-down", status="down")
    retired = LicenseServerFactory(name="retired", status="up", is_active=False)
    alice, bob, carol = (LicenseUserFactory(username=n) for n in ("alice", "bob", "carol"))
    matlab_up = FeatureFactory(server=up, name="MATLAB", issued=10, in_use=9)
    matlab_down = FeatureFactory(server=down, name="MATLAB", issued=10, in_use=10)
    matlab = critical_app("MATLAB", [matlab_up, matlab_down])
    FeatureMappingFactory(pattern="MATLAB", display_name="MATLAB core", application=matlab)
    critical_app("ANSYS", [FeatureFactory(server=up, name="ANSYS", issued=10, in_use=5)])
    tool = FeatureFactory(server=up, name="TOOL", issued=2, in_use=2)
    DeploymentFactory(application__name="Tool", server=up)  # not critical
    FeatureFactory(server=retired, name="OLD", issued=1, in_use=1)
    held(matlab_up, alice, NOW - timedelta(hours=1))
    held(tool, alice, NOW - timedelta(minutes=30))
    held(matlab_down, bob, NOW - timedelta(hours=2))
    held(matlab_up, carol, HOUR - timedelta(hours=3), HOUR - timedelta(hours=2))
    retired_feature = retired.features.get()
    held(retired_feature, carol, NOW - timedelta(hours=1))
    return {"up": up, "down": down, "matlab_up": matlab_up, "tool": tool, "carol": carol}


def test_servers_sessions_and_users_count_what_is_in_service_now(estate):
    metrics = dashboard_metrics(now=NOW)
    assert metrics["servers"] == {"online": 1, "total": 2}
    # alice twice and bob; carol's checkout on the decommissioned server and her returned
    # one do not count
    assert metrics["active_sessions"] == 3
    assert metrics["active_users"] == 2


def test_critical_saturation_sums_the_keystone_over_deployments(estate):
    rows = dashboard_metrics(now=NOW)["critical_saturation"]
    assert rows == [
        {
            "application": {"id": rows[0]["application"]["id"], "name": "MATLAB"},
            "in_use": 19,
            "issued": 20,
            "saturation": 95,
        }
    ]


def test_critical_saturation_follows_the_threshold(estate):
    config.update("monitoring", {"saturation_threshold_percent": 50})
    names = [r["application"]["name"] for r in dashboard_metrics(now=NOW)["critical_saturation"]]
    assert names == ["MATLAB", "ANSYS"]  # 95 % then 50 %; the non-critical tool never


def test_top_saturated_features_most_saturated_first_with_display_names(estate):
    rows = dashboard_metrics(now=NOW)["top_saturated"]
    assert [(r["server"]["name"], r["name"], r["saturation"]) for r in rows] == [
        ("flex-down", "MATLAB", 100),  # 10 of 10, more seats than TOOL's 2 of 2
        ("flex-up", "TOOL", 100),
        ("flex-up", "MATLAB", 90),
        ("flex-up", "ANSYS", 50),
    ]  # the decommissioned server's OLD is left out
    assert rows[0]["display_name"] == "MATLAB core"
    assert rows[0]["application"]["name"] == "MATLAB"
    assert rows[0]["saturation_level"] == "critical"
    assert rows[3]["saturation_level"] == ""


def test_top_saturated_keeps_ten(estate):
    for n in range(12):
        FeatureFactory(server=estate["up"], name=f"F{n:02}", issued=100, in_use=n + 1)
    rows = dashboard_metrics(now=NOW)["top_saturated"]
    assert len(rows) == 10
    # the estate's four, then F11 (12 %) down to F06 (7 %)
    assert [r["name"] for r in rows[4:]] == ["F11", "F10", "F09", "F08", "F07", "F06"]


def test_unused_licenses_have_no_use_in_the_window_and_nobody_holding_them(estate):
    server, carol = estate["up"], estate["carol"]
    idle = FeatureFactory(server=server, name="IDLE", issued=5)
    recent = FeatureFactory(server=server, name="RECENT", issued=5)
    FeatureFactory(server=server, name="NEVER", issued=3)
    FeatureFactory(server=server, name="UNCOUNTED", issued=None)
    FeatureFactory(server=server, name="GONE", issued=4, is_present=False)
    held(idle, carol, NOW - timedelta(days=40), NOW - timedelta(days=40, hours=-1))
    held(recent, carol, NOW - timedelta(days=29), NOW - timedelta(days=29, hours=-1))
    rollups.rebuild(now=NOW)

    unused = dashboard_metrics(now=NOW)["unused"]

    assert unused["days"] == 30
    # MATLAB and TOOL are held now, ANSYS (5 in use, but no session recorded) has no
    # use in the rollups either: it is listed, by issued seats then name
    assert [(r["name"], r["issued"]) for r in unused["features"]] == [
        ("ANSYS", 10),
        ("IDLE", 5),
        ("NEVER", 3),
    ]
    assert unused["count"] == 3
    by_name = {r["name"]: r for r in unused["features"]}
    # held 12:20 to 13:20: the last hour with use starts at 13:00
    assert by_name["IDLE"]["last_used_at"] == datetime(2026, 10, 23, 13, 0, tzinfo=UTC)
    assert by_name["NEVER"]["last_used_at"] is None


def test_unused_days_is_configurable(estate):
    idle = FeatureFactory(server=estate["up"], name="IDLE", issued=5)
    held(idle, estate["carol"], NOW - timedelta(days=10), NOW - timedelta(days=10, hours=-1))
    rollups.rebuild(now=NOW)
    names = lambda: [r["name"] for r in dashboard_metrics(now=NOW)["unused"]["features"]]  # noqa: E731
    assert "IDLE" not in names()
    config.update(ANALYTICS, {"unused_days": 7})
    assert "IDLE" in names()


def test_expiring_licenses_from_today_to_the_configured_days(estate):
    server = estate["up"]
    today = NOW.date()
    FeatureFactory(server=server, name="SOON", expires_on=today + timedelta(days=10))
    FeatureFactory(server=server, name="TODAY", expires_on=today)
    FeatureFactory(server=server, name="EDGE", expires_on=today + timedelta(days=30))
    FeatureFactory(server=server, name="LATER", expires_on=today + timedelta(days=31))
    FeatureFactory(server=server, name="EXPIRED", expires_on=today - timedelta(days=1))
    FeatureFactory(server=server, name="GONE", expires_on=today, is_present=False)

    expiring = dashboard_metrics(now=NOW)["expiring"]

    assert [(r["name"], r["days_left"]) for r in expiring["features"]] == [
        ("TODAY", 0),
        ("SOON", 10),
        ("EDGE", 30),
    ]
    assert expiring["count"] == 3 and expiring["days"] == 30


def test_usage_series_is_hourly_over_seven_days_summing_every_feature(estate):
    a = FeatureFactory(server=estate["up"], name="A", issued=5)
    b = FeatureFactory(server=estate["up"], name="B", issued=5)
    carol = estate["carol"]
    held(a, carol, HOUR, HOUR + timedelta(hours=1), licenses=2)  # 2 seats all hour
    held(b, carol, HOUR, HOUR + timedelta(minutes=30))  # 1 seat, half an hour
    held(b, LicenseUserFactory(), HOUR + timedelta(minutes=30), HOUR + timedelta(hours=1), 2)
    held(a, carol, NOW - timedelta(days=8), NOW - timedelta(days=8, hours=-1))
    rollups.rebuild(now=NOW)

    series = dashboard_metrics(now=NOW)["usage_7d"]

    assert len(series) == 168
    assert series[-1]["hour"] == datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    assert series[0]["hour"] == datetime(2026, 11, 25, 13, 0, tzinfo=UTC)
    point = next(p for p in series if p["hour"] == HOUR)
    # peaks 2 (A) + 2 (B); seat-hours 2 + 0.5 + 1 = 3.5
    assert (point["peak"], point["average"]) == (4, 3.5)
    quiet = next(p for p in series if p["hour"] == HOUR - timedelta(hours=1))
    assert (quiet["peak"], quiet["average"]) == (0, 0.0)


def test_the_endpoint_answers_the_documented_shape_publicly(api, estate):
    body = api.get("/api/v1/dashboard/metrics").json()
    assert body["servers"] == {"online": 1, "total": 2}
    assert body["active_sessions"] == 3 and body["active_users"] == 2
    assert body["critical_saturation"][0]["saturation"] == 95
    assert body["top_saturated"][0]["server"]["name"] == "flex-down"
    assert set(body["unused"]) == {"days", "count", "features"}
    assert len(body["usage_7d"]) == 168
    assert body["cache_seconds"] == 90
    assert "generated_at" in body


def test_the_endpoint_needs_a_read_key_when_public_read_is_off(api, read_api, settings, estate):
    settings.LIMON_PUBLIC_READ = False
    assert api.get("/api/v1/dashboard/metrics").status_code == 401
    assert read_api.get("/api/v1/dashboard/metrics").status_code == 200


@pytest.fixture
def local_cache(settings):
    settings.CACHES = LOCMEM
    cache.clear()
    yield
    cache.clear()


def test_a_second_call_within_the_ttl_reads_nothing_from_the_database(
    estate, local_cache, django_assert_num_queries
):
    first = cached_dashboard_metrics()
    with django_assert_num_queries(0):
        again = cached_dashboard_metrics()
    assert again == first


def test_changed_data_shows_after_the_ttl(estate, local_cache):
    first = cached_dashboard_metrics()
    estate["up"].status = "down"
    estate["up"].save()
    assert cached_dashboard_metrics()["servers"]["online"] == 1  # still cached
    cache.delete("monitoring:dashboard-metrics:v1")  # what expiry does
    second = cached_dashboard_metrics()
    assert second["servers"]["online"] == 0
    assert second["generated_at"] > first["generated_at"]


class RecordingCache:
    def __init__(self):
        self.timeouts = {}

    def get(self, key):
        return None

    def set(self, key, value, timeout):
        self.timeouts[key] = timeout


def test_the_cache_entry_expires_after_dashboard_cache_seconds(estate, monkeypatch):
    config.update(ANALYTICS, {"dashboard_cache_seconds": 30})
    recorder = RecordingCache()
    monkeypatch.setattr(queries_dashboard, "cache", recorder)
    cached_dashboard_metrics()
    assert recorder.timeouts == {"monitoring:dashboard-metrics:v1": 30}


def test_zero_seconds_computes_on_every_call(estate, local_cache):
    config.update(ANALYTICS, {"dashboard_cache_seconds": 0})
    assert cached_dashboard_metrics()["servers"]["online"] == 1
    estate["up"].status = "down"
    estate["up"].save()
    assert cached_dashboard_metrics()["servers"]["online"] == 0


def test_the_figures_take_the_same_number_of_queries_for_a_larger_estate(estate):
    with CaptureQueriesContext(connection) as small:
        dashboard_metrics(now=NOW)
    for n in range(5):
        feature = FeatureFactory(server=estate["up"], name=f"APP{n}", issued=4, in_use=4)
        critical_app(f"Critical {n}", [feature])
        held(feature, LicenseUserFactory(), NOW - timedelta(hours=1))
        FeatureFactory(server=estate["down"], name=f"EXP{n}", expires_on=NOW.date())
    with CaptureQueriesContext(connection) as large:
        metrics = dashboard_metrics(now=NOW)
    assert len(metrics["critical_saturation"]) == 6
    assert len(large.captured_queries) == len(small.captured_queries)
