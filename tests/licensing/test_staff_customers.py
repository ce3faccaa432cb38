"""Customers for staff: the Select2 search, a customer's licenses and quick statistics, REST
with a clear 409 on deleting a customer who still holds licenses, and the audit trail."""

from datetime import timedelta

import pytest
from django.utils import timezone

from licensing.models import Customer
from limon_site.models import AuditEvent
from tests.licensing.factories import ActivationFactory, CustomerFactory, LicenseFactory

pytestmark = pytest.mark.django_db


def test_select2_search_answers_id_and_text_twenty_per_page(admin_api):
    for n in range(25):
        CustomerFactory(name=f"Globex {n:02d}", email=f"it{n}@globex.test")
    CustomerFactory(name="Initech", email="x@initech.test")
    first = admin_api.get("/api/customers?q=globex").json()
    second = admin_api.get("/api/customers?q=globex&page=2").json()
    assert len(first["results"]) == 20 and first["pagination"] == {"more": True}
    assert len(second["results"]) == 5 and second["pagination"] == {"more": False}
    assert first["results"][0] == {
        "id": Customer.objects.get(name="Globex 00").pk,
        "text": "Globex 00 - it0@globex.test",
    }
    names = {row["text"] for row in first["results"] + second["results"]}
    assert not any("Initech" in name for name in names)


def test_select2_search_matches_e_mail_and_shows_the_name_alone_without_one(admin_api):
    CustomerFactory(name="No Mail AG", email="")
    CustomerFactory(name="Umbrella", email="ops@umbrella.test")
    assert admin_api.get("/api/customers?q=ops@umb").json()["results"][0]["text"] == (
        "Umbrella - ops@umbrella.test"
    )
    assert admin_api.get("/api/customers?q=no mail").json()["results"][0]["text"] == "No Mail AG"


def test_a_page_past_the_end_is_empty_not_the_last_page_again(admin_api):
    CustomerFactory.create_batch(3)
    body = admin_api.get("/api/customers?page=9").json()
    assert body == {"results": [], "pagination": {"more": False}}


def test_customer_licenses_list_status_and_active_devices(admin_api):
    customer = CustomerFactory()
    today = timezone.localdate()
    active = LicenseFactory(customer=customer, max_activations=5)
    ActivationFactory.create_batch(3, license=active)
    ActivationFactory(license=active, is_active=False, deactivated_at=timezone.now())
    LicenseFactory(customer=customer, valid_until=today - timedelta(days=2))
    LicenseFactory()  # someone else's
    rows = admin_api.get(f"/api/customer/{customer.pk}/licenses").json()["licenses"]
    by_key = {row["license_key"]: row for row in rows}
    assert len(rows) == 2
    assert by_key[active.key]["current_activations"] == 3
    assert by_key[active.key]["status"] == "active"
    assert by_key[active.key]["max_activations"] == 5
    assert sorted(row["status"] for row in rows) == ["active", "expired"]


def test_quick_stats_count_licenses_devices_and_seats(admin_api):
    customer = CustomerFactory()
    first = LicenseFactory(customer=customer, max_users=10)
    second = LicenseFactory(customer=customer, max_users=5)
    LicenseFactory(customer=customer, max_users=100, is_active=False)
    ActivationFactory.create_batch(2, license=first)
    ActivationFactory(license=second)
    assert admin_api.get(f"/api/customer/{customer.pk}/quick-stats").json() == {
        "total_licenses": 3,
        "active_licenses": 2,
        "total_activations": 3,
        "total_users": 15,
    }


def test_unknown_customer_is_404_in_the_envelope(admin_api):
    response = admin_api.get("/api/customer/999999/quick-stats")
    assert response.status_code == 404
    assert response.json()["code"] == "NOT_FOUND"


def test_rest_create_update_and_delete_are_audited(admin_api):
    created = admin_api.post(
        "/api/licensing/customers",
        {"name": "  Wayne Enterprises ", "email": "bruce@wayne.test"},
        format="json",
    )
    assert created.status_code == 201
    customer_id = created.json()["id"]
    assert created.json()["name"] == "Wayne Enterprises"
    assert created.json()["license_count"] == 0
    updated = admin_api.patch(
        f"/api/licensing/customers/{customer_id}", {"phone": "+1 555 0100"}, format="json"
    )
    assert updated.json()["phone"] == "+1 555 0100"
    assert admin_api.delete(f"/api/licensing/customers/{customer_id}").status_code == 204
    actions = AuditEvent.objects.filter(target_type="customer", target_id=str(customer_id))
    assert sorted(actions.values_list("action", flat=True)) == [
        "customer.created",
        "customer.deleted",
        "customer.updated",
    ]


def test_deleting_a_customer_with_licenses_is_a_clear_409(admin_api):
    customer = CustomerFactory()
    LicenseFactory.create_batch(2, customer=customer)
    response = admin_api.delete(f"/api/licensing/customers/{customer.pk}")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "CUSTOMER_HAS_LICENSES"
    assert body["details"] == {"license_count": 2}
    assert Customer.objects.filter(pk=customer.pk).exists()


def test_a_customer_needs_a_name(admin_api):
    response = admin_api.post("/api/licensing/customers", {"name": " "}, format="json")
    assert response.status_code == 400


def test_customer_list_filters_by_q(admin_api):
    CustomerFactory(name="Stark Industries")
    CustomerFactory(name="Oscorp")
    rows = admin_api.get("/api/licensing/customers?q=stark").json()["results"]
    assert [row["name"] for row in rows] == ["Stark Industries"]


def test_a_client_key_cannot_read_customers(client_api):
    response = client_api.get("/api/customers")
    assert response.status_code == 403
    assert response.json()["code"] == "INSUFFICIENT_SCOPE"
