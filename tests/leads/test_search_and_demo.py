"""Global search providers, demo data and the database constraints."""

import io

import pytest
from django.db import IntegrityError, transaction

from leads import demo
from leads.models import Activity, Contact, Institution, Note, NoteVersion
from limon_site.registry import registry
from tests.leads.factories import ContactFactory, DetailFactory, InstitutionFactory

pytestmark = pytest.mark.django_db


def test_global_search_finds_institutions_and_contacts(admin_api):
    institution = InstitutionFactory(name="Quantum Institute", city="Graz")
    contact = ContactFactory(institution=institution, first_name="Lise", last_name="Meitner")
    DetailFactory(contact=contact, value="lise@quantum.example")

    by_name = admin_api.get("/api/global-search", {"q": "quantum"}).json()["results"]
    by_person = admin_api.get("/api/global-search", {"q": "meitner"}).json()["results"]

    assert {(r["type"], r["id"]) for r in by_name} >= {
        ("institution", institution.pk),
        ("contact", contact.pk),  # found by the e-mail
    }
    assert {"type": "contact", "url": f"/leads/contacts/{contact.pk}"}.items() <= next(
        r for r in by_person if r["type"] == "contact"
    ).items()
    assert "institution" in registry.search_providers
    assert "contact" in registry.search_providers


def test_panel_search_links_to_the_lead(staff_client):
    institution = InstitutionFactory(name="Header Search Lab")
    page = staff_client.get("/panel/search", {"q": "header search"}).content.decode()
    assert f"/leads/{institution.pk}" in page


def test_demo_seeder_is_idempotent():
    demo.seed(stdout=io.StringIO())
    counts = [m.objects.count() for m in (Institution, Contact, Note, NoteVersion, Activity)]
    demo.seed(stdout=io.StringIO())

    assert counts[0] >= 30
    assert set(Institution.objects.values_list("status", flat=True)) == {
        "new",
        "contacted",
        "qualified",
        "proposal",
        "won",
        "lost",
    }
    assert NoteVersion.objects.filter(version=2).exists()
    assert Institution.objects.filter(customer__isnull=False).exists()
    assert [
        m.objects.count() for m in (Institution, Contact, Note, NoteVersion, Activity)
    ] == counts


def test_the_database_refuses_a_case_insensitive_duplicate_name():
    Institution.objects.create(name="Same Name", country="DE")
    with pytest.raises(IntegrityError), transaction.atomic():
        Institution.objects.create(name="SAME name", country="DE")
    Institution.objects.create(name="same name", country="FR")


def test_the_database_allows_one_primary_contact_per_institution():
    institution = InstitutionFactory()
    ContactFactory(institution=institution, is_primary=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactFactory(institution=institution, is_primary=True)
