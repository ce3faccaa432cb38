"""The public read API: servers, sites, sessions and feature lookups."""

from datetime import timedelta

import pytest
from django.utils import timezone

from monitoring.models import ChangeType, InventoryChange, SessionStatus
from tests.monitoring.factories import (
    ApplicationFactory,
    DeploymentFactory,
    FeatureFactory,
    FeatureMappingFactory,
    LicenseServerFactory,
    LicenseUserFactory,
    SessionFactory,
    SiteFactory,
    VendorDaemonFactory,
)

pytestmark = pytest.mark.django_db


def _estate(servers: int):
    site = SiteFactory(name="Paris")
    for n in range(servers):
        server = LicenseServerFactory(site=site, status="up" if n % 2 else "down")
        feature = FeatureFactory(server=server, name=f"CODE_{n}", issued=4, in_use=2)
        SessionFactory(feature=feature)
    return site


def test_server_list_filters_by_status_type_and_search(api):
    LicenseServerFactory(name="paris-flex", status="up", kind="flexlm")
    LicenseServerFactory(name="lyon-rlm", status="down", kind="rlm")
    names = lambda query: [s["name"] for s in api.get(f"/api/v1/servers?{query}").json()["results"]]  # noqa: E731
    assert names("status=up") == ["paris-flex"]
    assert names("type=rlm") == ["lyon-rlm"]
    assert names("search=PARIS") == ["paris-flex"]


@pytest.mark.parametrize(("param", "value"), [("status", "sideways"), ("type", "hasp")])
def test_bad_server_filters_are_400_naming_the_field(api, param, value):
    response = api.get(f"/api/v1/servers?{param}={value}")
    assert response.status_code == 400
    assert param in response.json()["details"]["fields"]


def test_server_detail_shows_live_features_sessions_daemons_with_display_names(api):
    server = LicenseServerFactory(nodes=[{"host": "lic1", "port": 27000, "up": True}])
    daemon = VendorDaemonFactory(server=server, name="MLM")
    application = ApplicationFactory(name="MATLAB")
    FeatureMappingFactory(pattern="MATLAB", display_name="MATLAB core", application=application)
    feature = FeatureFactory(server=server, daemon=daemon, name="MATLAB", issued=10, in_use=9,
                             reserved=1, queued=2)  # fmt: skip
    FeatureFactory(server=server, name="GONE", is_present=False)
    SessionFactory(feature=feature, user=LicenseUserFactory(username="alice"), licenses=1)
    started = timezone.now() - timedelta(hours=2)
    SessionFactory(feature=feature, started_at=started, status=SessionStatus.ARCHIVED,
                   ended_at=started + timedelta(hours=1))  # fmt: skip

    body = api.get(f"/api/v1/servers/{server.pk}").json()

    assert [f["name"] for f in body["features"]] == ["MATLAB"]
    row = body["features"][0]
    assert row["display_name"] == "MATLAB core"
    assert row["application"] == {"id": application.pk, "name": "MATLAB"}
    assert (row["issued"], row["in_use"], row["reserved"], row["queued"]) == (10, 9, 1, 2)
    assert row["saturation"] == 90
    assert row["saturation_level"] == "critical"
    assert [s["user"] for s in body["sessions"]] == ["alice"]
    assert body["active_sessions"] == 1
    assert [d["name"] for d in body["daemons"]] == ["MLM"]
    assert body["nodes"][0]["host"] == "lic1"


def test_unknown_server_is_404(api):
    assert api.get("/api/v1/servers/999999").status_code == 404
    assert api.get("/api/v1/servers/999999/history").status_code == 404


def test_server_history_is_newest_first(api):
    server = LicenseServerFactory()
    now = timezone.now()
    for days, name in [(3, "OLD"), (1, "NEW")]:
        InventoryChange.objects.create(server=server, feature_name=name,
                                       change_type=ChangeType.APPEARED,
                                       changed_at=now - timedelta(days=days))  # fmt: skip
    body = api.get(f"/api/v1/servers/{server.pk}/history").json()
    assert body["count"] == 2
    assert [c["feature_name"] for c in body["results"]] == ["NEW", "OLD"]


def test_site_list_aggregates_servers_sessions_and_saturation(api):
    _estate(3)
    SiteFactory(name="Empty")
    rows = {s["name"]: s for s in api.get("/api/v1/sites").json()["results"]}
    paris = rows["Paris"]
    assert (paris["servers_up"], paris["servers_total"]) == (1, 3)
    assert paris["active_sessions"] == 3
    assert (paris["seats_in_use"], paris["seats_issued"], paris["saturation"]) == (6, 12, 50)
    assert rows["Empty"]["saturation"] is None


