"""Live monitoring figures from real data, alerts from real conditions, the live sessions list,
and the analytics JWT: read-only figures only, refused on writes and after expiry."""

import time
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from django.conf import settings
from django.utils import timezone

from licensing.models import ClientEvent, License
from licensing.services import resources
from limon_site import tokens
from limon_site.models import AuditEvent
from tests.licensing.factories import (
    ActivationFactory,
    AnomalyFactory,
    ClientEventFactory,
    CustomerFactory,
    LicenseFactory,
    LicenseSessionFactory,
    ResourceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_world():
    now = timezone.now()
    today = timezone.localdate()
    acme = CustomerFactory()
    live_license = LicenseFactory(customer=acme, max_activations=5)
    devices = ActivationFactory.create_batch(3, license=live_license)
    LicenseSessionFactory(activation=devices[0], last_heartbeat=now - timedelta(seconds=30))
    LicenseSessionFactory(activation=devices[1], last_heartbeat=now - timedelta(seconds=90))
    LicenseSessionFactory(  # silent for longer than the product's timeout: not live
        activation=devices[2], last_heartbeat=now - timedelta(hours=1)
    )
    LicenseFactory(customer=acme, valid_until=today + timedelta(days=3))  # expiring
    LicenseFactory(is_active=False)
    LicenseFactory(valid_until=today - timedelta(days=1))  # expired
    for seconds in (5, 20, 50):
        ClientEventFactory(kind="heartbeat", result="ok", at=now - timedelta(seconds=seconds))
    ClientEventFactory(kind="heartbeat", result="ok", at=now - timedelta(seconds=90))
    ClientEventFactory(kind="heartbeat", result="rate_limited", at=now - timedelta(seconds=10))
    return {"license": live_license}


def test_active_session_count_counts_live_sessions_only(admin_api, busy_world):
    assert admin_api.get("/api/sessions/active-count").json() == {"count": 2}


def test_live_stats_are_real_counts(admin_api, busy_world):
    body = admin_api.get("/api/monitoring/live-stats").json()
    assert body["metrics"] == {
        "active_licenses": 2,
        "total_activations": 3,
        "active_sessions": 2,
        "heartbeats_per_minute": 3,
    }
    assert body["timestamp"].endswith("Z") or "+00:00" in body["timestamp"]


def test_dashboard_counts_and_alerts_from_real_conditions(admin_api, busy_world):
    ResourceFactory(type="ipv4", identifier="192.0.2.1")
    taken = [ResourceFactory(type="ipv4", identifier=f"192.0.2.{n}") for n in (2, 3)]
    exhausted = ResourceFactory(type="phone_number", identifier="+4930123456")
    resources.allocate_resources(
        license_id=busy_world["license"].pk, resource_ids=[r.pk for r in [*taken, exhausted]]
    )
    AnomalyFactory(license=busy_world["license"])
    body = admin_api.get("/api/monitoring/dashboard").json()
    assert body["metrics"] == {
        "total_licenses": 4,
        "active_licenses": 2,
        "total_customers": 3,
        "active_sessions": 2,
    }
    by_source = {alert["source"]: alert for alert in body["alerts"]}
    assert "1 license expire within 14 days" in by_source["expiring_licenses"]["message"]
    assert by_source["anomalies"]["message"] == "1 unresolved anomaly in license usage"
    pool_alerts = [a["message"] for a in body["alerts"] if a["source"] == "resource_pool"]
    assert any("ipv4 is low: 1 of 3" in message for message in pool_alerts)
    assert body["alerts"][0]["level"] == "critical"  # the exhausted pool comes first
    assert "phone_numbers is critical: 0 of 1" in body["alerts"][0]["message"]
    assert not any("domains" in message for message in pool_alerts)  # unused pools stay quiet


def test_live_stats_alerts_carry_the_level_in_type(admin_api, busy_world):
    alerts = admin_api.get("/api/monitoring/live-stats").json()["alerts"]
    assert alerts and all(a["type"] in {"info", "warning", "critical"} for a in alerts)
    assert all({"message", "timestamp"} <= set(a) for a in alerts)


def test_no_alerts_when_nothing_needs_attention(admin_api):
    LicenseFactory()
    for n in range(3):
        ResourceFactory(type="domain", identifier=f"d{n}.example.com")
        ResourceFactory(type="ipv4", identifier=f"192.0.2.{n}")
        ResourceFactory(type="phone_number", identifier=f"+4930123456{n}")
    assert admin_api.get("/api/monitoring/dashboard").json()["alerts"] == []


def test_anomaly_stats_list_every_type(admin_api):
    AnomalyFactory(type="license_hopping")
    AnomalyFactory(type="license_hopping", resolved=True, resolved_at=timezone.now())
    assert admin_api.get("/api/monitoring/anomaly-stats").json() == {
        "total_anomalies": 2,
        "unresolved": 1,
        "by_type": {
            "unusual_activation_pattern": 0,
            "excessive_heartbeats": 0,
            "license_hopping": 2,
        },
    }


def test_live_sessions_list_and_staff_can_end_one(admin_api, busy_world):
    rows = admin_api.get("/api/licensing/sessions").json()["results"]
    assert len(rows) == 2
    assert {"session_token", "license_key", "machine_name", "last_heartbeat"} <= set(rows[0])
    ended = admin_api.post(f"/api/licensing/sessions/{rows[0]['id']}/end").json()
    assert ended["ended"] is True
    assert admin_api.get("/api/sessions/active-count").json() == {"count": 1}
    again = admin_api.post(f"/api/licensing/sessions/{rows[0]['id']}/end").json()
    assert again["ended"] is False


# --- the analytics token -------------------------------------------------------------------------


def analytics_token(api) -> str:
    response = api.get("/api/admin/license/auth-token")
    assert response.status_code == 200
    return response.json()["token"]


def bearer(api, token: str):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return api


def test_the_token_expires_in_an_hour_and_carries_only_read(staff_api):
    body = staff_api.get("/api/admin/license/auth-token").json()
    claims = jwt.decode(body["token"], settings.SECRET_KEY, algorithms=["HS256"], issuer="limon")
    assert claims["scopes"] == ["read"]
    assert claims["sub"] == "analytics:user:staff"
    assert claims["exp"] - claims["iat"] == 3600
    expires_at = datetime.fromisoformat(body["expires_at"].replace("Z", "+00:00"))
    assert abs(expires_at - datetime.fromtimestamp(claims["exp"], tz=UTC)) < timedelta(seconds=1)
    assert AuditEvent.objects.filter(action="analytics_token.issued", actor="user:staff").exists()


@pytest.mark.parametrize(
    "path",
    [
        "/api/monitoring/live-stats",
        "/api/monitoring/dashboard",
        "/api/monitoring/anomaly-stats",
        "/api/sessions/active-count",
        "/api/resources/availability",
        "/api/resources/stats",
    ],
)
def test_the_token_reads_the_analytics_endpoints(admin_api, api, path):
    token = analytics_token(admin_api)
    assert bearer(api, token).get(path).status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/license/1/toggle"),
        ("post", "/api/licenses/bulk-delete"),
        ("post", "/api/resources/allocate"),
        ("post", "/api/generate-license-key"),
        ("get", "/api/customers"),
        ("get", "/api/licensing/licenses"),
        ("get", "/api/admin/license/auth-token"),
        ("post", "/api/licensing/anomalies/1/resolve"),
    ],
)
def test_the_token_is_refused_everywhere_else(admin_api, api, method, path):
    license = LicenseFactory()
    token = analytics_token(admin_api)
    response = getattr(bearer(api, token), method)(
        path, {"license_ids": [license.pk]}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "INSUFFICIENT_SCOPE"
    assert License.objects.filter(pk=license.pk, is_active=True).exists()


def test_the_token_is_refused_after_expiry(admin_api, api, settings):
    settings.LIMON_JWT_LIFETIME_SECONDS = 1
    token = analytics_token(admin_api)
    assert bearer(api, token).get("/api/monitoring/live-stats").status_code == 200
    time.sleep(2.1)
    response = bearer(api, token).get("/api/monitoring/live-stats")
    assert response.status_code == 401
    assert response.json()["details"]["reason"] == "Bearer token rejected: expired"


def test_a_token_signed_with_another_secret_is_refused(api):
    forged = jwt.encode(
        {"iss": "limon", "sub": "x", "scopes": ["admin"], "iat": 0, "exp": 2**31},
        "not-the-secret-of-this-installation-at-all",
        algorithm="HS256",
    )
    assert bearer(api, forged).get("/api/monitoring/live-stats").status_code == 401


def test_a_read_token_cannot_be_stretched_into_admin_by_its_own_claims(api):
    token, _ = tokens.mint(subject="x", scopes=["read"])
    assert bearer(api, token).post("/api/generate-license-key").status_code == 403


def test_client_events_are_not_counted_when_older_than_a_minute(admin_api):
    ClientEvent.objects.create(
        kind="heartbeat", result="ok", at=timezone.now() - timedelta(minutes=2)
    )
    assert (
        admin_api.get("/api/monitoring/live-stats").json()["metrics"]["heartbeats_per_minute"] == 0
    )
