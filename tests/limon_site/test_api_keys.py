import hashlib
import io
import logging

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from limon_site import tokens
from limon_site.models import ApiKey, AuditEvent
from tests.factories import make_api_key

pytestmark = pytest.mark.django_db


def test_created_key_is_returned_once_and_stored_only_as_a_hash(admin_api):
    response = admin_api.post("/api/admin/api-keys", {"name": "ci", "scope": "read"}, format="json")
    assert response.status_code == 201
    clear = response.json()["key"]
    key = ApiKey.objects.get(name="ci")
    assert key.secret_hash == hashlib.sha256(clear.encode()).hexdigest()
    assert clear not in str(ApiKey.objects.filter(pk=key.pk).values().get())
    listed = admin_api.get("/api/admin/api-keys").json()["results"]
    assert all("key" not in row for row in listed)
    assert admin_api.get(f"/api/admin/api-keys/{key.pk}").json()["prefix"] == key.prefix


def test_key_format_matches_the_seed():
    _, clear = make_api_key("admin")
    prefix, year, secret = clear.split("-")
    assert prefix == "AF" and len(year) == 4 and len(secret) == 32 and secret.isalnum()


@pytest.mark.parametrize(
    "credentials",
    [
        lambda key: {"HTTP_X_API_KEY": key},
        lambda key: {"HTTP_AUTHORIZATION": f"ApiKey {key}"},
    ],
    ids=["x-api-key", "authorization-apikey"],
)
def test_accepted_credential_forms(credentials):
    _, clear = make_api_key("admin")
    client = APIClient()
    client.credentials(**credentials(clear))
    assert client.get("/api/admin/license").status_code == 200


def test_query_api_key_is_refused_outside_streaming_endpoints(api):
    _, clear = make_api_key("admin")
    assert api.get(f"/api/admin/license?api_key={clear}").status_code == 401


def test_several_keys_work_at_once_so_rotation_needs_no_downtime(api):
    old, old_clear = make_api_key("admin", name="old")
    _, new_clear = make_api_key("admin", name="new")
    for clear in (old_clear, new_clear):
        assert api.get("/api/admin/license", HTTP_X_API_KEY=clear).status_code == 200
    call_command("revoke_api_key", old.prefix, stdout=io.StringIO())
    assert api.get("/api/admin/license", HTTP_X_API_KEY=old_clear).status_code == 401
    assert api.get("/api/admin/license", HTTP_X_API_KEY=new_clear).status_code == 200


def test_revoking_through_the_api_is_audited(admin_api):
    key, clear = make_api_key("read", name="temp")
    response = admin_api.post(f"/api/admin/api-keys/{key.pk}/revoke")
    assert response.json()["state"] == "revoked"
    assert AuditEvent.objects.filter(action="api_key.revoked", target_id=key.prefix).exists()
    assert APIClient().get("/api/v1/system/schema-version", HTTP_X_API_KEY=clear).status_code == 401


def test_failed_authentication_logs_auth_failed_without_the_key(api, caplog):
    _, clear = make_api_key("admin")
    wrong = clear[:-4] + "zzzz"
    with caplog.at_level(logging.WARNING, logger="limon.auth"):
        api.get("/api/admin/license", HTTP_X_API_KEY=wrong, REMOTE_ADDR="10.9.8.7")
    line = next(r.getMessage() for r in caplog.records if "AUTH_FAILED" in r.getMessage())
    assert "10.9.8.7" in line and "/api/admin/license" in line and "unknown_key" in line
    assert wrong not in line and wrong[8:] not in line


def test_last_used_is_recorded(api):
    key, clear = make_api_key("admin")
    api.get("/api/admin/license", HTTP_X_API_KEY=clear)
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_create_api_key_command_prints_the_key_as_the_last_line():
    out = io.StringIO()
    call_command("create_api_key", "--name", "ops", "--scope", "admin", stdout=out)
    clear = out.getvalue().strip().splitlines()[-1]
    assert APIClient().get("/api/admin/license", HTTP_X_API_KEY=clear).status_code == 200
    listing = io.StringIO()
    call_command("list_api_keys", stdout=listing)
    assert ApiKey.objects.get(name="ops").prefix in listing.getvalue()
    assert clear not in listing.getvalue()


def test_bearer_jwt_carries_its_scope(api):
    token, _ = tokens.mint(subject="analytics", scopes=["read"])
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/v1/system/schema-version").status_code == 200
    assert api.get("/api/admin/license").status_code == 403


def test_expired_or_forged_jwt_is_401(api, settings):
    expired, _ = tokens.mint(subject="x", scopes=["admin"], lifetime_seconds=-10)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {expired}")
    assert api.get("/api/admin/license").json()["code"] == "INVALID_API_KEY"
    token, _ = tokens.mint(subject="x", scopes=["admin"])
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/admin/license").status_code == 401


def test_staff_session_needs_csrf_for_writes(staff_api):
    assert staff_api.get("/api/admin/license").status_code == 200
    response = staff_api.post("/api/admin/api-keys", {"name": "s", "scope": "read"}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "CSRF_FAILED"
    staff_api.get("/panel/api-keys")
    token = staff_api.cookies["csrftoken"].value
    response = staff_api.post(
        "/api/admin/api-keys",
        {"name": "s", "scope": "read"},
        format="json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 201
