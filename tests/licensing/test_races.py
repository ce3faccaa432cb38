"""Limits under real concurrency: parallel HTTP requests against gunicorn (4 processes,
16 threads each) on PostgreSQL. On SQLite these are skipped: SQLite serialises writers, and the
same rules are covered single-threaded by the other test modules on both databases."""

from collections import Counter

import pytest

from licensing.models import Activation, LicenseSession
from limon_site import config
from limon_site.models import AuditEvent
from tests.factories import make_api_key
from tests.licensing.conftest import ON_POSTGRES, POSTGRES_ONLY_REASON
from tests.licensing.factories import ActivationFactory, LicenseFactory
from tests.licensing.http import call, simultaneously

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres_only,
    pytest.mark.skipif(not ON_POSTGRES, reason=POSTGRES_ONLY_REASON),
]


@pytest.fixture
def client_key() -> str:
    return make_api_key("client")[1]


def test_fifty_simultaneous_activations_on_five_seats_let_exactly_five_in(gunicorn_url, client_key):
    license = LicenseFactory(max_activations=5)
    url = f"{gunicorn_url}/api/license/activate"
    attempts = [
        lambda n=n: call(
            url,
            api_key=client_key,
            body={"license_key": license.key, "hardware_hash": f"hw-{n:02d}"},
        )
        for n in range(50)
    ]
    statuses = Counter(status for status, _ in simultaneously(attempts))
    assert statuses == {201: 5, 409: 45}
    assert Activation.objects.filter(license=license, is_active=True).count() == 5


def test_the_same_device_activating_ten_times_at_once_gets_one_activation(gunicorn_url, client_key):
    license = LicenseFactory(max_activations=5)
    url = f"{gunicorn_url}/api/license/activate"
    results = simultaneously(
        [
            lambda: call(
                url, api_key=client_key, body={"license_key": license.key, "hardware_hash": "same"}
            )
            for _ in range(10)
        ]
    )
    statuses = Counter(status for status, _ in results)
    assert statuses == {201: 1, 200: 9}
    assert len({body["activation"]["id"] for _, body in results}) == 1
    assert Activation.objects.filter(license=license).count() == 1


def test_twenty_simultaneous_session_starts_on_a_single_session_product_let_one_in(
    gunicorn_url, client_key
):
    license = LicenseFactory(product__single_session=True, max_activations=20)
    for n in range(20):
        ActivationFactory(license=license, hardware_hash=f"dev-{n:02d}")
    url = f"{gunicorn_url}/api/license/session/start"
    results = simultaneously(
        [
            lambda n=n: call(
                url,
                api_key=client_key,
                body={"license_key": license.key, "hardware_hash": f"dev-{n:02d}"},
            )
            for n in range(20)
        ]
    )
    statuses = Counter(status for status, _ in results)
    assert statuses == {200: 1, 409: 19}
    assert all(body["code"] == "SESSION_LIMIT" for status, body in results if status == 409)
    assert LicenseSession.objects.filter(license=license, ended_at__isnull=True).count() == 1


def test_heartbeats_racing_an_end_leave_a_session_ended_exactly_once(gunicorn_url, client_key):
    config.update("licensing", {"heartbeat_window_seconds": 0, "heartbeat_tolerance_seconds": 0})
    license = LicenseFactory(product__single_session=True)
    ActivationFactory(license=license, hardware_hash="dev")
    for _round in range(5):
        status, started = call(
            f"{gunicorn_url}/api/license/session/start",
            api_key=client_key,
            body={"license_key": license.key, "hardware_hash": "dev"},
        )
        assert status == 200
        token = started["session_token"]
        heartbeat = {"session_token": token, "license_key": license.key}
        requests = [
            lambda body=heartbeat: call(
                f"{gunicorn_url}/api/license/session/heartbeat", api_key=client_key, body=body
            )
            for _ in range(10)
        ] + [
            lambda body={"session_token": token}: call(
                f"{gunicorn_url}/api/license/session/end", api_key=client_key, body=body
            )
            for _ in range(5)
        ]
        results = simultaneously(requests)
        beats, ends = results[:10], results[10:]
        # Accepted, refused because the session ended, or limited by a concurrent heartbeat.
        assert {status for status, _ in beats} <= {200, 409, 429}
        assert all(status == 200 for status, _ in ends)
        assert sum(1 for _, body in ends if not body["already_ended"]) == 1
        assert len({body["ended_at"] for _, body in ends}) == 1
        session = LicenseSession.objects.get(token=token)
        assert session.end_reason == "client"
        # No heartbeat was accepted after the end.
        assert session.last_heartbeat <= session.ended_at
        accepted = sum(1 for status, _ in beats if status == 200)
        assert session.heartbeat_count == accepted
        ended_audits = AuditEvent.objects.filter(
            action="session.ended", changes__session_token=token
        )
        assert ended_audits.count() == 1
