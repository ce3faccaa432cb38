import pytest

from licensing.keys import ALPHABET, KEY_RE
from licensing.models import Customer
from licensing.services.customers import create_customer, delete_customer, update_customer
from licensing.services.licenses import create_license
from limon_site.errors import Conflict, ValidationFailed
from limon_site.models import AuditEvent
from tests.licensing.factories import CustomerFactory, LicenseFactory, ProductFactory

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


def test_an_inactive_product_takes_no_new_licenses():
    with pytest.raises(ValidationFailed, match="inactive"):
        create_license(customer=CustomerFactory(), product=ProductFactory(is_active=False))


def test_create_license_generates_an_unambiguous_unique_key_and_audits():
    license = create_license(customer=CustomerFactory(), product=ProductFactory(), actor="user:x")
    assert KEY_RE.match(license.key)
    assert set(license.key.replace("-", "")) <= set(ALPHABET)
    assert AuditEvent.objects.filter(action="license.created", target_id=str(license.pk)).exists()
    with pytest.raises(Conflict):
        create_license(customer=license.customer, product=license.product, key=license.key)
