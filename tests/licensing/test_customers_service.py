import pytest

from licensing.models import Customer
from licensing.services.customers import create_customer, delete_customer, update_customer
from limon_site.errors import Conflict, ValidationFailed
from limon_site.models import AuditEvent
from tests.licensing.factories import LicenseFactory

pytestmark = pytest.mark.django_db


def test_create_customer_stores_fields_and_writes_the_audit_trail():
    customer = create_customer(
        name=" ACME Corp ", email="admin@acme.com", phone="+49 30 1234", actor="lead:42"
    )
    assert Customer.objects.get(pk=customer.pk).name == "ACME Corp"
    assert customer.text == "ACME Corp - admin@acme.com"
    event = AuditEvent.objects.get(action="customer.created", target_id=str(customer.pk))
    assert event.actor == "lead:42"
    assert event.changes["email"]["new"] == "admin@acme.com"


def test_create_customer_requires_keyword_arguments_and_a_name():
    with pytest.raises(TypeError):
        create_customer("ACME Corp")  # type: ignore[misc]
    with pytest.raises(ValidationFailed):
        create_customer(name="  ")
    assert not Customer.objects.exists()


def test_create_customer_rejects_a_malformed_email_without_saving():
    with pytest.raises(ValidationFailed, match="email"):
        create_customer(name="ACME", email="not-an-email")
    assert not Customer.objects.exists()


def test_update_customer_audits_only_changed_fields():
    customer = create_customer(name="ACME", email="a@acme.com")
    update_customer(customer=customer, phone="+1 555", actor="user:staff")
    event = AuditEvent.objects.get(action="customer.updated")
    assert event.changes == {"phone": {"old": "", "new": "+1 555"}}


def test_customer_with_licenses_cannot_be_deleted():
    license = LicenseFactory()
    with pytest.raises(Conflict) as caught:
        delete_customer(customer=license.customer)
    assert caught.value.code == "CUSTOMER_HAS_LICENSES"
    assert Customer.objects.filter(pk=license.customer_id).exists()
