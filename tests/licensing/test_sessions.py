from datetime import timedelta

import pytest
from django.utils import timezone

from licensing.models import LicenseSession
from licensing.services import sessions
from limon_site import config
from limon_site.models import AuditEvent
from tests.licensing.factories import ActivationFactory, LicenseFactory, LicenseSessionFactory

pytestmark = pytest.mark.django_db


def _start(api, license, hardware_hash, version="1.0.0"):
    return api.post(
        "/api/license/session/start",
        {
            "license_key": license.key,
            "machine_id": f"PC-{hardware_hash}",
            "hardware_hash": hardware_hash,
            "version": version,
        },
        format="json",
    )


def _device(license, hardware_hash):
    return ActivationFactory(license=license, hardware_hash=hardware_hash)


@pytest.fixture
def single():
    license = LicenseFactory(product__single_session=True, product__session_timeout=300)
    _device(license, "a")
    _device(license, "b")
    return license


def test_start_returns_token_interval_expiry_and_update_info(client_api, single):
    response = _start(client_api, single, "a")
    assert response.status_code == 200
    body = response.json()
    for field in (
        "session_token",
        "heartbeat_interval",
        "expires_at",
        "session_timeout",
        "update_available",
        "latest_version",
    ):
        assert field in body
    assert body["heartbeat_interval"] >= body["heartbeat_window"]
    assert LicenseSession.objects.get(token=body["session_token"]).ended_at is None


def test_second_live_session_on_a_single_session_product_is_409_in_german(client_api, single):
    assert _start(client_api, single, "a").status_code == 200
    response = _start(client_api, single, "b")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "SESSION_LIMIT"
    assert body["error"].startswith("Es ist nur eine Sitzung erlaubt")
    assert body["details"]["message_en"].startswith("Only one session is allowed")


def test_a_new_start_on_the_same_device_replaces_its_session(client_api, single):
    first = _start(client_api, single, "a").json()["session_token"]
    second = _start(client_api, single, "a")
    assert second.status_code == 200
    assert second.json()["replaced_sessions"] == 1
    assert LicenseSession.objects.get(token=first).end_reason == "replaced"


def test_dead_session_no_longer_blocks_a_new_start(client_api, single):
    stale = timezone.now() - timedelta(seconds=301)
    dead = LicenseSessionFactory(
        activation=single.activations.get(hardware_hash="a"), last_heartbeat=stale
    )
    assert _start(client_api, single, "b").status_code == 200
    dead.refresh_from_db()
    assert dead.end_reason == "timeout"


def test_multi_session_product_allows_max_users_sessions(client_api):
    license = LicenseFactory(product__single_session=False, max_users=2, max_activations=5)
    for device in "abc":
        _device(license, device)
    assert _start(client_api, license, "a").status_code == 200
    assert _start(client_api, license, "b").status_code == 200
    response = _start(client_api, license, "c")
    assert response.status_code == 409
    assert response.json()["details"]["max_sessions"] == 2


def test_start_on_a_device_that_is_not_activated_is_403(client_api, single):
    response = _start(client_api, single, "unknown-device")
    assert response.status_code == 403
    assert response.json()["code"] == "DEVICE_NOT_ACTIVATED"


def test_start_with_a_version_below_the_minimum_is_refused(client_api, single):
    single.product.minimum_version = "2.0.0"
    single.product.save()
    response = _start(client_api, single, "a", version="1.9.9")
    assert response.status_code == 403
    assert response.json()["code"] == "VERSION_UNSUPPORTED"


