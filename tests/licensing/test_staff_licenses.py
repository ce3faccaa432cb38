"""Staff license management: toggle, bulk actions (all or nothing), quick edit with the device
limit, key generation, REST with filters, and the audit trail of every change."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from licensing import keys
from licensing.models import Activation, License, LicenseSession, Resource
from limon_site.models import AuditEvent
from tests.licensing.factories import (
    ActivationFactory,
    CustomerFactory,
    LicenseFactory,
    LicenseSessionFactory,
    ProductFactory,
    ResourceFactory,
)

pytestmark = pytest.mark.django_db


def audit_actions(license_id) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_type="license", target_id=str(license_id))
        .order_by("id")
        .values_list("action", flat=True)
    )


# --- toggle -----------------------------------------------------------------------------------


def test_toggle_flips_the_license_and_says_which_way(admin_api):
    license = LicenseFactory(is_active=True)
    first = admin_api.post(f"/api/license/{license.pk}/toggle").json()
    second = admin_api.post(f"/api/license/{license.pk}/toggle").json()
    assert first == {
        "success": True,
        "is_active": False,
        "message": "License deactivated successfully",
    }
    assert second["is_active"] is True
    assert second["message"] == "License activated successfully"
    changes = AuditEvent.objects.filter(action="license.updated", target_id=str(license.pk))
    assert [e.changes["is_active"] for e in changes.order_by("id")] == [
        {"old": True, "new": False},
        {"old": False, "new": True},
    ]


def test_toggle_of_an_unknown_license_is_404(admin_api):
    response = admin_api.post("/api/license/999999/toggle")
    assert response.status_code == 404
    assert response.json()["code"] == "LICENSE_NOT_FOUND"


def test_toggle_from_the_panel_session_needs_the_csrf_token(staff_api):
    license = LicenseFactory()
    refused = staff_api.post(f"/api/license/{license.pk}/toggle")
    assert refused.status_code == 403
    assert refused.json()["code"] == "CSRF_FAILED"
    license.refresh_from_db()
    assert license.is_active is True


# --- bulk -------------------------------------------------------------------------------------


def test_bulk_deactivate_changes_every_named_license_and_audits_each(admin_api):
    licenses = LicenseFactory.create_batch(3)
    other = LicenseFactory()
    response = admin_api.post(
        "/api/licenses/bulk-deactivate",
        {"license_ids": [lic.pk for lic in licenses]},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["count"] == 3
    assert not License.objects.filter(pk__in=[lic.pk for lic in licenses], is_active=True).exists()
    assert License.objects.get(pk=other.pk).is_active
    for license in licenses:
        assert "license.updated" in audit_actions(license.pk)


def test_bulk_activate_counts_licenses_already_active_but_reports_the_changed_ones(admin_api):
    active = LicenseFactory(is_active=True)
    inactive = LicenseFactory(is_active=False)
    body = admin_api.post(
        "/api/licenses/bulk-activate", {"license_ids": [active.pk, inactive.pk]}, format="json"
    ).json()
    assert body["count"] == 2
    assert body["changed"] == 1
    assert body["message"] == "2 licenses activated successfully"


def test_bulk_deactivate_with_an_unknown_id_is_400_listing_it_and_changes_nothing(admin_api):
    licenses = LicenseFactory.create_batch(2)
    response = admin_api.post(
        "/api/licenses/bulk-deactivate",
        {"license_ids": [licenses[0].pk, 999998, licenses[1].pk, 999999]},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "UNKNOWN_LICENSES"
    assert body["details"]["unknown_ids"] == [999998, 999999]
    assert License.objects.filter(is_active=True).count() == 2
    assert not AuditEvent.objects.filter(action="license.updated").exists()


def test_bulk_delete_with_an_unknown_id_deletes_nothing(admin_api):
    licenses = LicenseFactory.create_batch(2)
    response = admin_api.post(
        "/api/licenses/bulk-delete",
        {"license_ids": [licenses[0].pk, licenses[1].pk, 424242]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["details"]["unknown_ids"] == [424242]
    assert License.objects.count() == 2


def test_a_failure_midway_rolls_the_whole_bulk_back(admin_api, monkeypatch):
    """All or nothing even when the failure comes after some licenses were changed."""
    from licensing.services import licenses as license_service

    first, second, third = LicenseFactory.create_batch(3)
    real_update = license_service.update_license

    def failing_update(*, license, **changes):
        if license.pk == third.pk:
            raise RuntimeError("disk full")
        return real_update(license=license, **changes)

    monkeypatch.setattr(license_service, "update_license", failing_update)
    response = admin_api.post(
        "/api/licenses/bulk-deactivate",
        {"license_ids": [first.pk, second.pk, third.pk]},
        format="json",
    )
    assert response.status_code == 500
    assert License.objects.filter(is_active=True).count() == 3
    assert not AuditEvent.objects.filter(action="license.updated").exists()


def test_bulk_delete_removes_devices_and_sessions_and_returns_resources_to_the_pool(admin_api):
    license = LicenseFactory()
    session = LicenseSessionFactory(activation=ActivationFactory(license=license))
    resource = ResourceFactory()
    admin_api.post(
        "/api/resources/allocate",
        {"license_id": license.pk, "resource_ids": [resource.pk]},
        format="json",
    )
    response = admin_api.post(
        "/api/licenses/bulk-delete", {"license_ids": [license.pk]}, format="json"
    )
    assert response.json() == {
        "success": True,
        "deleted": 1,
        "message": "1 license deleted successfully",
    }
    assert not License.objects.filter(pk=license.pk).exists()
    assert not LicenseSession.objects.filter(pk=session.pk).exists()
    resource.refresh_from_db()
    assert resource.status == "available" and resource.license_id is None
    assert resource.history.first().action == "released"
    deleted = AuditEvent.objects.get(action="license.deleted", target_id=str(license.pk))
    assert deleted.changes["removed"]["resources_released"] == 1


@pytest.mark.parametrize("body", [{}, {"license_ids": []}, {"license_ids": ["x"]}])
def test_bulk_requests_without_ids_are_400(admin_api, body):
    response = admin_api.post("/api/licenses/bulk-activate", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "VALIDATION_ERROR"


# --- quick edit -------------------------------------------------------------------------------


def test_quick_edit_changes_validity_and_limits(admin_api):
    license = LicenseFactory(max_activations=2, max_users=1)
    response = admin_api.post(
        f"/api/license/{license.pk}/quick-edit",
        {"valid_until": "2027-01-01", "max_activations": 10, "max_users": 50},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["message"] == "License updated successfully"
    license.refresh_from_db()
    assert (str(license.valid_until), license.max_activations, license.max_users) == (
        "2027-01-01",
        10,
        50,
    )
    changes = AuditEvent.objects.get(action="license.updated", target_id=str(license.pk)).changes
    assert changes["max_users"] == {"old": 1, "new": 50}


def test_quick_edit_leaves_fields_it_was_not_given(admin_api):
    license = LicenseFactory(max_activations=3, max_users=7)
    valid_until = license.valid_until
    admin_api.post(f"/api/license/{license.pk}/quick-edit", {"max_users": 8}, format="json")
    license.refresh_from_db()
    assert (license.max_activations, license.max_users, license.valid_until) == (
        3,
        8,
        valid_until,
    )


def test_quick_edit_with_null_valid_until_makes_the_license_open_ended(admin_api):
    license = LicenseFactory()
    admin_api.post(f"/api/license/{license.pk}/quick-edit", {"valid_until": None}, format="json")
    license.refresh_from_db()
    assert license.valid_until is None


def test_lowering_max_activations_below_the_active_devices_is_409_naming_them(admin_api):
    license = LicenseFactory(max_activations=5)
    now = timezone.now()
    oldest = ActivationFactory(license=license, activated_at=now - timedelta(days=3))
    ActivationFactory(license=license, activated_at=now - timedelta(days=2))
    ActivationFactory(license=license, activated_at=now - timedelta(days=1))
    response = admin_api.post(
        f"/api/license/{license.pk}/quick-edit", {"max_activations": 2}, format="json"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "ACTIVE_DEVICES_EXCEED_LIMIT"
    assert [d["id"] for d in body["details"]["would_deactivate"]] == [oldest.pk]
    license.refresh_from_db()
    assert license.max_activations == 5
    assert Activation.objects.filter(license=license, is_active=True).count() == 3


def test_force_deactivates_the_oldest_devices_ends_their_sessions_and_says_which(admin_api):
    license = LicenseFactory(max_activations=5)
    now = timezone.now()
    oldest = ActivationFactory(license=license, activated_at=now - timedelta(days=3))
    second = ActivationFactory(license=license, activated_at=now - timedelta(days=2))
    newest = ActivationFactory(license=license, activated_at=now - timedelta(days=1))
    session = LicenseSessionFactory(activation=oldest)
    response = admin_api.post(
        f"/api/license/{license.pk}/quick-edit",
        {"max_activations": 1, "force": True},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert [d["id"] for d in body["deactivated_devices"]] == [oldest.pk, second.pk]
    assert "2 device(s) deactivated" in body["message"]
    assert list(Activation.objects.filter(license=license, is_active=True)) == [newest]
    session.refresh_from_db()
    assert session.ended_at is not None and session.end_reason == "admin"
    assert audit_actions(license.pk).count("activation.deactivated") == 2


def test_quick_edit_validates_its_fields(admin_api):
    license = LicenseFactory()
    response = admin_api.post(
        f"/api/license/{license.pk}/quick-edit",
        {"max_users": 0, "valid_until": "not a date"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["details"]["fields"]) == {"max_users", "valid_until"}


# --- keys -------------------------------------------------------------------------------------


def test_generated_keys_are_well_formed_unambiguous_and_unused(admin_api):
    taken = LicenseFactory().key
    generated = {
        admin_api.post("/api/generate-license-key").json()["license_key"] for _ in range(50)
    }
    assert len(generated) == 50
    assert taken not in generated
    for key in generated:
        assert re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){3}", key)
        assert not set(key.replace("-", "")) - set(keys.ALPHABET)
        assert not set(key) & set("01OILU")


# --- REST -------------------------------------------------------------------------------------


def test_creating_a_license_without_a_key_generates_one(admin_api):
    customer, product = CustomerFactory(), ProductFactory()
    response = admin_api.post(
        "/api/licensing/licenses",
        {"customer": customer.pk, "product": product.pk, "max_activations": 3, "max_users": 2},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert keys.is_well_formed(body["key"])
    assert body["customer_name"] == customer.name
    assert body["status"] == "active"
    assert body["current_activations"] == 0
    assert audit_actions(body["id"]) == ["license.created"]


def test_creating_a_license_with_a_taken_key_is_409(admin_api):
    existing = LicenseFactory()
    response = admin_api.post(
        "/api/licensing/licenses",
        {"key": existing.key, "customer": existing.customer_id, "product": existing.product_id},
        format="json",
    )
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "DUPLICATE_KEY"


def test_license_list_filters_by_customer_product_status_and_expiry(admin_api):
    today = timezone.localdate()
    acme = CustomerFactory()
    soon = LicenseFactory(customer=acme, valid_until=today + timedelta(days=10))
    later = LicenseFactory(customer=acme, valid_until=today + timedelta(days=300))
    inactive = LicenseFactory(customer=acme, is_active=False)
    expired = LicenseFactory(valid_until=today - timedelta(days=1))

    def keys_for(query: str) -> set[str]:
        return {
            row["key"]
            for row in admin_api.get(f"/api/licensing/licenses?{query}").json()["results"]
        }

    assert keys_for(f"customer={acme.pk}") == {soon.key, later.key, inactive.key}
    assert keys_for("status=inactive") == {inactive.key}
    assert keys_for("status=expired") == {expired.key}
    assert keys_for(f"customer={acme.pk}&expiring_within=30") == {soon.key}
    assert keys_for(f"product={later.product_id}") == {later.key}
    assert keys_for(f"q={soon.key[:9]}") == {soon.key}


def test_patch_applies_the_device_limit_rule_too(admin_api):
    license = LicenseFactory(max_activations=3)
    ActivationFactory.create_batch(2, license=license)
    refused = admin_api.patch(
        f"/api/licensing/licenses/{license.pk}", {"max_activations": 1}, format="json"
    )
    assert refused.status_code == 409
    forced = admin_api.patch(
        f"/api/licensing/licenses/{license.pk}",
        {"max_activations": 1, "force": True},
        format="json",
    )
    assert forced.status_code == 200
    assert forced.json()["current_activations"] == 1


def test_the_key_of_a_license_cannot_be_changed(admin_api):
    license = LicenseFactory()
    response = admin_api.patch(
        f"/api/licensing/licenses/{license.pk}", {"key": "ABCD-EFGH-JKMN-PQRS"}, format="json"
    )
    assert response.status_code == 400
    assert "key" in response.json()["details"]["fields"]


def test_deleting_a_license_through_rest_returns_its_resources(admin_api):
    license = LicenseFactory()
    resource = ResourceFactory()
    Resource.objects.filter(pk=resource.pk).update(
        status="allocated", license=license, allocated_at=timezone.now()
    )
    assert admin_api.delete(f"/api/licensing/licenses/{license.pk}").status_code == 204
    resource.refresh_from_db()
    assert resource.status == "available"
