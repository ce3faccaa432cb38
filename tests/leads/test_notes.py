"""Versioned notes: every edit keeps the earlier versions with author and time."""

import pytest

from leads import services
from leads.models import Activity, Note
from tests.factories import StaffFactory, make_api_key
from tests.leads.factories import ContactFactory, InstitutionFactory

pytestmark = pytest.mark.django_db


def _client_as(client_factory, user):
    client = client_factory()
    client.force_login(user)
    return client


def test_three_edits_keep_versions_1_to_3_with_their_authors(api):
    from rest_framework.test import APIClient

    alice, bob, carol = (StaffFactory(username=n) for n in ("alice", "bob", "carol"))
    institution = InstitutionFactory()
    created = _client_as(APIClient, alice).post(
        "/leads/api/notes",
        {"institution_id": institution.pk, "content": "First call"},
        format="json",
    )
    assert created.status_code == 201
    note_id = created.json()["id"]
    assert created.json()["version"] == 1

    for author, text in ((bob, "Second call"), (carol, "Third call")):
        edited = _client_as(APIClient, author).patch(
            f"/leads/api/notes/{note_id}", {"content": text}, format="json"
        )
        assert edited.status_code == 200

    body = _client_as(APIClient, alice).get(f"/leads/api/notes/{note_id}/versions").json()
    assert body["current_version"] == 3
    assert [(v["version"], v["content"], v["created_by"]) for v in body["versions"]] == [
        (1, "First call", "alice"),
        (2, "Second call", "bob"),
        (3, "Third call", "carol"),
    ]
    times = [v["created_at"] for v in body["versions"]]
    assert times == sorted(times)
    note = _client_as(APIClient, alice).get(f"/leads/api/notes/{note_id}").json()
    assert (note["content"], note["version"]) == ("Third call", 3)
    assert (note["created_by"], note["updated_by"]) == ("alice", "carol")


def test_an_api_key_author_is_named_by_its_label(api):
    key, clear = make_api_key("admin")
    api.credentials(HTTP_X_API_KEY=clear)
    contact = ContactFactory()
    body = api.post(
        "/leads/api/notes", {"contact_id": contact.pk, "content": "Hello"}, format="json"
    ).json()
    assert body["created_by"] == f"key:{key.prefix}"


def test_saving_the_same_text_adds_no_version(admin_api):
    note = services.add_note(institution=InstitutionFactory(), content="Same", actor="x")
    body = admin_api.patch(f"/leads/api/notes/{note.pk}", {"content": "Same"}, format="json")
    assert body.json()["version"] == 1


def test_an_edit_on_a_stale_version_is_409(admin_api):
    note = services.add_note(institution=InstitutionFactory(), content="v1", actor="x")
    services.edit_note(note=note, content="v2", actor="y")

    response = admin_api.patch(
        f"/leads/api/notes/{note.pk}", {"content": "mine", "expected_version": 1}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "NOTE_VERSION_CONFLICT"
    assert Note.objects.get(pk=note.pk).content == "v2"


def test_delete_is_soft_and_keeps_the_history(admin_api):
    institution = InstitutionFactory()
    note = services.add_note(institution=institution, content="v1", actor="x")
    services.edit_note(note=note, content="v2", actor="y")

    assert admin_api.delete(f"/leads/api/notes/{note.pk}").status_code == 204

    listed = admin_api.get(f"/leads/api/notes?institution_id={institution.pk}").json()
    assert listed["notes"] == []
    with_deleted = admin_api.get(
        f"/leads/api/notes?institution_id={institution.pk}&include_deleted=true"
    ).json()
    assert [n["id"] for n in with_deleted["notes"]] == [note.pk]
    versions = admin_api.get(f"/leads/api/notes/{note.pk}/versions").json()
    assert [v["content"] for v in versions["versions"]] == ["v1", "v2"]
    assert versions["deleted_at"] is not None
    edit = admin_api.patch(f"/leads/api/notes/{note.pk}", {"content": "v3"}, format="json")
    assert edit.status_code == 409


def test_deleted_notes_leave_the_contact_view(admin_api):
    contact = ContactFactory()
    kept = services.add_note(contact=contact, content="kept", actor="x")
    gone = services.add_note(contact=contact, content="gone", actor="x")
    services.delete_note(note=gone, actor="x")
    body = admin_api.get(f"/leads/api/contacts/{contact.pk}").json()
    assert [n["id"] for n in body["notes"]] == [kept.pk]


def test_a_note_needs_exactly_one_target(admin_api):
    contact = ContactFactory()
    both = admin_api.post(
        "/leads/api/notes",
        {"content": "x", "contact_id": contact.pk, "institution_id": contact.institution_id},
        format="json",
    )
    neither = admin_api.post("/leads/api/notes", {"content": "x"}, format="json")
    assert (both.status_code, neither.status_code) == (400, 400)


def test_adding_a_note_is_an_activity(admin_api):
    institution = InstitutionFactory()
    admin_api.post(
        "/leads/api/notes", {"institution_id": institution.pk, "content": "Met"}, format="json"
    )
    assert Activity.objects.get(institution=institution).type == "note"


def test_activities_api_logs_calls_and_refuses_system_types(admin_api):
    institution = InstitutionFactory()
    ok = admin_api.post(
        "/leads/api/activities",
        {"institution_id": institution.pk, "type": "call", "summary": "Intro"},
        format="json",
    )
    refused = admin_api.post(
        "/leads/api/activities",
        {"institution_id": institution.pk, "type": "status_change"},
        format="json",
    )
    assert ok.status_code == 201
    assert refused.status_code == 400
    listed = admin_api.get(f"/leads/api/activities?institution_id={institution.pk}").json()
    assert [a["summary"] for a in listed["activities"]] == ["Intro"]
    one = admin_api.get(f"/leads/api/activities/{ok.json()['id']}").json()
    assert one["type"] == "call"