def test_heartbeat_returns_last_heartbeat_and_next_deadline(client_api, single):
    config.update("licensing", {"heartbeat_window_seconds": 60})
    token = _start(client_api, single, "a").json()["session_token"]
    LicenseSession.objects.filter(token=token).update(
        last_heartbeat=timezone.now() - timedelta(seconds=61)
    )
    response = client_api.post(
        "/api/license/session/heartbeat",
        {"session_token": token, "license_key": single.key},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert "last_heartbeat" in body and "expires_at" in body and "next_heartbeat_due" in body
    assert LicenseSession.objects.get(token=token).heartbeat_count == 1


def test_second_heartbeat_within_a_minute_is_429_with_retry_after(client_api, single):
    config.update("licensing", {"heartbeat_window_seconds": 60, "heartbeat_tolerance_seconds": 5})
    token = _start(client_api, single, "a").json()["session_token"]
    response = client_api.post(
        "/api/license/session/heartbeat", {"session_token": token}, format="json"
    )
    assert response.status_code == 429
    assert response.json()["code"] == "HEARTBEAT_RATE_LIMITED"
    assert 50 <= int(response["Retry-After"]) <= 56


def test_heartbeat_window_is_configurable():
    config.update("licensing", {"heartbeat_window_seconds": 10, "heartbeat_tolerance_seconds": 0})
    session = LicenseSessionFactory()
    now = session.last_heartbeat + timedelta(seconds=10)
    assert sessions.heartbeat(token=str(session.token), now=now).heartbeat_count == 1


def test_heartbeat_after_the_timeout_ends_the_session_and_is_409(client_api, single):
    token = _start(client_api, single, "a").json()["session_token"]
    LicenseSession.objects.filter(token=token).update(
        last_heartbeat=timezone.now() - timedelta(seconds=400)
    )
    response = client_api.post(
        "/api/license/session/heartbeat", {"session_token": token}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "SESSION_ENDED"
    assert response.json()["details"]["end_reason"] == "timeout"


def test_heartbeat_with_a_wrong_license_key_is_404(client_api, single):
    token = _start(client_api, single, "a").json()["session_token"]
    response = client_api.post(
        "/api/license/session/heartbeat",
        {"session_token": token, "license_key": "WRNG-WRNG-WRNG-WRNG"},
        format="json",
    )
    assert response.status_code == 404
    response = client_api.post(
        "/api/license/session/heartbeat", {"session_token": "not-a-uuid"}, format="json"
    )
    assert response.status_code == 404


def test_heartbeat_on_a_license_deactivated_meanwhile_ends_the_session(client_api, single):
    token = _start(client_api, single, "a").json()["session_token"]
    single.__class__.objects.filter(pk=single.pk).update(is_active=False)
    response = client_api.post(
        "/api/license/session/heartbeat", {"session_token": token}, format="json"
    )
    assert response.status_code == 403
    assert LicenseSession.objects.get(token=token).end_reason == "admin"


def test_end_returns_duration_and_reason_and_is_idempotent(client_api, single):
    token = _start(client_api, single, "a").json()["session_token"]
    LicenseSession.objects.filter(token=token).update(
        started_at=timezone.now() - timedelta(minutes=5)
    )
    response = client_api.post("/api/license/session/end", {"session_token": token}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["end_reason"] == "client"
    assert 299 <= body["duration_seconds"] <= 301
    assert body["already_ended"] is False
    again = client_api.post("/api/license/session/end", {"session_token": token}, format="json")
    assert again.status_code == 200
    assert again.json()["already_ended"] is True
    assert again.json()["ended_at"] == body["ended_at"]
    assert AuditEvent.objects.filter(action="session.ended").count() == 1


def test_heartbeat_after_end_is_409(client_api, single):
    token = _start(client_api, single, "a").json()["session_token"]
    client_api.post("/api/license/session/end", {"session_token": token}, format="json")
    response = client_api.post(
        "/api/license/session/heartbeat", {"session_token": token}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["details"]["end_reason"] == "client"


def test_scheduled_sweep_ends_dead_sessions_with_timeout():
    live = LicenseSessionFactory()
    dead = LicenseSessionFactory(last_heartbeat=timezone.now() - timedelta(hours=1))
    assert sessions.expire_dead_sessions() == 1
    dead.refresh_from_db()
    live.refresh_from_db()
    assert dead.end_reason == "timeout" and dead.ended_at is not None
    assert live.ended_at is None
    assert sessions.expire_dead_sessions() == 0


def test_deactivating_a_device_ends_its_sessions(client_api, single):
    token = _start(client_api, single, "a").json()["session_token"]
    client_api.post(
        "/api/license/deactivate", {"license_key": single.key, "hardware_hash": "a"}, format="json"
    )
    assert LicenseSession.objects.get(token=token).end_reason == "client"
