"""A license's devices for staff: list, register (the client activation's limits), deactivate
(its sessions end), with the audit trail."""

import pytest
from django.utils import timezone

from licensing.models import Activation
from limon_site.models import AuditEvent
from tests.licensing.factories import ActivationFactory, LicenseFactory, LicenseSessionFactory

pytestmark = pytest.mark.django_db


def test_devices_list_active_ones_first_then_history(admin_api):
    license = LicenseFactory()
    gone = ActivationFactory(license=license, is_active=False, deactivated_at=timezone.now())
    live = ActivationFactory(license=license, app_version="1.2.0")
    devices = admin_api.get(f"/api/license/{license.pk}/devices").json()["devices"]
    assert [d["id"] for d in devices] == [live.pk, gone.pk]
    assert devices[0]["app_version"] == "1.2.0" and devices[0]["is_active"] is True
    assert devices[1]["deactivated_at"] is not None


def test_registering_a_device_creates_an_activation_and_audits_it(admin_api):
    license = LicenseFactory(max_activations=2)
    response = admin_api.post(
        f"/api/license/{license.pk}/register-device",
        {"hardware_hash": "hw-new", "machine_name": "DESKTOP-XYZ789", "app_version": "1.0.0"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    device = Activation.objects.get(pk=body["device_id"])
    assert (device.license_id, device.machine_name) == (license.pk, "DESKTOP-XYZ789")
    assert body["message"] == "Device registered successfully"
    event = AuditEvent.objects.get(action="activation.created", target_id=str(license.pk))
    assert event.actor.startswith("key:")


def test_registering_the_same_device_again_returns_its_id(admin_api):
    license = LicenseFactory()
    device = ActivationFactory(license=license, hardware_hash="hw-1")
    response = admin_api.post(
        f"/api/license/{license.pk}/register-device", {"hardware_hash": "hw-1"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["device_id"] == device.pk


def test_registering_beyond_max_activations_is_refused_like_an_activation(admin_api):
    license = LicenseFactory(max_activations=1)
    ActivationFactory(license=license)
    response = admin_api.post(
        f"/api/license/{license.pk}/register-device", {"hardware_hash": "hw-2"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "ACTIVATION_LIMIT_REACHED"
    assert Activation.objects.filter(license=license).count() == 1


def test_registering_on_an_inactive_license_is_refused(admin_api):
    license = LicenseFactory(is_active=False)
    response = admin_api.post(
        f"/api/license/{license.pk}/register-device", {"hardware_hash": "hw"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "LICENSE_INACTIVE"


def test_deactivating_a_device_frees_the_seat_and_ends_its_sessions(admin_api):
    license = LicenseFactory(max_activations=1)
    device = ActivationFactory(license=license)
    session = LicenseSessionFactory(activation=device)
    response = admin_api.post(f"/api/license/{license.pk}/deactivate-device/{device.pk}")
    assert response.json() == {"success": True, "message": "Device deactivated successfully"}
    device.refresh_from_db()
    session.refresh_from_db()
    assert device.is_active is False and device.deactivated_by.startswith("key:")
    assert session.end_reason == "admin"
    assert AuditEvent.objects.filter(action="activation.deactivated").exists()
    again = admin_api.post(
        f"/api/license/{license.pk}/register-device", {"hardware_hash": "hw-new"}, format="json"
    )
    assert again.status_code == 201


def test_deactivating_twice_is_409(admin_api):
    license = LicenseFactory()
    device = ActivationFactory(license=license)
    admin_api.post(f"/api/license/{license.pk}/deactivate-device/{device.pk}")
    response = admin_api.post(f"/api/license/{license.pk}/deactivate-device/{device.pk}")
    assert response.status_code == 409
    assert response.json()["code"] == "DEVICE_ALREADY_INACTIVE"


def test_a_device_of_another_license_is_404_and_stays_active(admin_api):
    license, other = LicenseFactory(), LicenseFactory()
    device = ActivationFactory(license=other)
    response = admin_api.post(f"/api/license/{license.pk}/deactivate-device/{device.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "DEVICE_NOT_FOUND"
    device.refresh_from_db()
    assert device.is_active
