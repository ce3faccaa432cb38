"""``/api/v1/applications*`` and ``/api/v1/features/{server_id}/{name}/usage_history`` on the
hand-computed estate of ``factories_applications`` (the clock of the analytics set to NOW)."""

import types

import pytest
from django.utils import timezone

from limon_site import config
from limon_site.models import AuditEvent
from monitoring import queries_applications as qa
from monitoring.api import application_serializers
from monitoring.models import Application
from tests.monitoring.factories import (
    ApplicationFactory,
    DeploymentFactory,
    FeatureFactory,
    LicenseServerFactory,
    SessionFactory,
)
from tests.monitoring.factories_applications import NOW, matlab_estate

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen(monkeypatch):
    clock = types.SimpleNamespace(
        **{k: getattr(timezone, k) for k in dir(timezone) if not k.startswith("__")}
    )
    clock.now = lambda: NOW
    monkeypatch.setattr(qa, "timezone", clock)
    monkeypatch.setattr(application_serializers, "timezone", clock)


@pytest.fixture
def estate(frozen):
    config.update("analytics", {"recommendation_days": 1, "headroom_percent": 10})
    return matlab_estate()


def test_list_shows_live_keystone_figures_and_filters(api, estate):
    ApplicationFactory(name="Abaqus", vendor="Dassault", category="CAE")
    body = api.get("/api/v1/applications").json()
    assert body["count"] == 2 and body["next"] is None
    row = {r["name"]: r for r in body["results"]}["MATLAB"]
    assert {k: row[k] for k in ("deployments_count", "seats_owned", "in_use_now", "issued_now",
                                 "active_users_now")} == {
        "deployments_count": 2, "seats_owned": 10, "in_use_now": 1, "issued_now": 2,
        "active_users_now": 1,
    }  # fmt: skip
    assert row["keystone_feature"]["name"] == "MATLAB"
    names = lambda q: [r["name"] for r in api.get(f"/api/v1/applications?{q}").json()["results"]]  # noqa: E731
    assert names("category=cae") == ["Abaqus"]
    assert names("vendor=mathworks") == ["MATLAB"]
    assert names("is_critical=true") == ["MATLAB"]


def test_bad_list_filter_is_400_naming_the_field(api):
    response = api.get("/api/v1/applications?is_critical=maybe")
    assert response.status_code == 400
    assert "is_critical" in response.json()["details"]["fields"]


