"""Contacts and contact details: the seed's shapes and the validation of e-mails and phones."""

import pytest

from leads.models import Contact, ContactDetail
from tests.leads.factories import ContactFactory, DetailFactory, InstitutionFactory, NoteFactory

pytestmark = pytest.mark.django_db


def test_contact_has_the_seed_shape(admin_api):
    contact = ContactFactory(first_name="John", last_name="Doe", position="IT Manager")
    DetailFactory(contact=contact, type="email", value="john.doe@example.com", label="Work")
    DetailFactory(contact=contact, type="phone", value="+49123456789", label="Mobile")
    NoteFactory(institution=None, contact=contact, content="Initial contact", created_by="admin")

    body = admin_api.get(f"/leads/api/contacts/{contact.pk}").json()

    assert {
        "id",
        "first_name",
        "last_name",
        "position",
        "institution_id",
        "details",
        "notes",
    } <= set(body)
    assert (body["first_name"], body["last_name"], body["position"]) == (
        "John",
        "Doe",
        "IT Manager",
    )
    assert body["institution_id"] == contact.institution_id
    assert [set(d) for d in body["details"]] == [{"id", "type", "value", "label"}] * 2
    assert {(d["type"], d["value"], d["label"]) for d in body["details"]} == {
        ("email", "john.doe@example.com", "Work"),
        ("phone", "+49123456789", "Mobile"),
    }
    note = body["notes"][0]
    assert {"id", "content", "version", "created_at", "created_by"} <= set(note)
    assert (note["content"], note["version"], note["created_by"]) == ("Initial contact", 1, "admin")


def test_add_detail_answers_the_seed_shape(admin_api):
    contact = ContactFactory()

    response = admin_api.post(
        f"/leads/api/contacts/{contact.pk}/details",
        {"type": "email", "value": "secondary@example.com", "label": "Secondary"},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "type", "value", "label"}
    assert (body["type"], body["value"], body["label"]) == (
        "email",
        "secondary@example.com",
        "Secondary",
    )


@pytest.mark.parametrize(
    ("detail_type", "value"),
    [
        ("email", "not-an-address"),
        ("email", "a@b"),
        ("phone", "+1 555"),
        ("phone", "call me"),
        ("phone", "123456789012345678"),
    ],
)
def test_a_bad_email_or_phone_is_400_naming_value(admin_api, detail_type, value):
    contact = ContactFactory()

    response = admin_api.post(
        f"/leads/api/contacts/{contact.pk}/details",
        {"type": detail_type, "value": value},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "VALIDATION_ERROR"
    assert "value" in response.json()["details"]["fields"]
    assert not ContactDetail.objects.exists()


@pytest.mark.parametrize(
    ("country", "typed", "stored"),
    [
        ("DE", "030 1234567", "+49301234567"),
        ("DE", "+49 (30) 123-4567", "+49301234567"),
        ("GB", "0044 20 7946 0958", "+442079460958"),
        ("US", "(202) 555-0143", "+12025550143"),
    ],
)
def test_phones_are_stored_in_e164_reading_national_numbers_in_the_country(
    admin_api, country, typed, stored
):
    contact = ContactFactory(institution=InstitutionFactory(country=country))
    body = admin_api.post(
        f"/leads/api/contacts/{contact.pk}/details",
        {"type": "phone", "value": typed, "label": "Office"},
        format="json",
    ).json()
    assert body["value"] == stored


def test_the_same_detail_twice_is_409(admin_api):
    contact = ContactFactory()
    url = f"/leads/api/contacts/{contact.pk}/details"
    admin_api.post(url, {"type": "email", "value": "a@example.com"}, format="json")
    response = admin_api.post(url, {"type": "email", "value": "a@EXAMPLE.com"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "DUPLICATE_DETAIL"


def test_create_contact_with_details_and_first_becomes_primary(admin_api):
    institution = InstitutionFactory(country="DE")
    response = admin_api.post(
        "/leads/api/contacts",
        {
            "institution_id": institution.pk,
            "first_name": "Ada",
            "last_name": "Lovelace",
            "details": [{"type": "email", "value": "ada@example.com", "label": "Work"}],
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["is_primary"] is True
    assert response.json()["details"][0]["value"] == "ada@example.com"

    second = admin_api.post(
        "/leads/api/contacts",
        {"institution_id": institution.pk, "last_name": "Babbage", "is_primary": True},
        format="json",
    ).json()
    assert Contact.objects.get(is_primary=True).pk == second["id"]


def test_a_contact_with_a_bad_detail_is_not_created(admin_api):
    institution = InstitutionFactory()
    response = admin_api.post(
        "/leads/api/contacts",
        {
            "institution_id": institution.pk,
            "last_name": "Lovelace",
            "details": [{"type": "email", "value": "broken"}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert not Contact.objects.exists()


def test_a_contact_needs_a_name(admin_api):
    institution = InstitutionFactory()
    response = admin_api.post(
        "/leads/api/contacts", {"institution_id": institution.pk}, format="json"
    )
    assert response.status_code == 400


def test_contact_list_filters_by_institution_and_search(admin_api):
    mine = ContactFactory(last_name="Curie")
    ContactFactory(last_name="Bohr")
    body = admin_api.get(
        "/leads/api/contacts", {"institution_id": mine.institution_id, "search": "cur"}
    ).json()
    assert [c["id"] for c in body["contacts"]] == [mine.pk]
    assert body["total"] == 1


def test_update_and_delete_contact(admin_api):
    contact = ContactFactory(position="Intern")
    response = admin_api.patch(
        f"/leads/api/contacts/{contact.pk}", {"position": "CIO"}, format="json"
    )
    assert response.json()["position"] == "CIO"
    assert admin_api.delete(f"/leads/api/contacts/{contact.pk}").status_code == 204
    assert not Contact.objects.exists()


def test_detail_endpoints_update_and_delete(admin_api):
    detail = DetailFactory(type="phone", value="+49301234567", label="")
    url = f"/leads/api/details/{detail.pk}"
    assert admin_api.get(url).json()["contact_id"] == detail.contact_id
    assert admin_api.patch(url, {"label": "Desk"}, format="json").json()["label"] == "Desk"
    assert admin_api.patch(url, {"value": "nonsense"}, format="json").status_code == 400
    assert admin_api.delete(url).status_code == 204
    assert not ContactDetail.objects.exists()