def test_site_detail_lists_servers_and_deployed_applications(api):
    site = _estate(2)
    server = site.servers.first()
    DeploymentFactory(server=server, application=ApplicationFactory(name="Abaqus"), seats=7)
    body = api.get(f"/api/v1/sites/{site.pk}").json()
    assert len(body["servers"]) == 2
    assert body["applications"][0]["name"] == "Abaqus"
    assert body["applications"][0]["seats_at_site"] == 7
    assert api.get("/api/v1/sites/999999").status_code == 404


def test_sessions_filter_by_status_user_feature_server_and_range(api):
    now = timezone.now()
    alice = LicenseUserFactory(username="alice")
    feature = FeatureFactory(name="ANSYS")
    held = SessionFactory(feature=feature, user=alice, started_at=now - timedelta(hours=1))
    done = SessionFactory(
        feature=feature,
        started_at=now - timedelta(days=3),
        ended_at=now - timedelta(days=2),
        status=SessionStatus.ARCHIVED,
    )
    SessionFactory()

    def ids(query):
        return [s["id"] for s in api.get(f"/api/v1/sessions?{query}").json()["results"]]

    assert ids("status=archived") == [done.pk]
    assert ids("user=ALICE") == [held.pk]
    assert set(ids("feature=ansys")) == {held.pk, done.pk}
    assert ids(f"server_id={feature.server_id}&ordering=started_at") == [done.pk, held.pk]
    since = (now - timedelta(days=1)).isoformat().replace("+00:00", "Z")
    assert held.pk in ids(f"from={since}") and done.pk not in ids(f"from={since}")


@pytest.mark.parametrize(("param", "value"), [("status", "open"), ("from", "yesterday")])
def test_bad_session_filters_are_400_naming_the_field(api, param, value):
    response = api.get(f"/api/v1/sessions?{param}={value}")
    assert response.status_code == 400
    assert param in response.json()["details"]["fields"]


def test_feature_lookup_uses_the_mappings_and_requires_a_code(api):
    server = LicenseServerFactory()
    FeatureMappingFactory(pattern="MATLAB", display_name="MATLAB")
    FeatureMappingFactory(pattern="MATLAB", display_name="MATLAB (Paris)", server=server)
    assert api.get("/api/v1/features/lookup?code=MATLAB").json()["display_name"] == "MATLAB"
    local = api.get(f"/api/v1/features/lookup?code=MATLAB&server_id={server.pk}").json()
    assert local["display_name"] == "MATLAB (Paris)"
    unknown = api.get("/api/v1/features/lookup?code=XYZ").json()
    assert (unknown["display_name"], unknown["mapped"]) == ("XYZ", False)
    response = api.get("/api/v1/features/lookup")
    assert response.status_code == 400
    assert "code" in response.json()["details"]["fields"]


def test_bulk_feature_lookup_maps_every_known_code(api):
    application = ApplicationFactory(name="Abaqus")
    FeatureMappingFactory(pattern="abaqus|standard", match_type="regex", display_name="Abaqus",
                          application=application)  # fmt: skip
    FeatureFactory(name="standard")
    FeatureFactory(name="other")
    FeatureMappingFactory(pattern="cae", display_name="Abaqus/CAE")
    rows = {r["code"]: r for r in api.get("/api/v1/lookups/features").json()["results"]}
    assert set(rows) == {"cae", "other", "standard"}
    assert rows["standard"]["application"] == {"id": application.pk, "name": "Abaqus"}
    assert rows["cae"]["display_name"] == "Abaqus/CAE"
    assert rows["other"]["mapped"] is False


def test_read_endpoints_need_a_key_when_public_read_is_off(api, read_api, settings):
    settings.LIMON_PUBLIC_READ = False
    assert api.get("/api/v1/servers").status_code == 401
    assert read_api.get("/api/v1/servers").status_code == 200


LISTS = ["/api/v1/servers", "/api/v1/sites", "/api/v1/sessions", "/api/v1/lookups/features"]


@pytest.mark.parametrize("path", LISTS)
def test_lists_run_a_constant_number_of_queries(api, path, django_assert_max_num_queries):
    _estate(5)
    with django_assert_max_num_queries(10) as small:
        assert api.get(path).status_code == 200
    for _ in range(9):
        _estate_more()
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = api.get(path)
    assert response.json()["count"] >= 45 or path == "/api/v1/sites"


def _estate_more():
    site = SiteFactory()
    for _ in range(5):
        server = LicenseServerFactory(site=site)
        SessionFactory(feature=FeatureFactory(server=server))
    FeatureMappingFactory()


def test_server_detail_runs_a_constant_number_of_queries(api, django_assert_max_num_queries):
    server = LicenseServerFactory()
    SessionFactory(feature=FeatureFactory(server=server))
    with django_assert_max_num_queries(20) as small:
        api.get(f"/api/v1/servers/{server.pk}")
    for _ in range(20):
        SessionFactory(feature=FeatureFactory(server=server))
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(api.get(f"/api/v1/servers/{server.pk}").json()["features"]) == 21
