"""The seed's HTML routes and the pages behind them."""

import pytest

from leads.models import Activity, Contact, ContactDetail, Institution, Note
from tests.leads.factories import ContactFactory, InstitutionFactory

pytestmark = pytest.mark.django_db


def test_overview_shows_tiles_pipeline_follow_ups_and_table(staff_client):
    from django.utils import timezone

    InstitutionFactory(name="Due Soon", next_follow_up=timezone.localdate(), status="contacted")
    InstitutionFactory(name="Other One", status="won")

    page = staff_client.get("/leads/").content.decode()

    assert "Conversion rate" in page
    assert "Pipeline" in page
    assert "Follow-ups due this week" in page
    assert page.count("Due Soon") == 2  # follow-up list and table
    assert "Other One" in page


def test_overview_search_and_pagination(staff_client):
    for n in range(30):
        InstitutionFactory(name=f"Lab {n:02d}")
    InstitutionFactory(name="Zeta Works", city="Zürich")

    found = staff_client.get("/leads/", {"search": "zürich"}).content.decode()
    second = staff_client.get("/leads/", {"page": 2}).content.decode()

    assert "Zeta Works" in found and "Lab 01" not in found
    assert "Page 2 of 2" in second


def test_create_form_saves_a_new_lead(staff_client):
    assert staff_client.get("/leads/create").status_code == 200
    response = staff_client.post(
        "/leads/create",
        {"name": "New University", "type": "university", "status": "new", "country": "de"},
    )
    institution = Institution.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/leads/{institution.pk}"
    assert institution.country == "DE"


def test_create_form_shows_a_duplicate_on_the_name_field(staff_client):
    InstitutionFactory(name="Taken", country="DE")
    response = staff_client.post(
        "/leads/create", {"name": "taken", "type": "other", "status": "new", "country": "DE"}
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert Institution.objects.count() == 1


def test_edit_then_update(staff_client):
    institution = InstitutionFactory(name="Old Name", status="new")
    page = staff_client.get(f"/leads/edit/{institution.pk}").content.decode()
    assert "Old Name" in page and f'action="/leads/update/{institution.pk}"' in page

    response = staff_client.post(
        f"/leads/update/{institution.pk}",
        {"name": "New Name", "type": "company", "status": "qualified", "country": "DE"},
    )

    assert response.status_code == 302
    institution.refresh_from_db()
    assert (institution.name, institution.status) == ("New Name", "qualified")
    assert Activity.objects.filter(institution=institution, type="status_change").exists()


def test_update_with_a_bad_country_shows_the_error_and_keeps_the_lead(staff_client):
    institution = InstitutionFactory(name="Keep", country="DE")
    response = staff_client.post(
        f"/leads/update/{institution.pk}",
        {"name": "Changed", "type": "other", "status": "new", "country": "XX"},
    )
    assert response.status_code == 400
    institution.refresh_from_db()
    assert institution.name == "Keep"


def test_update_is_post_only(staff_client):
    institution = InstitutionFactory()
    assert staff_client.get(f"/leads/update/{institution.pk}").status_code == 405
    assert staff_client.get(f"/leads/delete/{institution.pk}").status_code == 405


def test_delete_asks_for_confirmation_first(staff_client):
    institution = InstitutionFactory(name="Doomed")
    first = staff_client.post(f"/leads/delete/{institution.pk}")
    assert first.status_code == 200
    assert "Delete Doomed?" in first.content.decode()
    assert Institution.objects.exists()

    second = staff_client.post(f"/leads/delete/{institution.pk}", {"confirm": "yes"})
    assert second.status_code == 302
    assert not Institution.objects.exists()


def test_delete_without_csrf_is_refused(client, staff_user):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(staff_user)
    institution = InstitutionFactory()
    response = csrf_client.post(f"/leads/delete/{institution.pk}", {"confirm": "yes"})
    assert response.status_code == 403
    assert Institution.objects.exists()


def test_detail_page_flow_contact_note_edit_history_activity(staff_client):
    institution = InstitutionFactory(country="DE")
    staff_client.post(
        f"/leads/{institution.pk}/contacts",
        {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": "ada@example.com",
            "phone": "030 1234567",
        },
    )
    contact = Contact.objects.get()
    assert set(ContactDetail.objects.values_list("value", flat=True)) == {
        "ada@example.com",
        "+49301234567",
    }
    staff_client.post(f"/leads/{institution.pk}/notes", {"content": "First"})
    note = Note.objects.get()
    staff_client.post(f"/leads/notes/{note.pk}/edit", {"content": "Second", "expected_version": 1})
    staff_client.post(f"/leads/{institution.pk}/activities", {"type": "meeting", "summary": "Demo"})

    page = staff_client.get(f"/leads/{institution.pk}").content.decode()
    history = staff_client.get(f"/leads/notes/{note.pk}/versions").content.decode()

    assert "Ada Lovelace" in page and "ada@example.com" in page
    assert "version 2" in page and "Second" in page
    assert "Demo" in page
    assert "Version 1" in history and "First" in history and "Version 2" in history
    assert staff_client.get(f"/leads/contacts/{contact.pk}").status_code == 200


def test_a_bad_email_on_the_page_is_reported_and_nothing_is_saved(staff_client):
    institution = InstitutionFactory()
    response = staff_client.post(
        f"/leads/{institution.pk}/contacts",
        {"first_name": "Bad", "last_name": "Mail", "email": "nope"},
        follow=True,
    )
    assert "not a valid e-mail address" in response.content.decode()
    assert not Contact.objects.exists()


def test_contact_page_edits_and_adds_details(staff_client):
    contact = ContactFactory(institution=InstitutionFactory(country="GB"))
    staff_client.post(
        f"/leads/contacts/{contact.pk}", {"first_name": "Grace", "last_name": "Hopper"}
    )
    staff_client.post(
        f"/leads/contacts/{contact.pk}/details",
        {"type": "phone", "value": "020 7946 0958", "label": "Desk"},
    )
    contact.refresh_from_db()
    assert contact.full_name == "Grace Hopper"
    assert contact.details.get().value == "+442079460958"


def test_status_change_from_the_page(staff_client):
    institution = InstitutionFactory(status="new")
    staff_client.post(f"/leads/{institution.pk}/status", {"status": "contacted"})
    institution.refresh_from_db()
    assert institution.status == "contacted"


def test_the_overview_query_count_does_not_grow_with_rows(
    staff_client, django_assert_max_num_queries
):
    InstitutionFactory.create_batch(25)
    with django_assert_max_num_queries(20):
        assert staff_client.get("/leads/").status_code == 200
