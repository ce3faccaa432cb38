"""Staff operations under real concurrency: parallel HTTP requests against gunicorn (4 processes,
16 threads each) on PostgreSQL. Skipped on SQLite, which serialises writers (the same rules are
covered single-threaded in the other modules on both databases)."""

from collections import Counter

import pytest

from licensing.models import License, Resource, ResourceEvent
from limon_site.models import AuditEvent
from tests.factories import make_api_key
from tests.licensing.conftest import ON_POSTGRES, POSTGRES_ONLY_REASON
from tests.licensing.factories import LicenseFactory, ResourceFactory
from tests.licensing.http import call, simultaneously

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres_only,
    pytest.mark.skipif(not ON_POSTGRES, reason=POSTGRES_ONLY_REASON),
]


@pytest.fixture
def admin_key() -> str:
    return make_api_key("admin")[1]


def test_ten_staff_allocating_the_same_resource_at_once_leave_exactly_one_winner(
    gunicorn_url, admin_key
):
    licenses = LicenseFactory.create_batch(10)
    resource = ResourceFactory(type="ipv4", identifier="192.0.2.50")
    url = f"{gunicorn_url}/api/resources/allocate"
    results = simultaneously(
        [
            lambda license=license: call(
                url,
                api_key=admin_key,
                body={
                    "license_id": license.pk,
                    "resource_type": "ipv4",
                    "resource_ids": [resource.pk],
                },
            )
            for license in licenses
        ]
    )
    assert Counter(status for status, _ in results) == {200: 1, 409: 9}
    winner = next(
        license for license, (status, _) in zip(licenses, results, strict=True) if status == 200
    )
    resource.refresh_from_db()
    assert (resource.status, resource.license_id) == ("allocated", winner.pk)
    assert ResourceEvent.objects.filter(resource=resource, action="allocated").count() == 1
    losers = [body for status, body in results if status == 409]
    assert all(body["details"]["conflicts"][0]["id"] == resource.pk for body in losers)


def test_overlapping_allocations_are_all_or_nothing_under_concurrency(gunicorn_url, admin_key):
    """Ten requests each want two neighbouring resources of a chain: no resource is handed out
    twice, and no request gets half of what it asked for."""
    chain = [ResourceFactory(type="server", identifier=f"SRV-{n:02d}") for n in range(11)]
    licenses = LicenseFactory.create_batch(10)
    url = f"{gunicorn_url}/api/resources/allocate"
    results = simultaneously(
        [
            lambda n=n: call(
                url,
                api_key=admin_key,
                body={
                    "license_id": licenses[n].pk,
                    "resource_ids": [chain[n].pk, chain[n + 1].pk],
                },
            )
            for n in range(10)
        ]
    )
    assert {status for status, _ in results} <= {200, 409}
    for n, (status, _) in enumerate(results):
        held = set(Resource.objects.filter(license=licenses[n]).values_list("pk", flat=True))
        assert held == ({chain[n].pk, chain[n + 1].pk} if status == 200 else set())
    allocated = Resource.objects.filter(status="allocated").count()
    assert allocated == 2 * sum(1 for status, _ in results if status == 200)


def test_concurrent_toggles_of_one_license_are_serialised(gunicorn_url, admin_key):
    license = LicenseFactory(is_active=True)
    url = f"{gunicorn_url}/api/license/{license.pk}/toggle"
    results = simultaneously([lambda: call(url, api_key=admin_key) for _ in range(10)])
    assert all(status == 200 for status, _ in results)
    assert sorted(body["is_active"] for _, body in results) == [False] * 5 + [True] * 5
    license.refresh_from_db()
    assert license.is_active is True
    assert (
        AuditEvent.objects.filter(action="license.updated", target_id=str(license.pk)).count() == 10
    )


def test_concurrent_bulk_deactivate_and_delete_never_leave_half_done_work(gunicorn_url, admin_key):
    licenses = LicenseFactory.create_batch(6)
    ids = [license.pk for license in licenses]
    deactivate = f"{gunicorn_url}/api/licenses/bulk-deactivate"
    delete = f"{gunicorn_url}/api/licenses/bulk-delete"
    calls = [lambda: call(deactivate, api_key=admin_key, body={"license_ids": ids[:4]})] * 5 + [
        lambda: call(delete, api_key=admin_key, body={"license_ids": ids[2:]})
    ] * 5
    results = simultaneously(calls)
    assert {status for status, _ in results} <= {200, 400}
    assert [status for status, _ in results[5:]].count(200) == 1  # the deleted ids are gone after
    remaining = set(License.objects.values_list("pk", flat=True))
    assert remaining == set(ids[:2])
