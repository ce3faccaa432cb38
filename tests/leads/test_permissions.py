"""Who may use the CRM: staff (session with CSRF) and admin keys. Anonymous visitors are sent
to the login page (pages) or get the 401 envelope (API)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import UserFactory
from tests.leads.factories import ContactFactory, NoteFactory

pytestmark = pytest.mark.django_db

API_GETS = [
    "/leads/api/stats",
    "/leads/api/institutions",
    "/leads/api/institutions/{institution}",
    "/leads/api/contacts",
    "/leads/api/contacts/{contact}",
    "/leads/api/contacts/{contact}/details",
    "/leads/api/notes",
    "/leads/api/notes/{note}",
    "/leads/api/notes/{note}/versions",
    "/leads/api/activities",
]
PAGES = [
    "/leads/",
    "/leads/create",
    "/leads/edit/{institution}",
    "/leads/export",
    "/leads/import",
    "/leads/{institution}",
    "/leads/contacts/{contact}",
    "/leads/notes/{note}/versions",
]


@pytest.fixture
def ids():
    contact = ContactFactory()
    note = NoteFactory(institution=contact.institution)
    return {"institution": contact.institution_id, "contact": contact.pk, "note": note.pk}


@pytest.mark.parametrize("url", API_GETS)
def test_anonymous_api_calls_get_the_401_envelope(api, ids, url):
    response = api.get(url.format(**ids))
    assert response.status_code == 401
    assert response.json()["code"] == "INVALID_API_KEY"
    assert set(response.json()) == {"error", "code", "status", "details", "request_id"}


def test_anonymous_create_is_refused_and_writes_nothing(api):
    response = api.post("/leads/api/institutions", {"name": "Sneaky"}, format="json")
    assert response.status_code == 401


@pytest.mark.parametrize("url", API_GETS)
def test_a_read_key_may_not_use_the_crm(read_api, ids, url):
    assert read_api.get(url.format(**ids)).status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_page_visits_go_to_the_login_page(client, ids, url):
    response = client.get(url.format(**ids))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("panel:login"))


@pytest.mark.parametrize("url", ["/leads/update/{institution}", "/leads/delete/{institution}"])
def test_anonymous_posts_go_to_the_login_page(client, ids, url):
    response = client.post(url.format(**ids))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("panel:login"))


def test_a_logged_in_non_staff_user_gets_403(client, ids):
    client.force_login(UserFactory(is_staff=False))
    assert client.get("/leads/").status_code == 403
    assert client.get(f"/leads/{ids['institution']}").status_code == 403


def test_a_staff_session_needs_the_csrf_token_for_writes(staff_user):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(staff_user)
    without = client.post("/leads/api/institutions", {"name": "No token"}, format="json")
    assert without.status_code == 403

    client.get("/leads/")  # sets the CSRF cookie like the panel does
    token = client.cookies["csrftoken"].value
    with_token = client.post(
        "/leads/api/institutions", {"name": "With token"}, format="json", HTTP_X_CSRFTOKEN=token
    )
    assert with_token.status_code == 201


def test_a_staff_session_reads_the_api(staff_api, ids):
    assert staff_api.get("/leads/api/stats").status_code == 200