def test_list_runs_a_constant_number_of_queries(api, django_assert_max_num_queries):
    def add(n):
        for _ in range(n):
            server = LicenseServerFactory()
            feature = FeatureFactory(server=server, in_use=1)
            app = ApplicationFactory()
            DeploymentFactory(application=app, server=server)
            app.keystone_feature = feature
            app.save()
            SessionFactory(feature=feature)

    add(2)
    with django_assert_max_num_queries(10) as small:
        assert api.get("/api/v1/applications?page_size=100").status_code == 200
    add(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = api.get("/api/v1/applications?page_size=100").json()
    assert body["count"] == 22
    assert all(row["active_users_now"] == 1 for row in body["results"])


def test_detail_has_deployments_features_and_seat_figures(api, estate):
    body = api.get(f"/api/v1/applications/{estate.app.pk}").json()
    assert sorted((d["server"], d["site"], d["seats"]) for d in body["deployments"]) == [
        ("ly", "Lyon", 6), ("pa", "Paris", 4),
    ]  # fmt: skip
    keystone = sorted((f["server"], f["name"]) for f in body["features"] if f["is_keystone"])
    assert keystone == [("ly", "MATLAB"), ("pa", "MATLAB")]
    assert {f["name"] for f in body["features"]} == {"MATLAB", "SIMULINK"}
    m = body["metrics"]
    assert (m["peak"], m["p95"], m["recommended_seats"], m["seats_owned"]) == (2, 1, 2, 10)
    assert (m["surplus_seats"], m["unused_cost"], m["currency"]) == (8, "8000.00", "EUR")
    assert m["license_hours"] == 4.5 and m["distinct_users"] == 3


def test_unknown_application_is_404(api, db):
    for path in ("", "/sessions", "/usage_history", "/top_users"):
        assert api.get(f"/api/v1/applications/999{path}").status_code == 404


def test_sessions_are_the_active_ones_of_keystone_and_toolbox_features(api, estate):
    body = api.get(f"/api/v1/applications/{estate.app.pk}/sessions").json()
    assert body["count"] == 2
    assert [(s["user"], s["feature"], s["site"]) for s in body["results"]] == [
        ("henry", "SIMULINK", "Paris"), ("dave", "MATLAB", "Paris"),
    ]  # fmt: skip


def test_usage_history_by_day_with_sites(api, estate):
    url = f"/api/v1/applications/{estate.app.pk}/usage_history?from=2026-03-02&to=2026-03-04"
    body = api.get(url).json()
    assert (body["interval"], body["to"]) == ("day", "2026-03-04T12:00:00Z")  # capped at now
    assert [b["peak"] for b in body["series"]] == [3, 2, 1]
    assert [b["license_hours"] for b in body["series"]] == [2.5, 6.5, 1.0]
    assert [s["site"] for s in body["by_site"]] == ["Lyon", "Paris"]
    assert [b["peak"] for b in body["by_site"][0]["series"]] == [2, 1, 0]


def test_usage_history_defaults_to_30_days_by_day(api, estate):
    body = api.get(f"/api/v1/applications/{estate.app.pk}/usage_history").json()
    assert body["interval"] == "day" and len(body["series"]) == 31  # 02-02 .. 03-04 (partial)
    assert body["from"] == "2026-02-02T12:00:00Z"


@pytest.mark.parametrize(
    ("query", "field", "text"),
    [
        ("interval=minute", "interval", ""),
        ("from=yesterday", "from", ""),
        ("to=2026-13-01", "to", ""),
        ("from=2026-03-04&to=2026-03-01", "from", "before"),
        ("interval=hour&from=2026-01-01", "from", "31 days"),
    ],
)
def test_bad_usage_history_parameters_are_400_naming_the_field(api, estate, query, field, text):
    response = api.get(f"/api/v1/applications/{estate.app.pk}/usage_history?{query}")
    assert response.status_code == 400
    messages = response.json()["details"]["fields"][field]
    assert text in " ".join(messages)


def test_top_users(api, estate):
    url = f"/api/v1/applications/{estate.app.pk}/top_users?by=sessions&days=3&limit=2"
    body = api.get(url).json()
    assert (body["by"], body["days"]) == ("sessions", 3)
    assert [(u["username"], u["sessions"]) for u in body["results"]] == [("bob", 2), ("alice", 1)]
    bad = api.get(f"/api/v1/applications/{estate.app.pk}/top_users?by=money&limit=0")
    assert bad.status_code == 400
    assert set(bad.json()["details"]["fields"]) == {"by", "limit"}


def test_feature_usage_history(api, estate):
    server_id = estate.ly_matlab.server_id
    body = api.get(f"/api/v1/features/{server_id}/MATLAB/usage_history?from=2026-03-02").json()
    assert [b["peak"] for b in body["series"]] == [2, 1, 0]
    assert api.get(f"/api/v1/features/{server_id}/NOPE/usage_history").status_code == 404
    assert api.get("/api/v1/features/999/MATLAB/usage_history").status_code == 404


def test_set_keystone_needs_the_admin_key_and_is_audited(api, read_api, admin_api, estate):
    url = f"/api/v1/applications/{estate.app.pk}/keystone"
    assert api.put(url, {"feature_id": None}, format="json").status_code in (401, 403)
    assert read_api.put(url, {"feature_id": None}, format="json").status_code == 403
    response = admin_api.put(url, {"feature_id": estate.simulink.pk}, format="json")
    assert response.status_code == 200
    assert response.json()["keystone_feature"]["name"] == "SIMULINK"
    assert Application.objects.get(pk=estate.app.pk).keystone_feature_id == estate.simulink.pk
    assert AuditEvent.objects.filter(action="application.keystone_changed").count() == 1
    cleared = admin_api.put(url, {"feature_id": None}, format="json")
    assert cleared.json()["keystone_feature"] is None


def test_keystone_not_deployed_for_the_application_is_400(admin_api, estate):
    url = f"/api/v1/applications/{estate.app.pk}/keystone"
    response = admin_api.put(url, {"feature_id": estate.other_matlab.pk}, format="json")
    assert response.status_code == 400
    assert "not deployed" in response.json()["details"]["fields"]["feature_id"][0]
    missing = admin_api.put(url, {}, format="json")
    assert missing.status_code == 400 and "feature_id" in missing.json()["details"]["fields"]
    assert Application.objects.get(pk=estate.app.pk).keystone_feature_id == estate.pa_matlab.pk


def test_metrics_gauge_counts_distinct_users_of_active_keystone_sessions(client, estate):
    from tests.monitoring.factories_applications import held

    held(estate.ly_matlab, "dave", NOW)  # dave on both servers: still one user
    held(estate.ly_matlab, "zoe", NOW)
    held(estate.simulink, "yann", NOW)  # toolbox only
    text = client.get("/metrics").content.decode()
    assert 'limon_application_concurrent_users{application="MATLAB"} 2.0' in text


def test_sessions_list_runs_a_constant_number_of_queries(
    api, estate, django_assert_max_num_queries
):
    from tests.monitoring.factories_applications import held

    url = f"/api/v1/applications/{estate.app.pk}/sessions?page_size=100"
    with django_assert_max_num_queries(12) as small:
        assert api.get(url).status_code == 200
    for n in range(15):
        held(estate.ly_matlab if n % 2 else estate.simulink, f"extra{n}", NOW)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert api.get(url).json()["count"] == 17
