"""``/api/admin/*`` monitoring configuration through the API with an admin key: CRUD of each
resource, filters, 400s with field errors, 409 conflicts, keystone rules, CSV import,
lifecycle, license history and stats."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from limon_site.models import AuditEvent
from monitoring.models import Application, Deployment, FeatureMapping, LicenseServer, Site
from tests.monitoring.factories import (
    ApplicationFactory,
    DeploymentFactory,
    FeatureFactory,
    FeatureMappingFactory,
    LicenseServerFactory,
    SiteFactory,
)

pytestmark = pytest.mark.django_db


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert body["status"] == status
    return body


# Sites


def test_site_crud(admin_api):
    created = admin_api.post(
        "/api/admin/sites", {"name": "Munich", "code": "muc", "timezone": "Europe/Berlin"}
    )
    assert created.status_code == 201, created.content
    site_id = created.json()["id"]
    assert created.json()["server_count"] == 0

    listed = admin_api.get("/api/admin/sites").json()
    assert listed["count"] == 1 and listed["results"][0]["name"] == "Munich"
    assert admin_api.get(f"/api/admin/sites/{site_id}").json()["code"] == "muc"

    put = admin_api.put(
        f"/api/admin/sites/{site_id}", {"name": "München", "code": "muc", "timezone": "UTC"}
    )
    assert put.status_code == 200 and put.json()["name"] == "München"
    patch = admin_api.patch(f"/api/admin/sites/{site_id}", {"location": "Building 3"})
    assert patch.json()["location"] == "Building 3" and patch.json()["name"] == "München"

    assert admin_api.delete(f"/api/admin/sites/{site_id}").status_code == 204
    assert not Site.objects.exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"site.created", "site.updated", "site.deleted"} <= actions


def test_site_filters(admin_api):
    SiteFactory(name="Munich", code="muc")
    SiteFactory(name="Lyon", code="lyo")
    names = [s["name"] for s in admin_api.get("/api/admin/sites?q=mun").json()["results"]]
    assert names == ["Munich"]


def test_duplicate_site_is_409(admin_api):
    SiteFactory(name="Munich")
    body = _error(admin_api.post("/api/admin/sites", {"name": "Munich"}), 409, "CONFLICT")
    assert "name" in body["details"]["fields"]


def test_deleting_a_site_with_servers_is_409_naming_them(admin_api):
    site = SiteFactory()
    LicenseServerFactory(site=site, name="flex1")
    body = _error(admin_api.delete(f"/api/admin/sites/{site.pk}"), 409, "CONFLICT")
    assert [s["name"] for s in body["details"]["servers"]] == ["flex1"]
    assert Site.objects.filter(pk=site.pk).exists()


def test_unknown_site_is_404(admin_api):
    _error(admin_api.get("/api/admin/sites/999999"), 404, "NOT_FOUND")


# Servers


def test_server_crud(admin_api):
    site = SiteFactory()
    created = admin_api.post(
        "/api/admin/servers",
        {"name": "flex1", "address": "27000@FLEX1.corp", "kind": "flexlm", "site": site.pk},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["address"] == "27000@flex1.corp"
    assert body["site_name"] == site.name and body["is_active"] is True
    assert body["status"] == "unknown"

    server_id = body["id"]
    put = admin_api.put(
        f"/api/admin/servers/{server_id}",
        {"name": "flex1", "address": "27000@a,27000@b,27000@c", "kind": "flexlm", "site": None},
        format="json",
    )
    assert put.status_code == 200, put.content
    assert put.json()["address"] == "27000@a,27000@b,27000@c" and put.json()["site"] is None
    patch = admin_api.patch(
        f"/api/admin/servers/{server_id}", {"feature_exclude": ["*_TEST"]}, format="json"
    )
    assert patch.json()["feature_exclude"] == ["*_TEST"]
    assert admin_api.delete(f"/api/admin/servers/{server_id}").status_code == 204
    assert not LicenseServer.objects.exists()


def test_bad_address_is_400_naming_the_field(admin_api):
    body = _error(
        admin_api.post("/api/admin/servers", {"name": "x", "address": "flex1"}),
        400,
        "VALIDATION_ERROR",
    )
    assert "address" in body["details"]["fields"]


def test_unknown_site_is_400_naming_the_field(admin_api):
    body = _error(
        admin_api.post("/api/admin/servers", {"name": "x", "address": "1@x", "site": 999999}),
        400,
        "VALIDATION_ERROR",
    )
    assert "site" in body["details"]["fields"]


def test_duplicate_server_address_is_409(admin_api):
    LicenseServerFactory(address="27000@flex1")
    body = _error(
        admin_api.post("/api/admin/servers", {"name": "other", "address": "27000@FLEX1"}),
        409,
        "CONFLICT",
    )
    assert "address" in body["details"]["fields"]


def test_status_is_read_only_in_the_api(admin_api):
    server = LicenseServerFactory()
    response = admin_api.patch(f"/api/admin/servers/{server.pk}", {"status": "up"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "unknown"


def test_server_filters(admin_api):
    munich = SiteFactory()
    LicenseServerFactory(name="flex1", site=munich, kind="flexlm")
    LicenseServerFactory(name="rlm1", kind="rlm", is_active=False)

    def names(query):
        return [s["name"] for s in admin_api.get(f"/api/admin/servers?{query}").json()["results"]]

    assert names(f"site={munich.pk}") == ["flex1"]
    assert names("kind=rlm") == ["rlm1"]
    assert names("is_active=false") == ["rlm1"]
    assert names("q=flex") == ["flex1"]


def test_decommission_and_reactivate(admin_api):
    server = LicenseServerFactory()
    response = admin_api.post(f"/api/admin/servers/{server.pk}/decommission")
    assert response.status_code == 200
    assert response.json()["is_active"] is False and response.json()["decommissioned_at"]
    response = admin_api.post(f"/api/admin/servers/{server.pk}/reactivate")
    assert response.json()["is_active"] is True and response.json()["decommissioned_at"] is None
    _error(admin_api.post("/api/admin/servers/999999/decommission"), 404, "NOT_FOUND")


def test_server_with_deployments_cannot_be_deleted(admin_api):
    deployment = DeploymentFactory()
    _error(admin_api.delete(f"/api/admin/servers/{deployment.server_id}"), 409, "CONFLICT")


def test_csv_import_as_upload(admin_api):
    site = SiteFactory()
    upload = SimpleUploadedFile("servers.csv", b"27000@flex1\n27000@flex2\n", "text/csv")
    response = admin_api.post(
        "/api/admin/servers/import", {"file": upload, "site": site.pk}, format="multipart"
    )
    assert response.status_code == 201, response.content
    assert response.json()["created"] == 2
    assert set(LicenseServer.objects.values_list("site", flat=True)) == {site.pk}


def test_csv_import_as_json_reports_bad_rows_and_imports_nothing(admin_api):
    response = admin_api.post(
        "/api/admin/servers/import", {"csv": "27000@ok\nnot-an-address\n"}, format="json"
    )
    body = _error(response, 400, "VALIDATION_ERROR")
    rows = body["details"]["rows"]
    assert [r["status"] for r in rows] == ["created", "error"]
    assert rows[1]["line"] == 2 and "address" in rows[1]["errors"]
    assert not LicenseServer.objects.exists()


def test_csv_import_without_content_is_400(admin_api):
    _error(admin_api.post("/api/admin/servers/import", {}, format="json"), 400, "VALIDATION_ERROR")


# Applications and keystone


def test_application_crud(admin_api):
    created = admin_api.post(
        "/api/admin/applications",
        {"name": "MATLAB", "vendor": "MathWorks", "category": "Math", "cost_per_seat": "1200.00"},
    )
    assert created.status_code == 201, created.content
    app_id = created.json()["id"]
    assert created.json()["currency"] == "EUR" and created.json()["keystone_feature"] is None
    put = admin_api.put(
        f"/api/admin/applications/{app_id}",
        {"name": "MATLAB", "vendor": "MathWorks", "is_critical": True},
    )
    assert put.json()["is_critical"] is True
    patch = admin_api.patch(f"/api/admin/applications/{app_id}", {"currency": "usd"})
    assert patch.json()["currency"] == "USD"
    assert admin_api.get(f"/api/admin/applications/{app_id}").json()["vendor"] == "MathWorks"
    assert admin_api.delete(f"/api/admin/applications/{app_id}").status_code == 204
    assert not Application.objects.exists()


def test_application_filters(admin_api):
    deployment = DeploymentFactory(application=ApplicationFactory(name="ANSYS", category="CAE"))
    ApplicationFactory(name="MATLAB", category="Math", is_critical=True)

    def names(query):
        results = admin_api.get(f"/api/admin/applications?{query}").json()["results"]
        return [a["name"] for a in results]

    assert names("is_critical=true") == ["MATLAB"]
    assert names("category=cae") == ["ANSYS"]
    assert names(f"server={deployment.server_id}") == ["ANSYS"]


def test_duplicate_application_is_409(admin_api):
    ApplicationFactory(name="MATLAB")
    _error(admin_api.post("/api/admin/applications", {"name": "MATLAB"}), 409, "CONFLICT")


def test_keystone_on_an_undeployed_server_is_400(admin_api):
    app = ApplicationFactory()
    feature = FeatureFactory()
    response = admin_api.patch(
        f"/api/admin/applications/{app.pk}", {"keystone_feature": feature.pk}, format="json"
    )
    body = _error(response, 400, "VALIDATION_ERROR")
    assert "keystone_feature" in body["details"]["fields"]


def test_keystone_on_a_deployed_server_is_set_and_cleared(admin_api):
    deployment = DeploymentFactory()
    feature = FeatureFactory(server=deployment.server, name="MATLAB")
    url = f"/api/admin/applications/{deployment.application_id}"
    response = admin_api.patch(url, {"keystone_feature": feature.pk}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["keystone_feature_name"] == "MATLAB"
    response = admin_api.patch(url, {"keystone_feature": None}, format="json")
    assert response.json()["keystone_feature"] is None


def test_deleting_the_keystones_deployment_clears_it(admin_api):
    deployment = DeploymentFactory()
    feature = FeatureFactory(server=deployment.server)
    url = f"/api/admin/applications/{deployment.application_id}"
    admin_api.patch(url, {"keystone_feature": feature.pk}, format="json")
    assert admin_api.delete(f"/api/admin/deployments/{deployment.pk}").status_code == 204
    assert admin_api.get(url).json()["keystone_feature"] is None


# Deployments


def test_deployment_crud(admin_api):
    app, server = ApplicationFactory(), LicenseServerFactory()
    created = admin_api.post(
        "/api/admin/deployments",
        {"application": app.pk, "server": server.pk, "seats": 25, "scope": "shared"},
    )
    assert created.status_code == 201, created.content
    dep_id = created.json()["id"]
    assert created.json()["environment"] == "prod"
    assert created.json()["server_name"] == server.name
    put = admin_api.put(
        f"/api/admin/deployments/{dep_id}",
        {"application": app.pk, "server": server.pk, "seats": 30, "environment": "test"},
    )
    assert put.json()["seats"] == 30 and put.json()["environment"] == "test"
    patch = admin_api.patch(f"/api/admin/deployments/{dep_id}", {"notes": "renewed"})
    assert patch.json()["notes"] == "renewed"
    filtered = admin_api.get(f"/api/admin/deployments?site={server.site_id}").json()
    assert [d["id"] for d in filtered["results"]] == [dep_id]
    assert admin_api.get("/api/admin/deployments?environment=prod").json()["count"] == 0
    assert admin_api.delete(f"/api/admin/deployments/{dep_id}").status_code == 204
    assert not Deployment.objects.exists()


def test_duplicate_deployment_is_409(admin_api):
    deployment = DeploymentFactory()
    response = admin_api.post(
        "/api/admin/deployments",
        {"application": deployment.application_id, "server": deployment.server_id},
    )
    _error(response, 409, "CONFLICT")


def test_contract_dates_out_of_order_are_400(admin_api):
    response = admin_api.post(
        "/api/admin/deployments",
        {
            "application": ApplicationFactory().pk,
            "server": LicenseServerFactory().pk,
            "contract_start": "2026-06-01",
            "contract_end": "2026-01-01",
        },
    )
    body = _error(response, 400, "VALIDATION_ERROR")
    assert "contract_end" in body["details"]["fields"]


# Feature mappings


def test_feature_mapping_crud(admin_api):
    app = ApplicationFactory()
    created = admin_api.post(
        "/api/admin/feature-mappings",
        {
            "pattern": "MATLAB_.*",
            "match_type": "regex",
            "display_name": "MATLAB toolboxes",
            "application": app.pk,
        },
    )
    assert created.status_code == 201, created.content
    mapping_id = created.json()["id"]
    assert created.json()["priority"] == 100
    put = admin_api.put(
        f"/api/admin/feature-mappings/{mapping_id}",
        {"pattern": "MATLAB_.*", "match_type": "regex", "display_name": "Toolboxes", "priority": 5},
    )
    assert put.json()["display_name"] == "Toolboxes" and put.json()["priority"] == 5
    patch = admin_api.patch(f"/api/admin/feature-mappings/{mapping_id}", {"priority": 7})
    assert patch.json()["priority"] == 7
    assert admin_api.get("/api/admin/feature-mappings?match_type=regex").json()["count"] == 1
    assert admin_api.get("/api/admin/feature-mappings?match_type=exact").json()["count"] == 0
    assert admin_api.delete(f"/api/admin/feature-mappings/{mapping_id}").status_code == 204
    assert not FeatureMapping.objects.exists()


def test_invalid_regex_is_400(admin_api):
    response = admin_api.post(
        "/api/admin/feature-mappings",
        {"pattern": "([A-Z", "match_type": "regex", "display_name": "broken"},
    )
    body = _error(response, 400, "VALIDATION_ERROR")
    assert "pattern" in body["details"]["fields"]


def test_duplicate_mapping_is_409_and_global_filter(admin_api):
    FeatureMappingFactory(pattern="ACAD")
    FeatureMappingFactory(pattern="ACAD", server=LicenseServerFactory())
    response = admin_api.post(
        "/api/admin/feature-mappings", {"pattern": "ACAD", "display_name": "AutoCAD"}
    )
    _error(response, 409, "CONFLICT")
    assert admin_api.get("/api/admin/feature-mappings?is_global=true").json()["count"] == 1


# License history and stats


def test_license_history_is_read_only_and_filterable(admin_api):
    from monitoring.models import InventoryChange

    feature = FeatureFactory(name="MATLAB")
    now = timezone.now()
    old = InventoryChange.objects.create(
        server=feature.server,
        feature=feature,
        feature_name="MATLAB",
        change_type="total_changed",
        old_value="10",
        new_value="20",
        changed_at=now - timedelta(days=30),
    )
    new = InventoryChange.objects.create(
        server=feature.server,
        feature=feature,
        feature_name="MATLAB",
        change_type="expiry_changed",
        changed_at=now,
    )
    other = InventoryChange.objects.create(
        server=LicenseServerFactory(), feature_name="NX", change_type="appeared", changed_at=now
    )

    def ids(query):
        results = admin_api.get(f"/api/admin/license-history?{query}").json()["results"]
        return [c["id"] for c in results]

    assert ids(f"server={feature.server_id}") == [new.pk, old.pk]
    assert ids(f"feature={feature.pk}&change_type=total_changed") == [old.pk]
    since = (now - timedelta(days=1)).date().isoformat()
    assert set(ids(f"from={since}")) == {new.pk, other.pk}
    assert ids(f"to={since}") == [old.pk]
    detail = admin_api.get(f"/api/admin/license-history/{old.pk}").json()
    assert detail["old_value"] == "10" and detail["new_value"] == "20"
    assert admin_api.post("/api/admin/license-history", {}).status_code == 405
    assert admin_api.delete(f"/api/admin/license-history/{old.pk}").status_code == 405


def test_stats_count_every_configuration_entity(admin_api):
    deployment = DeploymentFactory()
    LicenseServerFactory(is_active=False, site=deployment.server.site)
    FeatureFactory(server=deployment.server)
    FeatureMappingFactory()
    stats = admin_api.get("/api/admin/stats").json()
    assert stats["sites"] == 1
    assert stats["servers"] == 2
    assert stats["servers_active"] == 1 and stats["servers_decommissioned"] == 1
    assert stats["applications"] == 1 and stats["deployments"] == 1
    assert stats["feature_mappings"] == 1 and stats["features"] == 1
    assert stats["users"] == 0 and stats["departments"] == 0


@pytest.mark.parametrize(
    "path",
    ["/api/admin/sites", "/api/admin/servers", "/api/admin/stats", "/api/admin/license-history"],
)
def test_read_key_is_refused_and_anonymous_is_401(read_api, api, path):
    assert read_api.get(path).status_code == 403
    assert api.get(path).status_code == 401
