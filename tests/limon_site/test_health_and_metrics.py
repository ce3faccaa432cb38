import pytest
from django.db import OperationalError
from prometheus_client.parser import text_string_to_metric_families

pytestmark = pytest.mark.django_db


def test_api_health_reports_each_check(api):
    body = api.get("/api/health").json()
    assert body["status"] == "healthy"
    assert body["checks"]["database"]["status"] == "up"
    assert body["checks"]["cache"]["status"] == "up"
    assert "seconds_since_heartbeat" in body["checks"]["task_queue"]
    assert body["version"]


def test_health_is_503_unhealthy_when_the_database_is_unreachable(api, monkeypatch):
    from django.db import connection

    def unreachable(*args, **kwargs):
        raise OperationalError("could not connect to server")

    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", unreachable)
        response = api.get("/health")
    assert response.status_code == 503
    assert response.json()["status"] == "unhealthy"


def test_capabilities_and_schema_version(api):
    capabilities = api.get("/api/v1/system/capabilities").json()
    assert capabilities["database_engine"] in {"sqlite", "postgresql"}
    assert capabilities["license"]["status"] == "evaluation"
    assert capabilities["public_read"] is True
    versions = api.get("/api/v1/system/schema-version").json()
    assert versions["migrations"]["limon_site"].startswith("00")


def test_monitoring_reads_need_a_key_when_public_read_is_off(api, read_api, settings):
    settings.LIMON_PUBLIC_READ = False
    assert api.get("/api/v1/system/capabilities").status_code == 401
    assert read_api.get("/api/v1/system/capabilities").status_code == 200


def test_metrics_parse_as_prometheus_text_with_route_templates(api):
    api.get("/api/admin/api-keys/12345")
    text = api.get("/metrics").content.decode()
    families = {family.name: family for family in text_string_to_metric_families(text)}
    assert "limon_task_queue_depth" in families
    requests = families["limon_http_requests"]
    routes = {sample.labels["route"] for sample in requests.samples}
    assert "api/admin/api-keys/<int:pk>" in routes
    assert "limon_http_request_duration_seconds" in families


def test_admin_commands_are_listed_without_a_key(api):
    response = api.get("/api/admin/commands")
    assert response.status_code == 200
    assert isinstance(response.json(), list)


def test_running_an_unknown_command_is_404(admin_api):
    response = admin_api.post("/api/admin/command/nope", {}, format="json")
    assert response.status_code == 404
    assert response.json()["code"] == "UNKNOWN_COMMAND"
