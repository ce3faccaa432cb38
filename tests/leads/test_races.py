"""Parallel requests on PostgreSQL: the database, not Python, decides who wins."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from leads import services
from leads.models import Institution, NoteVersion
from tests.factories import make_api_key
from tests.leads.factories import InstitutionFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
WORKERS = 8


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for real concurrent transactions")


def _in_parallel(request):
    _, clear = make_api_key("admin")
    barrier = Barrier(WORKERS)

    def call(index):
        client = APIClient()
        client.credentials(HTTP_X_API_KEY=clear)
        try:
            barrier.wait()
            return request(client, index).status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(WORKERS) as pool:
        return sorted(pool.map(call, range(WORKERS)))


def test_parallel_creates_of_one_name_make_one_institution():
    statuses = _in_parallel(
        lambda client, i: client.post(
            "/leads/api/institutions",
            {"name": "Race University" if i % 2 else "RACE university", "country": "DE"},
            format="json",
        )
    )
    assert statuses == [201] + [409] * (WORKERS - 1)
    assert Institution.objects.count() == 1


def test_parallel_note_edits_each_get_their_own_version():
    note = services.add_note(institution=InstitutionFactory(), content="v1", actor="x")
    statuses = _in_parallel(
        lambda client, i: client.patch(
            f"/leads/api/notes/{note.pk}", {"content": f"edit {i}"}, format="json"
        )
    )
    assert statuses == [200] * WORKERS
    versions = sorted(NoteVersion.objects.filter(note=note).values_list("version", flat=True))
    assert versions == list(range(1, WORKERS + 2))
