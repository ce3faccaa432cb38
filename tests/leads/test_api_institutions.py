"""The seed's institution endpoints and the REST around them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from leads.models import Activity, Institution
from tests.factories import StaffFactory
from tests.leads.factories import ContactFactory, DetailFactory, InstitutionFactory

pytestmark = pytest.mark.django_db


def test_list_has_the_seed_shape(admin_api):
    institution = InstitutionFactory(name="Tech University")
    ContactFactory.create_batch(5, institution=institution)

    body = admin_api.get("/leads/api/institutions").json()

    assert set(body) == {"institutions", "total", "page", "per_page"}
    assert (body["total"], body["page"], body["per_page"]) == (1, 1, 20)
    row = body["institutions"][0]
    assert {"id", "name", "contact_count", "created_at"} <= set(row)
    assert (row["id"], row["name"], row["contact_count"]) == (institution.pk, "Tech University", 5)
    assert row["created_at"].endswith("Z")


def test_per_page_defaults_to_20_and_is_capped_at_100(admin_api):
    InstitutionFactory.create_batch(105)

    first = admin_api.get("/leads/api/institutions").json()
    capped = admin_api.get("/leads/api/institutions?per_page=500").json()
    last = admin_api.get("/leads/api/institutions?per_page=100&page=2").json()

    assert len(first["institutions"]) == 20
    assert (len(capped["institutions"]), capped["per_page"], capped["total"]) == (100, 100, 105)
    assert len(last["institutions"]) == 5


def test_a_page_past_the_end_is_empty_not_an_error(admin_api):
    InstitutionFactory.create_batch(3)
    body = admin_api.get("/leads/api/institutions?page=9").json()
    assert (body["institutions"], body["total"], body["page"]) == ([], 3, 9)


def test_a_non_numeric_page_is_a_400_naming_it(admin_api):
    response = admin_api.get("/leads/api/institutions?per_page=lots")
    assert response.status_code == 400
    assert "per_page" in response.json()["details"]["fields"]


@pytest.mark.parametrize("term", ["tech", "HAMBURG", "jane", "Jane Roe", "roe@tech-u.example"])
def test_search_covers_name_city_contact_names_and_emails(admin_api, term):
    wanted = InstitutionFactory(name="Tech University", city="Hamburg")
    contact = ContactFactory(institution=wanted, first_name="Jane", last_name="Roe")
    DetailFactory(contact=contact, type="email", value="roe@tech-u.example")
    InstitutionFactory(name="Other Place", city="Köln")

    body = admin_api.get("/leads/api/institutions", {"search": term}).json()

    assert [row["id"] for row in body["institutions"]] == [wanted.pk]


def test_search_lists_an_institution_once_even_with_many_matching_contacts(admin_api):
    institution = InstitutionFactory(name="Acme")
    ContactFactory.create_batch(3, institution=institution, last_name="Smith")
    body = admin_api.get("/leads/api/institutions?search=smith").json()
    assert body["total"] == 1
    assert body["institutions"][0]["contact_count"] == 3


def test_filters_by_type_status_owner_and_follow_up_due(admin_api):
    owner = StaffFactory(username="sam")
    today = timezone.localdate()
    due = InstitutionFactory(
        type="company", status="qualified", owner=owner, next_follow_up=today - timedelta(days=1)
    )
    InstitutionFactory(type="company", status="won", next_follow_up=today - timedelta(days=1))
    InstitutionFactory(type="university", status="qualified", next_follow_up=today + timedelta(9))

    def ids(query):
        return [
            r["id"] for r in admin_api.get("/leads/api/institutions", query).json()["institutions"]
        ]

    assert ids({"type": "company", "status": "qualified"}) == [due.pk]
    assert ids({"owner": "sam"}) == [due.pk]
    assert ids({"follow_up_due": "true"}) == [due.pk]


def test_an_unknown_filter_value_is_a_400(admin_api):
    response = admin_api.get("/leads/api/institutions?status=sleeping")
    assert response.status_code == 400
    assert response.json()["code"] == "VALIDATION_ERROR"


def test_create_answers_201_with_the_seed_shape(admin_api):
    response = admin_api.post("/leads/api/institutions", {"name": "New University"}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert {"id", "name", "created_at"} <= set(body)
    assert body["name"] == "New University"
    assert Institution.objects.get(pk=body["id"]).status == "new"


def test_create_normalises_country_website_and_tags(admin_api):
    body = admin_api.post(
        "/leads/api/institutions",
        {
            "name": "  Rhein   Werk ",
            "country": "de",
            "website": "rheinwerk.example",
            "tags": "CAE, hpc,cae",
            "type": "company",
        },
        format="json",
    ).json()
    assert body["name"] == "Rhein Werk"
    assert body["country"] == "DE"
    assert body["website"] == "https://rheinwerk.example"
    assert body["tags"] == ["cae", "hpc"]


@pytest.mark.parametrize("name", ["Tech University", "TECH university"])
def test_a_duplicate_name_in_the_same_country_is_409(admin_api, name):
    InstitutionFactory(name="Tech University", country="DE")

    response = admin_api.post(
        "/leads/api/institutions", {"name": name, "country": "DE"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "DUPLICATE_INSTITUTION"
    assert Institution.objects.count() == 1


def test_the_same_name_in_another_country_is_another_institution(admin_api):
    InstitutionFactory(name="Tech University", country="DE")
    response = admin_api.post(
        "/leads/api/institutions", {"name": "Tech University", "country": "AT"}, format="json"
    )
    assert response.status_code == 201


def test_bad_fields_are_400_naming_the_field(admin_api):
    for body, field in (
        ({}, "name"),
        ({"name": "X", "country": "Germany"}, "country"),
        ({"name": "X", "type": "charity"}, "type"),
        ({"name": "X", "owner": "nobody"}, "owner"),
    ):
        response = admin_api.post("/leads/api/institutions", body, format="json")
        assert response.status_code == 400, body
        assert field in response.json()["details"]["fields"], body


def test_get_one_includes_its_contacts(admin_api):
    institution = InstitutionFactory()
    contact = ContactFactory(institution=institution)
    body = admin_api.get(f"/leads/api/institutions/{institution.pk}").json()
    assert [c["id"] for c in body["contacts"]] == [contact.pk]


def test_unknown_institution_is_a_404_envelope(admin_api):
    response = admin_api.get("/leads/api/institutions/999")
    assert response.status_code == 404
    assert response.json()["code"] == "NOT_FOUND"


def test_patch_changes_fields_and_a_status_change_becomes_an_activity(admin_api):
    institution = InstitutionFactory(status="new")

    response = admin_api.patch(
        f"/leads/api/institutions/{institution.pk}",
        {"status": "contacted", "city": "Bonn"},
        format="json",
    )

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["city"]) == ("contacted", "Bonn")
    activity = Activity.objects.get(institution=institution)
    assert activity.type == "status_change"
    assert activity.details == {"from": "new", "to": "contacted"}


def test_renaming_onto_an_existing_name_is_409_and_changes_nothing(admin_api):
    InstitutionFactory(name="Taken", country="DE")
    institution = InstitutionFactory(name="Free", country="DE")
    response = admin_api.patch(
        f"/leads/api/institutions/{institution.pk}", {"name": "taken"}, format="json"
    )
    assert response.status_code == 409
    institution.refresh_from_db()
    assert institution.name == "Free"


def test_status_endpoint_records_the_summary(admin_api):
    institution = InstitutionFactory(status="proposal")
    response = admin_api.post(
        f"/leads/api/institutions/{institution.pk}/status",
        {"status": "won", "summary": "Signed for 40 seats"},
        format="json",
    )
    assert response.json()["status"] == "won"
    assert Activity.objects.get(institution=institution).summary == "Signed for 40 seats"


def test_delete_removes_the_institution_and_its_contacts(admin_api):
    institution = InstitutionFactory()
    ContactFactory(institution=institution)
    response = admin_api.delete(f"/leads/api/institutions/{institution.pk}")
    assert response.status_code == 204
    assert not Institution.objects.exists()


def test_the_list_query_count_does_not_grow_with_rows(admin_api, django_assert_max_num_queries):
    for institution in InstitutionFactory.create_batch(30, owner=StaffFactory()):
        ContactFactory(institution=institution)
    admin_api.get("/leads/api/institutions?per_page=1")  # the API key is cached from here on
    with django_assert_max_num_queries(12):  # 5 are the key cache read and throttling
        body = admin_api.get("/leads/api/institutions?per_page=30").json()
    assert len(body["institutions"]) == 30
