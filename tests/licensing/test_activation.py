from datetime import timedelta

import pytest
from django.utils import timezone

from licensing.models import Activation, ClientEvent, License
from licensing.services import activations
from limon_site import config
from limon_site.models import AuditEvent
from tests.licensing.factories import ActivationFactory, LicenseFactory

pytestmark = pytest.mark.django_db

URL = "/api/license/activate"


def _activate(api, license, hardware_hash="hw-1", **extra):
    body = {
        "license_key": license.key,
        "hardware_hash": hardware_hash,
        "machine_name": "DESKTOP-ABC123",
        "app_version": "1.0.0",
        **extra,
    }
    return api.post(URL, body, format="json")


def test_activation_answers_the_seed_shape_with_201(client_api):
    license = LicenseFactory()
    response = _activate(client_api, license, "unique-hardware-identifier")
    assert response.status_code == 201
    body = response.json()
    assert body["message"] == "License activated successfully"
    activation = body["activation"]
    assert set(activation) >= {
        "id",
        "license_key",
        "hardware_hash",
        "machine_name",
        "activated_at",
        "last_heartbeat",
        "is_active",
    }
    assert activation["license_key"] == license.key
    assert activation["hardware_hash"] == "unique-hardware-identifier"
    assert activation["machine_name"] == "DESKTOP-ABC123"
    assert activation["is_active"] is True
    assert activation["activated_at"].endswith("Z")


def test_activating_the_same_device_again_returns_the_existing_activation(client_api):
    license = LicenseFactory()
    first = _activate(client_api, license).json()["activation"]
    again = _activate(client_api, license, machine_name="RENAMED")
    assert again.status_code == 200
    assert again.json()["activation"]["id"] == first["id"]
    assert again.json()["activation"]["machine_name"] == "RENAMED"
    assert Activation.objects.filter(license=license).count() == 1


def test_unknown_key_is_404_license_not_found(client_api):
    response = client_api.post(
        URL, {"license_key": "NOPE-NOPE-NOPE-NOPE", "hardware_hash": "x"}, format="json"
    )
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "LICENSE_NOT_FOUND"
    assert set(body) >= {"error", "code", "status", "details", "request_id"}


def test_inactive_license_is_403_license_inactive(client_api):
    response = _activate(client_api, LicenseFactory(is_active=False))
    assert response.status_code == 403
    assert response.json()["code"] == "LICENSE_INACTIVE"


def test_expired_license_is_403_license_expired(client_api):
    yesterday = timezone.localdate() - timedelta(days=1)
    license = LicenseFactory(valid_until=yesterday)
    response = _activate(client_api, license)
    assert response.status_code == 403
    assert response.json()["code"] == "LICENSE_EXPIRED"
    assert response.json()["details"]["reason"] == "expired"


def test_license_not_yet_valid_is_403_license_expired(client_api):
    tomorrow = timezone.localdate() + timedelta(days=1)
    license = LicenseFactory(valid_from=tomorrow, valid_until=tomorrow + timedelta(days=30))
    response = _activate(client_api, license)
    assert response.status_code == 403
    assert response.json()["details"]["reason"] == "not_yet_valid"


def test_license_valid_until_today_still_activates(client_api):
    license = LicenseFactory(valid_until=timezone.localdate())
    assert _activate(client_api, license).status_code == 201


def test_sixth_activation_is_refused_with_409(client_api):
    license = LicenseFactory(max_activations=5)
    for n in range(5):
        assert _activate(client_api, license, f"hw-{n}").status_code == 201
    response = _activate(client_api, license, "hw-6")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "ACTIVATION_LIMIT_REACHED"
    assert body["details"] == {"max_activations": 5, "active_activations": 5}
    assert license.activations.filter(is_active=True).count() == 5


def test_refused_activation_is_logged_for_metrics(client_api):
    license = LicenseFactory(max_activations=1)
    _activate(client_api, license, "a")
    _activate(client_api, license, "b")
    results = list(ClientEvent.objects.filter(kind="activate").values_list("result", flat=True))
    assert sorted(results) == ["activation_limit_reached", "ok"]


