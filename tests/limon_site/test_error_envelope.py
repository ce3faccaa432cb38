import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ENVELOPE_KEYS = {"error", "code", "status", "details", "request_id"}


def _assert_envelope(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == ENVELOPE_KEYS
    assert body["status"] == status
    assert body["code"] == code
    assert body["request_id"] == response["X-Request-ID"]
    return body


def test_validation_errors_name_the_field(admin_api):
    response = admin_api.post("/api/admin/api-keys", {"name": "x", "scope": "root"}, format="json")
    body = _assert_envelope(response, 400, "VALIDATION_ERROR")
    assert "scope" in body["details"]["fields"]


def test_malformed_json_is_a_400_envelope(admin_api):
    response = admin_api.generic(
        "POST", "/api/admin/api-keys", "{not json", content_type="application/json"
    )
    _assert_envelope(response, 400, "MALFORMED_REQUEST")


def test_missing_credentials_is_401(api):
    body = _assert_envelope(api.get("/api/admin/license"), 401, "INVALID_API_KEY")
    assert body["error"] == "Invalid or missing API key"


def test_wrong_scope_is_403(read_api):
    _assert_envelope(read_api.get("/api/admin/license"), 403, "INSUFFICIENT_SCOPE")


@pytest.mark.parametrize("path", ["/api/nothing-here", "/api/v1/nope/1", "/leads/api/nope"])
def test_unknown_api_paths_are_404_envelopes(api, path):
    _assert_envelope(api.get(path), 404, "NOT_FOUND")


def test_unknown_object_is_404(admin_api):
    _assert_envelope(admin_api.get("/api/admin/api-keys/999999"), 404, "NOT_FOUND")


def test_wrong_method_is_405_envelope(api):
    _assert_envelope(api.post("/health"), 405, "METHOD_NOT_ALLOWED")
    _assert_envelope(api.post("/metrics"), 405, "METHOD_NOT_ALLOWED")


def test_throttled_calls_get_429_with_retry_after(api, settings):
    settings.LIMON_THROTTLE_ANON = "3/min"
    statuses = [api.get("/api/v1/system/schema-version").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api.get("/api/v1/system/schema-version")
    body = _assert_envelope(response, 429, "RATE_LIMITED")
    assert int(response["Retry-After"]) >= 1
    assert body["details"]["retry_after"] >= 1


def test_admin_keys_have_their_own_larger_budget(api, admin_api, settings):
    settings.LIMON_THROTTLE_ANON = "2/min"
    settings.LIMON_THROTTLE_ADMIN = "5/min"
    assert [api.get("/api/v1/system/schema-version").status_code for _ in range(3)][-1] == 429
    statuses = [admin_api.get("/api/admin/license").status_code for _ in range(5)]
    assert statuses == [200] * 5
    assert admin_api.get("/api/admin/license").status_code == 429


@pytest.mark.urls("tests.limon_site.crash_urls")
@pytest.mark.parametrize("path", ["/api/crash", "/api/plain-crash"])
def test_unhandled_errors_are_500_envelopes_without_traceback(path):
    response = Client(raise_request_exception=False).get(path)
    body = _assert_envelope(response, 500, "INTERNAL_ERROR")
    assert "secret internal detail" not in response.content.decode()
    assert "Traceback" not in body["error"]


def test_request_id_is_echoed_when_the_client_sends_one(api):
    response = api.get("/health", HTTP_X_REQUEST_ID="trace-123")
    assert response["X-Request-ID"] == "trace-123"
    assert api.get("/health")["X-Request-ID"] != "trace-123"


def test_request_id_appears_in_the_log_lines_of_the_request(api, caplog):
    from limon_site.logging import RequestIdFilter

    caplog.handler.addFilter(RequestIdFilter())
    api.get("/api/admin/license", HTTP_X_REQUEST_ID="trace-456", HTTP_X_API_KEY="AF-2026-wrong")
    lines = [r for r in caplog.records if "AUTH_FAILED" in r.getMessage()]
    assert lines and lines[0].request_id == "trace-456"


def test_trailing_slash_is_served_not_redirected(admin_api):
    response = admin_api.post(
        "/api/admin/api-keys/", {"name": "slash", "scope": "read"}, format="json"
    )
    assert response.status_code == 201
    assert admin_api.get("/api/admin/license/").status_code == 200


def test_html_pages_get_friendly_error_pages(client):
    response = client.get("/panel/does-not-exist")
    assert response.status_code == 404
    assert b"Page not found" in response.content
