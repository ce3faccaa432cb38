from datetime import timedelta

import pytest
from django.utils import timezone

from licensing.models import Activation
from licensing.services import catalogue
from tests.licensing.factories import ActivationFactory, LicenseFactory, ReleaseFactory

pytestmark = pytest.mark.django_db

URL = "/api/license/verify"


def _verify(api, license_key, hardware_hash="hw-1", app_version="1.0.0"):
    return api.post(
        URL,
        {"license_key": license_key, "hardware_hash": hardware_hash, "app_version": app_version},
        format="json",
    )


def test_valid_license_answers_the_seed_shape(client_api):
    activation = ActivationFactory(hardware_hash="hw-1")
    license = activation.license
    release = ReleaseFactory(product=license.product, version="1.0.0")
    catalogue.update_product(product=license.product, current_version=release.version)
    response = _verify(client_api, license.key)
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is True
    assert body["message"] == "License is valid"
    assert body["reason"] is None
    assert body["license"]["key"] == license.key
    assert body["license"]["valid_until"] == license.valid_until.isoformat()
    assert body["license"]["max_users"] == license.max_users
    assert body["update_available"] is False
    assert body["latest_version"] == "1.0.0"


@pytest.mark.parametrize(
    ("setup", "reason"),
    [
        (lambda a: None, "not_activated_on_this_device"),
        (
            lambda a: a.license.__class__.objects.filter(pk=a.license_id).update(is_active=False),
            "inactive",
        ),
        (
            lambda a: a.license.__class__.objects.filter(pk=a.license_id).update(
                valid_from=timezone.localdate() - timedelta(days=10),
                valid_until=timezone.localdate() - timedelta(days=1),
            ),
            "expired",
        ),
    ],
)
def test_invalid_license_answers_200_with_a_reason(client_api, setup, reason):
    activation = ActivationFactory(
        hardware_hash="other-device" if reason.startswith("not") else "hw-1"
    )
    setup(activation)
    response = _verify(client_api, activation.license.key)
    assert response.status_code == 200
    assert response.json()["valid"] is False
    assert response.json()["reason"] == reason


def test_unknown_key_is_valid_false_not_found(client_api):
    body = _verify(client_api, "ABCD-ABCD-ABCD-ABCD").json()
    assert body == body | {"valid": False, "reason": "not_found", "license": None}


def test_version_below_minimum_is_unsupported_and_mandatory(client_api):
    activation = ActivationFactory(hardware_hash="hw-1")
    product = activation.license.product
    ReleaseFactory(product=product, version="2.0.0")
    catalogue.update_product(product=product, minimum_version="1.5.0")
    body = _verify(client_api, activation.license.key, app_version="1.4.9").json()
    assert body["valid"] is False
    assert body["reason"] == "version_unsupported"
    assert body["is_mandatory"] is True
    assert body["update_available"] is True


def test_update_available_uses_semantic_ordering(client_api):
    activation = ActivationFactory(hardware_hash="hw-1")
    ReleaseFactory(product=activation.license.product, version="1.10.0")
    ReleaseFactory(product=activation.license.product, version="1.9.2")
    body = _verify(client_api, activation.license.key, app_version="1.9.2").json()
    assert body["valid"] is True
    assert body["update_available"] is True
    assert body["latest_version"] == "1.10.0"


def test_verify_refreshes_last_heartbeat(client_api):
    long_ago = timezone.now() - timedelta(hours=3)
    activation = ActivationFactory(hardware_hash="hw-1", last_heartbeat=long_ago)
    _verify(client_api, activation.license.key)
    assert Activation.objects.get(pk=activation.pk).last_heartbeat > long_ago


def test_verify_writes_last_heartbeat_at_most_once_a_minute(client_api):
    recent = timezone.now() - timedelta(seconds=20)
    activation = ActivationFactory(hardware_hash="hw-1", last_heartbeat=recent, app_version="1.0.0")
    _verify(client_api, activation.license.key)
    assert Activation.objects.get(pk=activation.pk).last_heartbeat == recent


def test_legacy_validate_accepts_hardware_id(client_api):
    activation = ActivationFactory(hardware_hash="legacy-hw")
    response = client_api.post(
        "/api/v1/validate",
        {
            "license_key": activation.license.key,
            "hardware_id": "legacy-hw",
            "activation_id": str(activation.pk),
            "app_version": "1.0.0",
        },
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["valid"] is True


def test_info_lists_the_license_and_its_activations(client_api):
    license = LicenseFactory(customer__name="ACME Corp")
    ActivationFactory(license=license, hardware_hash="a")
    ActivationFactory(
        license=license, hardware_hash="b", is_active=False, deactivated_at=timezone.now()
    )
    response = client_api.get(f"/api/license/info/{license.key}")
    assert response.status_code == 200
    body = response.json()
    assert body["license"]["customer_name"] == "ACME Corp"
    assert body["license"]["key"] == license.key
    for field in (
        "id",
        "type",
        "valid_from",
        "valid_until",
        "max_activations",
        "max_users",
        "is_active",
    ):
        assert field in body["license"]
    assert {a["hardware_hash"] for a in body["activations"]} == {"a", "b"}
    assert set(body["activations"][0]) >= {
        "id",
        "hardware_hash",
        "machine_name",
        "activated_at",
        "last_heartbeat",
        "is_active",
    }


def test_info_for_unknown_key_is_404(client_api):
    response = client_api.get("/api/license/info/ZZZZ-ZZZZ-ZZZZ-ZZZZ")
    assert response.status_code == 404
    assert response.json()["code"] == "LICENSE_NOT_FOUND"