def test_deactivated_device_frees_its_seat(client_api):
    license = LicenseFactory(max_activations=1)
    _activate(client_api, license, "old")
    response = client_api.post(
        "/api/license/deactivate",
        {"license_key": license.key, "hardware_hash": "old"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["activation"]["is_active"] is False
    assert _activate(client_api, license, "new").status_code == 201
    # History is kept: the old row stays, inactive.
    assert license.activations.count() == 2


def test_deactivating_a_device_that_is_not_activated_is_404(client_api):
    license = LicenseFactory()
    response = client_api.post(
        "/api/license/deactivate", {"license_key": license.key, "hardware_hash": "x"}, format="json"
    )
    assert response.status_code == 404
    assert response.json()["code"] == "ACTIVATION_NOT_FOUND"


def test_seat_cycling_beyond_the_cap_is_429_with_retry_after(client_api):
    config.update("licensing", {"activation_cycle_limit": 4, "activation_cycle_window_hours": 24})
    license = LicenseFactory(max_activations=1)
    for n in range(2):  # activate + deactivate twice = 4 cycles
        _activate(client_api, license, f"hw-{n}")
        activations.deactivate_device(key=license.key, hardware_hash=f"hw-{n}")
    response = _activate(client_api, license, "hw-9")
    assert response.status_code == 429
    assert response.json()["code"] == "ACTIVATION_RATE_LIMITED"
    retry_after = int(response["Retry-After"])
    assert 23 * 3600 < retry_after <= 24 * 3600


def test_seat_cycling_window_slides(client_api):
    config.update("licensing", {"activation_cycle_limit": 2, "activation_cycle_window_hours": 1})
    license = LicenseFactory(max_activations=1)
    two_hours_ago = timezone.now() - timedelta(hours=2)
    ActivationFactory(
        license=license,
        activated_at=two_hours_ago,
        is_active=False,
        deactivated_at=two_hours_ago,
    )
    assert _activate(client_api, license, "fresh").status_code == 201


def test_activation_is_audited_with_the_key_that_did_it(client_api):
    license = LicenseFactory()
    _activate(client_api, license)
    event = AuditEvent.objects.get(action="activation.created")
    assert event.actor.startswith("key:AF-")
    assert event.target_type == "license" and event.target_id == str(license.pk)
    assert event.changes["active_activations"] == {"old": 0, "new": 1}


def test_malformed_request_is_400_and_changes_nothing(client_api):
    license = LicenseFactory()
    response = client_api.post(URL, {"license_key": license.key}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "VALIDATION_ERROR"
    assert "hardware_hash" in response.json()["details"]["fields"]
    response = _activate(client_api, license, app_version="not a version")
    assert response.status_code == 400
    assert not Activation.objects.exists()


def test_license_key_is_matched_case_insensitively(client_api):
    license = LicenseFactory()
    response = client_api.post(
        URL, {"license_key": f"  {license.key.lower()} ", "hardware_hash": "hw"}, format="json"
    )
    assert response.status_code == 201


def test_legacy_v1_activate_accepts_hardware_id(client_api):
    license = LicenseFactory()
    response = client_api.post(
        "/api/v1/activate",
        {"license_key": license.key, "hardware_id": "legacy-hw", "machine_name": "PC"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["activation"]["hardware_hash"] == "legacy-hw"


def test_activation_needs_a_client_or_admin_key(api, read_api, admin_api):
    license = LicenseFactory()
    assert _activate(api, license).status_code == 401
    assert _activate(read_api, license).status_code == 403
    assert _activate(admin_api, license).status_code == 201


def test_register_device_applies_the_same_limit():
    license = LicenseFactory(max_activations=1)
    activations.register_device(license=license, hardware_hash="a")
    with pytest.raises(Exception) as caught:
        activations.register_device(license=license, hardware_hash="b")
    assert caught.value.code == "ACTIVATION_LIMIT_REACHED"
    assert License.objects.get(pk=license.pk).activations.count() == 1
