import json
from datetime import timedelta

import pytest
from django.utils import timezone

from limon_site import config
from limon_site.models import AuditEvent, Installation
from limon_site.webhooks import emit, register_event, services, signing
from limon_site.webhooks.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db

register_event("test.thing_happened", "Used by the webhook tests.")


def _endpoint(url, events=("test.thing_happened",)):
    return services.create_endpoint(name="receiver", url=url, events=list(events))


def test_emitted_event_arrives_signed_at_the_receiver(receiver, django_capture_on_commit_callbacks):
    created = _endpoint(receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        emit("test.thing_happened", {"license_id": 123, "customer_id": 789})

    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    body = request.json
    assert body["event"] == "test.thing_happened"
    assert body["data"] == {"license_id": 123, "customer_id": 789}
    assert body["timestamp"].endswith("Z")
    timestamp = request.headers[signing.HEADER_TIMESTAMP]
    assert signing.verify(
        created.secret, timestamp, request.body, request.headers[signing.HEADER_SIGNATURE]
    )
    assert not signing.verify(
        "whsec_wrong", timestamp, request.body, request.headers[signing.HEADER_SIGNATURE]
    )
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "delivered"
    assert delivery.response_code == 200
    assert request.headers[signing.HEADER_DELIVERY] == str(delivery.delivery_id)


def test_nothing_is_sent_when_the_transaction_rolls_back(
    receiver, django_capture_on_commit_callbacks
):
    _endpoint(receiver.url)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        emit("test.thing_happened", {"x": 1})
    assert callbacks  # queued only for the commit, never before
    assert receiver.requests == []


def test_endpoints_only_get_the_events_they_subscribe_to(
    receiver, django_capture_on_commit_callbacks
):
    register_event("test.other", "another event")
    _endpoint(receiver.url, events=["test.other"])
    with django_capture_on_commit_callbacks(execute=True):
        assert emit("test.thing_happened", {}) == 0
        assert emit("test.other", {}) == 1
    assert [r.json["event"] for r in receiver.requests] == ["test.other"]


def test_unregistered_event_is_refused():
    with pytest.raises(ValueError, match="not registered"):
        emit("test.typo", {})


def test_failed_delivery_is_retried_with_exponential_backoff_until_it_succeeds(
    receiver, django_capture_on_commit_callbacks
):
    receiver.script = [500, 503]
    _endpoint(receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        emit("test.thing_happened", {"n": 1})
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "retrying"
    assert delivery.response_code == 500
    first_delay = delivery.next_attempt_at - delivery.last_attempt_at
    assert timedelta(seconds=29) <= first_delay <= timedelta(seconds=32)

    # Not due yet: the sweep leaves it alone.
    assert services.deliver_due() == {}
    services.deliver_due(now=delivery.next_attempt_at + timedelta(seconds=1))
    delivery.refresh_from_db()
    assert delivery.status == "retrying" and delivery.attempts == 2
    second_delay = delivery.next_attempt_at - delivery.last_attempt_at
    assert timedelta(seconds=59) <= second_delay <= timedelta(seconds=62)

    services.deliver_due(now=delivery.next_attempt_at + timedelta(seconds=1))
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempts == 3
    assert len(receiver.requests) == 3
    # The same event (same id) was retried, not a new one.
    assert len({r.json["id"] for r in receiver.requests}) == 1
    assert WebhookEndpoint.objects.get().consecutive_failures == 0


def test_delivery_gives_up_after_max_attempts(receiver, django_capture_on_commit_callbacks):
    config.update("webhooks", {"max_attempts": 2, "disable_after_failures": 50})
    receiver.script = [500] * 5
    _endpoint(receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        emit("test.thing_happened", {})
    services.deliver_due(now=timezone.now() + timedelta(hours=1))
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed"
    assert delivery.next_attempt_at is None
    assert services.deliver_due(now=timezone.now() + timedelta(days=1)) == {}
    assert len(receiver.requests) == 2


def test_unreachable_endpoint_is_recorded_as_a_failed_attempt():
    created = _endpoint("http://127.0.0.1:9/unreachable")
    services.emit(event="test.thing_happened", data={})
    delivery = WebhookDelivery.objects.get()
    assert services.deliver(delivery.pk) == "retrying"
    delivery.refresh_from_db()
    assert delivery.response_code is None
    assert "Error" in delivery.error
    assert WebhookEndpoint.objects.get(pk=created.endpoint.pk).consecutive_failures == 1


def test_endpoint_is_disabled_after_repeated_failures_and_audited(receiver):
    config.update("webhooks", {"disable_after_failures": 3, "max_attempts": 1})
    receiver.script = [500] * 10
    created = _endpoint(receiver.url)
    for _ in range(3):
        services.emit(event="test.thing_happened", data={})
    services.deliver_due()
    endpoint = WebhookEndpoint.objects.get(pk=created.endpoint.pk)
    assert not endpoint.is_active
    assert endpoint.disabled_at is not None
    assert (
        AuditEvent.objects.filter(action="webhook.disabled", target_id=str(endpoint.pk)).count()
        == 1
    )
    # A disabled endpoint receives nothing new.
    assert services.emit(event="test.thing_happened", data={}) == 0


def test_a_delivery_claimed_by_one_worker_is_not_sent_by_another(receiver):
    _endpoint(receiver.url)
    services.emit(event="test.thing_happened", data={})
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        locked_until=timezone.now() + timedelta(minutes=1)
    )
    assert services.deliver(delivery.pk) is None
    assert receiver.requests == []


def test_secret_is_stored_encrypted():
    created = _endpoint("https://example.test/hook")
    stored = WebhookEndpoint.objects.get().secret_encrypted
    assert created.secret not in stored
    assert signing.decrypt(stored) == created.secret


# --- admin API ---------------------------------------------------------------------------


def test_admin_creates_an_endpoint_and_sees_the_secret_only_once(admin_api):
    response = admin_api.post(
        "/api/admin/webhooks",
        {"name": "CRM", "url": "https://crm.example.test/hook", "events": ["webhook.test"]},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["secret"].startswith("whsec_")
    assert body["secret_hint"] == body["secret"][-4:]
    detail = admin_api.get(f"/api/admin/webhooks/{body['id']}").json()
    assert "secret" not in detail
    listing = admin_api.get("/api/admin/webhooks").json()
    assert body["secret"] not in json.dumps(listing)


def test_creating_an_endpoint_with_an_unknown_event_is_a_validation_error(admin_api):
    response = admin_api.post(
        "/api/admin/webhooks",
        {"name": "x", "url": "https://x.test/", "events": ["no.such.event"]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "VALIDATION_ERROR"
    assert not WebhookEndpoint.objects.exists()


def test_ftp_urls_are_refused(admin_api):
    response = admin_api.post(
        "/api/admin/webhooks",
        {"name": "x", "url": "ftp://x.test/", "events": ["webhook.test"]},
        format="json",
    )
    assert response.status_code == 400


def test_send_test_event_reaches_the_receiver(
    admin_api, receiver, django_capture_on_commit_callbacks
):
    created = _endpoint(receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_api.post(f"/api/admin/webhooks/{created.endpoint.pk}/test")
    assert response.status_code == 202
    assert receiver.requests[0].json["event"] == "webhook.test"
    deliveries = admin_api.get(f"/api/admin/webhooks/{created.endpoint.pk}/deliveries").json()
    assert deliveries["results"][0]["status"] == "delivered"
    assert deliveries["results"][0]["response_code"] == 200


def test_reenabling_a_disabled_endpoint_resets_its_failures(admin_api):
    endpoint = _endpoint("https://x.test/").endpoint
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        is_active=False, consecutive_failures=10, disabled_at=timezone.now()
    )
    response = admin_api.patch(
        f"/api/admin/webhooks/{endpoint.pk}", {"is_active": True}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["consecutive_failures"] == 0
    assert response.json()["disabled_at"] is None


def test_rotate_secret_returns_a_new_secret(admin_api):
    created = _endpoint("https://x.test/")
    response = admin_api.post(f"/api/admin/webhooks/{created.endpoint.pk}/rotate-secret")
    assert response.status_code == 200
    assert response.json()["secret"] != created.secret


def test_delete_endpoint(admin_api):
    endpoint = _endpoint("https://x.test/").endpoint
    assert admin_api.delete(f"/api/admin/webhooks/{endpoint.pk}").status_code == 204
    assert not WebhookEndpoint.objects.exists()
    assert AuditEvent.objects.filter(action="webhook.deleted").exists()


def test_events_list_names_registered_events(admin_api):
    names = [event["name"] for event in admin_api.get("/api/admin/webhooks/events").json()]
    assert "webhook.test" in names


def test_webhooks_need_the_professional_tier(admin_api):
    installation = Installation.current()
    installation.installed_at = timezone.now() - timedelta(days=365)
    installation.save()
    response = admin_api.get("/api/admin/webhooks")
    assert response.status_code == 403
    assert response.json()["code"] == "LICENSE_REQUIRED"


def test_client_keys_cannot_manage_webhooks(client_api):
    assert client_api.get("/api/admin/webhooks").status_code == 403
