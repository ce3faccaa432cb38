"""Webhooks the licensing side sends, metrics, the client-call log and the demo seeder."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from licensing import queries
from licensing.calllog import HotPathBuffer
from licensing.models import Activation, ClientEvent, Customer, License, LicenseSession
from licensing.services import activations, client_events, notifications
from limon_site import config, metrics
from limon_site.errors import Conflict
from limon_site.webhooks import services as webhooks
from limon_site.webhooks.models import WebhookDelivery
from tests.licensing.factories import ActivationFactory, LicenseFactory, LicenseSessionFactory
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
    webhooks.create_endpoint(name="crm", url=receiver.url, events=["*"])
    return receiver


def test_activation_sends_license_activated_in_the_seed_shape(
    client_api, subscribed, django_capture_on_commit_callbacks
):
    license = LicenseFactory(max_activations=10)
    with django_capture_on_commit_callbacks(execute=True):
        client_api.post(
            "/api/license/activate",
            {"license_key": license.key, "hardware_hash": "hw"},
            format="json",
        )
    [request] = subscribed.requests
    body = request.json
    activation = Activation.objects.get()
    assert body["event"] == "license.activated"
    assert body["timestamp"].endswith("Z")
    assert body["data"]["license_id"] == license.pk
    assert body["data"]["activation_id"] == f"act_{activation.pk}"
    assert body["data"]["customer_id"] == license.customer_id


def test_usage_threshold_fires_once_when_80_percent_is_reached(
    subscribed, django_capture_on_commit_callbacks
):
    license = LicenseFactory(max_activations=5)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            activations.activate_license(key=license.key, hardware_hash=f"hw-{n}")
    threshold = [
        r.json for r in subscribed.requests if r.json["event"] == "license.usage_threshold"
    ]
    assert len(threshold) == 1
    assert threshold[0]["data"]["active_activations"] == 4
    assert threshold[0]["data"]["percent"] == 80


def test_refused_activation_fires_usage_threshold(subscribed, django_capture_on_commit_callbacks):
    license = LicenseFactory(max_activations=1)
    ActivationFactory(license=license)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Conflict):
        activations.activate_license(key=license.key, hardware_hash="new")
    events = [r.json for r in subscribed.requests]
    assert [e["event"] for e in events] == ["license.usage_threshold"]
    assert events[0]["data"]["refused_activation"] is True
    # The refusal itself is committed to the log although the call raised.
    assert ClientEvent.objects.filter(result="activation_limit_reached").count() == 1


def test_expiring_notice_is_sent_once_per_expiry_date(
    subscribed, django_capture_on_commit_callbacks
):
    config.update("licensing", {"expiring_notice_days": 14})
    today = timezone.localdate()
    soon = LicenseFactory(valid_until=today + timedelta(days=10))
    LicenseFactory(valid_until=today + timedelta(days=60))
    LicenseFactory(valid_until=today + timedelta(days=3), is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.notify_expiring_licenses() == 1
        assert notifications.notify_expiring_licenses() == 0
    [request] = subscribed.requests
    assert request.json["event"] == "license.expiring"
    assert request.json["data"]["license_id"] == soon.pk
    assert request.json["data"]["days_left"] == 10
    # Extending the license re-arms the notice for the new date.
    License.objects.filter(pk=soon.pk).update(valid_until=today + timedelta(days=12))
    assert notifications.notify_expiring_licenses() == 1


def test_no_endpoint_no_delivery():
    license = LicenseFactory()
    activations.activate_license(key=license.key, hardware_hash="x")
    assert not WebhookDelivery.objects.exists()


def _metrics_text(api) -> str:
    return api.get("/metrics").content.decode()


def test_metrics_count_activations_and_verifications_by_result(client_api, api):
    license = LicenseFactory(max_activations=1)
    client_api.post(
        "/api/license/activate", {"license_key": license.key, "hardware_hash": "a"}, format="json"
    )
    client_api.post(
        "/api/license/activate", {"license_key": license.key, "hardware_hash": "b"}, format="json"
    )
    for hardware_hash in ("a", "a", "b"):
        client_api.post(
            "/api/license/verify",
            {"license_key": license.key, "hardware_hash": hardware_hash},
            format="json",
        )
    text = _metrics_text(api)
    assert 'limon_licensing_activations_total{result="ok"} 1.0' in text
    assert 'limon_licensing_activations_total{result="activation_limit_reached"} 1.0' in text
    assert 'limon_licensing_verifications_total{result="ok"} 2.0' in text
    assert 'limon_licensing_verifications_total{result="not_activated_on_this_device"} 1.0' in text


def test_metrics_show_live_sessions_and_heartbeats(api):
    session = LicenseSessionFactory(activation__license__product__name="Account Forger")
    LicenseSessionFactory(
        activation__license__product=session.license.product,
        last_heartbeat=timezone.now() - timedelta(hours=1),
    )
    ClientEvent.objects.create(kind="heartbeat", result="ok")
    text = _metrics_text(api)
    assert 'limon_licensing_active_sessions{product="Account Forger"} 1.0' in text
    assert "limon_licensing_heartbeats_per_minute 1.0" in text


def test_rollup_keeps_totals_while_old_rows_are_purged():
    old = timezone.now() - timedelta(days=60)
    for _ in range(3):
        ClientEvent.objects.create(kind="verify", result="ok", at=old)
    ClientEvent.objects.create(kind="verify", result="ok")
    assert client_events.rollup_client_events() == 3
    assert client_events.rollup_client_events() == 0
    assert client_events.purge_client_events() == 3
    assert queries.client_event_totals()[("verify", "ok")] == 4
    assert ClientEvent.objects.count() == 1


def test_collectors_are_registered_for_the_scrape():
    names = {source.__name__ for source in metrics._collectors}
    assert "licensing_metrics" in names


def test_demo_seeder_is_idempotent():
    call_command("seed_demo", "--only", "licensing")
    counts = (
        Customer.objects.count(),
        License.objects.count(),
        Activation.objects.count(),
        LicenseSession.objects.count(),
    )
    assert counts[0] >= 3 and counts[1] >= 4 and counts[2] >= 4 and counts[3] >= 1
    call_command("seed_demo", "--only", "licensing")
    assert counts == (
        Customer.objects.count(),
        License.objects.count(),
        Activation.objects.count(),
        LicenseSession.objects.count(),
    )


def test_hot_path_buffer_writes_rows_in_bulk_and_flushes_when_full():
    buffer = HotPathBuffer(flush_seconds=3600, max_items=3)
    buffer.add_row(ClientEvent(kind="verify", result="ok"))
    buffer.add_row(ClientEvent(kind="verify", result="ok"))
    assert ClientEvent.objects.count() == 0
    assert buffer.pending() == 2
    buffer.add_row(ClientEvent(kind="verify", result="expired"))
    assert ClientEvent.objects.count() == 3
    assert buffer.pending() == 0
    assert buffer.flush() == 0


def test_buffered_activation_touches_keep_the_latest_time_per_device():
    activation = ActivationFactory(app_version="1.0.0")
    buffer = HotPathBuffer(flush_seconds=3600)
    first, later = timezone.now() - timedelta(seconds=5), timezone.now()
    buffer.add_touch(activation.pk, first, "")
    buffer.add_touch(activation.pk, later, "1.1.0")
    assert buffer.pending() == 1
    buffer.flush()
    activation.refresh_from_db()
    assert activation.last_heartbeat == later
    assert activation.app_version == "1.1.0"
