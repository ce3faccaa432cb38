import pytest

pytestmark = pytest.mark.django_db


def test_root_answers_api_clients_with_service_status(api):
    body = api.get("/").json()
    assert body["status"] == "ok"
    assert body["service"] == "LiMon"


def test_root_redirects_a_browser_to_the_panel(client):
    response = client.get("/", HTTP_ACCEPT="text/html,application/xhtml+xml")
    assert response.status_code == 302
    assert response["Location"] == "/panel/"


def test_health_reports_healthy(api):
    response = api.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "healthy"


def test_cors_allows_only_configured_origins(api, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://grafana.example.test"]
    allowed = api.get("/api/health", HTTP_ORIGIN="https://grafana.example.test")
    assert allowed["Access-Control-Allow-Origin"] == "https://grafana.example.test"
    refused = api.get("/api/health", HTTP_ORIGIN="https://evil.example.test")
    assert "Access-Control-Allow-Origin" not in refused
    preflight = api.options(
        "/api/admin/license",
        HTTP_ORIGIN="https://grafana.example.test",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="x-api-key",
    )
    assert "x-api-key" in preflight["Access-Control-Allow-Headers"]
