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
