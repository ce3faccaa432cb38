"""Anomaly detection end to end: checks at activation and heartbeat time, the scheduled scan,
de-duplication, resolving, the ``license.suspicious`` webhook, the API and the audit trail."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.models import Schedule

from licensing.models import Anomaly
from licensing.services import anomalies, sessions
from limon_site import config
from limon_site.errors import RateLimited
from limon_site.models import AuditEvent
from limon_site.webhooks import services as webhooks
from tests.licensing.factories import (
    ActivationFactory,
    AnomalyFactory,
    ClientEventFactory,
    LicenseFactory,
    LicenseSessionFactory,
)
from tests.webhooks.receiver import start_receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    receiver, server = start_receiver()
    yield receiver
    server.shutdown()
    server.server_close()


@pytest.fixture
def subscribed(receiver):
    webhooks.create_endpoint(name="soc", url=receiver.url, events=["license.suspicious"])
    return receiver


def activate(client_api, license, hardware_hash):
    return client_api.post(
        "/api/license/activate",
        {"license_key": license.key, "hardware_hash": hardware_hash},
        format="json",
    )


def deactivate(client_api, license, hardware_hash):
    return client_api.post(
        "/api/license/deactivate",
        {"license_key": license.key, "hardware_hash": hardware_hash},
        format="json",
    )


def test_seat_cycling_through_the_client_api_raises_one_anomaly_and_one_webhook(
    client_api, subscribed, django_capture_on_commit_callbacks
):
    license = LicenseFactory(max_activations=2)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(4):
            assert activate(client_api, license, f"hw-{n}").status_code == 201
            if n < 3:
                assert deactivate(client_api, license, f"hw-{n}").status_code == 200
    [anomaly] = Anomaly.objects.filter(type="unusual_activation_pattern")
    assert anomaly.license_id == license.pk
    assert anomaly.evidence["events"] == 7
    assert anomaly.evidence["threshold"] == 6
    assert not anomaly.resolved
    [delivery] = subscribed.requests
    body = delivery.json
    assert body["event"] == "license.suspicious"
    assert body["data"]["license_id"] == license.pk
    assert body["data"]["customer_id"] == license.customer_id
    assert body["data"]["anomaly_type"] == "unusual_activation_pattern"
    assert body["data"]["anomaly_id"] == anomaly.pk
    assert AuditEvent.objects.filter(action="anomaly.detected", target_id=str(license.pk)).exists()


def test_more_cycling_refreshes_the_open_anomaly_without_a_second_webhook(
    client_api, subscribed, django_capture_on_commit_callbacks
):
    license = LicenseFactory(max_activations=2)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            activate(client_api, license, f"hw-{n}")
            deactivate(client_api, license, f"hw-{n}")
    anomaly = Anomaly.objects.get(type="unusual_activation_pattern")
    assert anomaly.occurrences == 4  # events 7, 8, 9 and 10
    assert anomaly.evidence["events"] == 10
    types = [request.json["data"]["anomaly_type"] for request in subscribed.requests]
    assert types.count("unusual_activation_pattern") == 1
    assert types.count("license_hopping") == 1  # the seat also moved device to device 4 times


def test_one_machine_registered_on_three_licenses_is_license_hopping(admin_api):
    licenses = LicenseFactory.create_batch(3)
    for license in licenses:
        response = admin_api.post(
            f"/api/license/{license.pk}/register-device",
            {"hardware_hash": "the-same-machine"},
            format="json",
        )
        assert response.status_code == 201
    [anomaly] = Anomaly.objects.filter(type="license_hopping")
    assert anomaly.subject == "device:the-same-machine"
    assert anomaly.evidence["license_ids"] == sorted(lic.pk for lic in licenses)
    assert anomaly.license_id == licenses[-1].pk


def test_heartbeats_faster_than_allowed_raise_excessive_heartbeats():
    session = LicenseSessionFactory()
    start = timezone.now()
    sessions.heartbeat(token=str(session.token), now=start + timedelta(seconds=60))
    refused = 0
    for n in range(1, 25):
        try:
            sessions.heartbeat(token=str(session.token), now=start + timedelta(seconds=60 + n))
        except RateLimited:
            refused += 1
    assert refused == 24
    [anomaly] = Anomaly.objects.filter(type="excessive_heartbeats")
    assert anomaly.subject == f"activation:{session.activation_id}"
    assert anomaly.license_id == session.license_id
    assert anomaly.evidence["threshold"] == 20
    assert anomaly.evidence["heartbeats"] == 25  # 1 accepted + 24 refused, all in the window
    assert anomaly.occurrences == 5  # opened at the 21st call, refreshed by the next four


def test_the_scheduled_scan_finds_every_rule_on_synthetic_history():
    now = timezone.now()
    churned = LicenseFactory(max_activations=20)
    for n in range(4):
        at = now - timedelta(minutes=50 - 10 * n)
        ActivationFactory(
            license=churned,
            activated_at=at,
            is_active=False,
            deactivated_at=at + timedelta(minutes=2),
        )
    noisy = ActivationFactory()
    for n in range(30):
        ClientEventFactory(
            kind="heartbeat",
            result="rate_limited",
            at=now - timedelta(seconds=10 * n),
            license_id=noisy.license_id,
            activation_id=noisy.pk,
        )
    for license in LicenseFactory.create_batch(3):
        ActivationFactory(
            license=license, hardware_hash="hopper", activated_at=now - timedelta(hours=3)
        )
    quiet = LicenseFactory()
    ActivationFactory(license=quiet, activated_at=now - timedelta(minutes=5))

    result = anomalies.scan(now=now)
    assert result["new"] == 3
    assert set(Anomaly.objects.values_list("type", "subject")) == {
        ("unusual_activation_pattern", f"license:{churned.pk}"),
        ("excessive_heartbeats", f"activation:{noisy.pk}"),
        ("license_hopping", "device:hopper"),
    }
    assert not Anomaly.objects.filter(license=quiet).exists()
    again = anomalies.scan(now=now + timedelta(minutes=5))
    assert again["new"] == 0
    assert Anomaly.objects.count() == 3
    assert set(Anomaly.objects.values_list("occurrences", flat=True)) == {1}


def test_thresholds_are_configurable():
    now = timezone.now()
    license = LicenseFactory(max_activations=20)
    for n in range(3):
        ActivationFactory(license=license, activated_at=now - timedelta(minutes=n))
    assert anomalies.scan(now=now)["new"] == 0
    config.update("anomalies", {"activation_max_events": 2})
    assert anomalies.scan(now=now)["new"] == 1


def test_a_resolved_anomaly_is_not_reopened_by_the_same_evidence_but_new_evidence_opens_one(
    subscribed, django_capture_on_commit_callbacks
):
    now = timezone.now()
    license = LicenseFactory(max_activations=20)
    for n in range(7):
        ActivationFactory(license=license, activated_at=now - timedelta(minutes=30 - n))
    with django_capture_on_commit_callbacks(execute=True):
        anomalies.scan(now=now)
    first = Anomaly.objects.get()
    anomalies.resolve_anomaly(anomaly=first, note="customer re-imaged lab machines", actor="user:x")
    with django_capture_on_commit_callbacks(execute=True):
        assert anomalies.scan(now=now + timedelta(minutes=1))["new"] == 0
        ActivationFactory(license=license, activated_at=now + timedelta(minutes=2))
        assert anomalies.scan(now=now + timedelta(minutes=3))["new"] == 1
    assert Anomaly.objects.filter(resolved=False).count() == 1
    assert len(subscribed.requests) == 2


def test_resolving_through_the_api_records_who_and_refuses_twice(admin_api):
    anomaly = AnomalyFactory()
    response = admin_api.post(
        f"/api/licensing/anomalies/{anomaly.pk}/resolve", {"note": "known test rig"}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["resolved"] is True
    assert body["resolved_by"].startswith("key:")
    assert body["resolution_note"] == "known test rig"
    again = admin_api.post(f"/api/licensing/anomalies/{anomaly.pk}/resolve", {}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "ANOMALY_RESOLVED"
    assert (
        AuditEvent.objects.filter(
            action="anomaly.resolved", target_id=str(anomaly.license_id)
        ).count()
        == 1
    )


def test_anomaly_list_filters_by_type_and_state(admin_api):
    AnomalyFactory(type="license_hopping")
    AnomalyFactory(type="excessive_heartbeats", resolved=True, resolved_at=timezone.now())
    open_rows = admin_api.get("/api/licensing/anomalies?resolved=false").json()["results"]
    hopping = admin_api.get("/api/licensing/anomalies?type=license_hopping").json()["results"]
    assert [row["type"] for row in open_rows] == ["license_hopping"]
    assert len(hopping) == 1
    detail = admin_api.get(f"/api/licensing/anomalies/{hopping[0]['id']}").json()
    assert {"evidence", "first_seen", "last_seen", "resolved", "resolved_by"} <= set(detail)


def test_the_scan_is_scheduled_by_name():
    schedule = Schedule.objects.get(name="licensing.scan_anomalies")
    assert schedule.func == "licensing.tasks_staff.scan_anomalies"
    assert Schedule.objects.filter(name="licensing.restore_quarantined_resources").exists()
