"""Converting a won lead into a licensing customer."""

import pytest

from leads import services
from leads.models import Activity, Institution
from licensing.models import Customer
from tests.leads.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def won_lead():
    institution = InstitutionFactory(
        name="Winner University", status="won", city="Bonn", country="DE"
    )
    services.create_contact(
        institution=institution,
        first_name="Other",
        last_name="Person",
        details=[{"type": "email", "value": "other@winner.example"}],
    )
    services.create_contact(
        institution=institution,
        first_name="Prime",
        last_name="Contact",
        is_primary=True,
        details=[
            {"type": "email", "value": "prime@winner.example"},
            {"type": "phone", "value": "0228 123456"},
        ],
    )
    return institution


def test_convert_creates_a_linked_customer_from_the_primary_contact(admin_api, won_lead):
    response = admin_api.post(f"/leads/api/institutions/{won_lead.pk}/convert")

    assert response.status_code == 201
    customer = Customer.objects.get()
    assert response.json()["customer_id"] == customer.pk
    assert (customer.name, customer.email, customer.phone, customer.contact_name) == (
        "Winner University",
        "prime@winner.example",
        "+49228123456",
        "Prime Contact",
    )
    won_lead.refresh_from_db()
    assert won_lead.customer == customer
    assert customer.lead_institution == won_lead  # linked both ways
    assert Activity.objects.get(institution=won_lead, type="conversion").details == {
        "customer_id": customer.pk
    }
    listed = admin_api.get(f"/leads/api/institutions/{won_lead.pk}").json()
    assert listed["customer_id"] == customer.pk


def test_a_second_conversion_is_refused(admin_api, won_lead):
    admin_api.post(f"/leads/api/institutions/{won_lead.pk}/convert")
    again = admin_api.post(f"/leads/api/institutions/{won_lead.pk}/convert")
    assert again.status_code == 409
    assert again.json()["code"] == "LEAD_ALREADY_CONVERTED"
    assert Customer.objects.count() == 1


def test_only_won_leads_convert(admin_api):
    institution = InstitutionFactory(status="proposal")
    response = admin_api.post(f"/leads/api/institutions/{institution.pk}/convert")
    assert response.status_code == 409
    assert response.json()["code"] == "LEAD_NOT_WON"
    assert not Customer.objects.exists()


def test_a_lead_without_contacts_converts_with_its_name(admin_api):
    institution = InstitutionFactory(status="won")
    admin_api.post(f"/leads/api/institutions/{institution.pk}/convert")
    assert Customer.objects.get().email == ""


def test_a_converted_lead_stays_won_and_is_not_deleted(admin_api, won_lead):
    admin_api.post(f"/leads/api/institutions/{won_lead.pk}/convert")
    reopened = admin_api.patch(
        f"/leads/api/institutions/{won_lead.pk}", {"status": "lost"}, format="json"
    )
    deleted = admin_api.delete(f"/leads/api/institutions/{won_lead.pk}")
    assert (reopened.status_code, deleted.status_code) == (409, 409)
    assert Institution.objects.get().status == "won"


def test_convert_button_on_the_page(staff_client, won_lead):
    page = staff_client.get(f"/leads/{won_lead.pk}").content.decode()
    assert "Convert to customer" in page
    response = staff_client.post(f"/leads/{won_lead.pk}/convert")
    assert response.status_code == 302
    page = staff_client.get(f"/leads/{won_lead.pk}").content.decode()
    assert f"Customer #{Customer.objects.get().pk}" in page
