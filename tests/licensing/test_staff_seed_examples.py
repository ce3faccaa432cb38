"""Every example request of the seeds' "Admin Panel API" (001 and 003) answered with the seed's
response fields: each seed response below is copied from the seed, and the real answer must have
every key, nested key and value type it shows (extra fields are allowed)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from licensing.models import Resource
from tests.licensing.factories import (
    ActivationFactory,
    AnomalyFactory,
    CustomerFactory,
    LicenseFactory,
    LicenseSessionFactory,
    ResourceFactory,
)

pytestmark = pytest.mark.django_db


def assert_seed_shape(actual, seed, path="$"):
    """``actual`` has every key of ``seed`` (recursively) with a value of the same JSON type."""
    if isinstance(seed, dict):
        assert isinstance(actual, dict), f"{path}: expected an object, got {actual!r}"
        for key, value in seed.items():
            assert key in actual, f"{path}: missing {key!r} (got {sorted(actual)})"
            assert_seed_shape(actual[key], value, f"{path}.{key}")
    elif isinstance(seed, list):
        assert isinstance(actual, list), f"{path}: expected a list, got {actual!r}"
        assert actual, f"{path}: expected a non-empty list like the seed's"
        assert_seed_shape(actual[0], seed[0], f"{path}[0]")
    elif isinstance(seed, bool):
        assert isinstance(actual, bool), f"{path}: expected a boolean, got {actual!r}"
    elif isinstance(seed, int | float):
        assert isinstance(actual, int | float) and not isinstance(actual, bool), (
            f"{path}: expected a number, got {actual!r}"
        )
    elif isinstance(seed, str):
        assert isinstance(actual, str), f"{path}: expected a string, got {actual!r}"


@pytest.fixture
def world(db):
    """ACME Corp with two licenses, devices, a live session, pools of every seed type and an
    anomaly — enough that every seed list comes back non-empty."""
    today = timezone.localdate()
    acme = CustomerFactory(name="ACME Corp", email="admin@acme.com")
    license = LicenseFactory(
        customer=acme, max_activations=5, max_users=10, valid_until=today + timedelta(days=200)
    )
    spare = LicenseFactory(customer=acme, valid_until=today + timedelta(days=5))
    third = LicenseFactory(customer=acme)
    device = ActivationFactory(license=license, machine_name="DESKTOP-ABC123")
    ActivationFactory(license=license)
    LicenseSessionFactory(activation=device)
    server = ResourceFactory(type="server", identifier="SRV-001")
    ResourceFactory(type="server", identifier="SRV-002")
    ResourceFactory(type="workstation", identifier="WS-001")
    domains = [ResourceFactory(type="domain", identifier=f"d{n}.example.com") for n in range(3)]
    ResourceFactory(type="ipv4", identifier="192.0.2.10")
    ResourceFactory(type="phone_number", identifier="+4930123456")
    Resource.objects.filter(pk=server.pk).update(
        status="allocated", license=license, allocated_at=timezone.now()
    )
    AnomalyFactory(license=license, type="license_hopping")
    return {
        "customer": acme,
        "license": license,
        "spare": spare,
        "third": third,
        "device": device,
        "domains": domains,
        "free_server": Resource.objects.get(identifier="SRV-002"),
        "free_workstation": Resource.objects.get(identifier="WS-001"),
    }


SEED = {
    "customers": {
        "results": [{"id": 123, "text": "ACME Corp - admin@acme.com"}],
        "pagination": {"more": False},
    },
    "customer_licenses": {
        "licenses": [
            {
                "id": 456,
                "license_key": "XXXX-XXXX-XXXX-XXXX",
                "type": "perpetual",
                "status": "active",
                "valid_until": "2026-01-01",
                "max_activations": 5,
                "current_activations": 3,
            }
        ]
    },
    "quick_stats": {
        "total_licenses": 10,
        "active_licenses": 8,
        "total_activations": 25,
        "total_users": 150,
    },
    "toggle": {"success": True, "is_active": True, "message": "License activated successfully"},
    "bulk_activate": {"success": True, "count": 3, "message": "3 licenses activated successfully"},
    "bulk_deactivate": {
        "success": True,
        "count": 3,
        "message": "3 licenses deactivated successfully",
    },
    "bulk_delete": {"success": True, "deleted": 3, "message": "3 licenses deleted successfully"},
    "quick_edit": {"success": True, "message": "License updated successfully"},
    "generate_key": {"license_key": "NEW1-NEW2-NEW3-NEW4"},
    "devices": {
        "devices": [
            {
                "id": 123,
                "hardware_hash": "unique-hardware-identifier",
                "machine_name": "DESKTOP-ABC123",
                "activated_at": "2025-01-01T10:00:00Z",
                "last_heartbeat": "2025-06-19T14:30:00Z",
                "is_active": True,
                "app_version": "1.0.0",
            }
        ]
    },
    "register_device": {
        "success": True,
        "device_id": 456,
        "message": "Device registered successfully",
    },
    "deactivate_device": {"success": True, "message": "Device deactivated successfully"},
    "license_resources": {
        "resources": [
            {
                "id": 789,
                "type": "server",
                "identifier": "SRV-001",
                "status": "allocated",
                "allocated_at": "2025-06-01T10:00:00Z",
            }
        ]
    },
    "allocate": {"success": True, "allocated": 2, "message": "2 resources allocated successfully"},
    "check_availability": {
        "available": True,
        "count": 5,
        "resources": [{"id": 791, "type": "server", "identifier": "SRV-002"}],
    },
    "resource_stats": {
        "total": 100,
        "allocated": 75,
        "available": 25,
        "by_type": {
            "server": {"total": 50, "allocated": 40, "available": 10},
            "workstation": {"total": 50, "allocated": 35, "available": 15},
        },
    },
    "availability": {
        "domains": {"available": 150, "total": 200, "status": "ok"},
        "ipv4": {"available": 45, "total": 100, "status": "low"},
        "phone_numbers": {"available": 5, "total": 50, "status": "critical"},
    },
    "global_search": {
        "results": [
            {
                "type": "customer",
                "id": 123,
                "title": "ACME Corp",
                "subtitle": "admin@acme.com",
                "url": "/customer/edit/123",
            }
        ],
        "total": 15,
    },
    "active_count": {"count": 42},
    "dashboard": {
        "metrics": {
            "total_licenses": 1500,
            "active_licenses": 1200,
            "total_customers": 250,
            "active_sessions": 890,
        },
        "alerts": [
            {
                "level": "warning",
                "message": "High CPU usage on license server",
                "timestamp": "2025-06-19T14:00:00Z",
            }
        ],
    },
    "live_stats": {
        "timestamp": "2025-06-19T14:30:00Z",
        "metrics": {
            "active_licenses": 850,
            "total_activations": 2500,
            "active_sessions": 1200,
            "heartbeats_per_minute": 450,
        },
        "alerts": [
            {
                "type": "warning",
                "message": "High CPU usage detected",
                "timestamp": "2025-06-19T14:25:00Z",
            }
        ],
    },
    "anomaly_stats": {
        "total_anomalies": 15,
        "unresolved": 3,
        "by_type": {
            "unusual_activation_pattern": 5,
            "excessive_heartbeats": 3,
            "license_hopping": 7,
        },
    },
    "auth_token": {
        "token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...",
        "expires_at": "2025-06-19T15:30:00Z",
    },
}


def _examples(w):
    """(seed name, method, path, body, expected status) — the seeds' example requests."""
    license, customer = w["license"], w["customer"]
    ids = [license.pk, w["spare"].pk, w["third"].pk]
    return [
        ("customers", "get", "/api/customers?q=ACME&page=1", None, 200),
        ("customer_licenses", "get", f"/api/customer/{customer.pk}/licenses", None, 200),
        ("quick_stats", "get", f"/api/customer/{customer.pk}/quick-stats", None, 200),
        ("devices", "get", f"/api/license/{license.pk}/devices", None, 200),
        ("license_resources", "get", f"/api/license/{license.pk}/resources", None, 200),
        (
            "check_availability",
            "get",
            "/api/resources/check-availability?type=server&count=1",
            None,
            200,
        ),
        ("resource_stats", "get", "/api/resources/stats", None, 200),
        ("availability", "get", "/api/resources/availability", None, 200),
        ("global_search", "get", "/api/global-search?q=ACME&type=customer&limit=20", None, 200),
        ("active_count", "get", "/api/sessions/active-count", None, 200),
        ("dashboard", "get", "/api/monitoring/dashboard", None, 200),
        ("live_stats", "get", "/api/monitoring/live-stats", None, 200),
        ("anomaly_stats", "get", "/api/monitoring/anomaly-stats", None, 200),
        ("auth_token", "get", "/api/admin/license/auth-token", None, 200),
        ("generate_key", "post", "/api/generate-license-key", None, 200),
        (
            "register_device",
            "post",
            f"/api/license/{license.pk}/register-device",
            {
                "hardware_hash": "unique-hardware-identifier",
                "machine_name": "DESKTOP-XYZ789",
                "app_version": "1.0.0",
            },
            201,
        ),
        (
            "deactivate_device",
            "post",
            f"/api/license/{license.pk}/deactivate-device/{w['device'].pk}",
            None,
            200,
        ),
        (
            "allocate",
            "post",
            "/api/resources/allocate",
            {
                "license_id": license.pk,
                "resource_ids": [w["free_server"].pk, w["free_workstation"].pk],
            },
            200,
        ),
        (
            "allocate",
            "post",
            "/api/resources/allocate",
            {
                "license_id": license.pk,
                "resource_type": "domain",
                "resource_ids": [d.pk for d in w["domains"]],
            },
            200,
        ),
        (
            "quick_edit",
            "post",
            f"/api/license/{license.pk}/quick-edit",
            {"valid_until": "2027-01-01", "max_activations": 10, "max_users": 50},
            200,
        ),
        ("toggle", "post", f"/api/license/{license.pk}/toggle", None, 200),
        ("bulk_deactivate", "post", "/api/licenses/bulk-deactivate", {"license_ids": ids}, 200),
        ("bulk_activate", "post", "/api/licenses/bulk-activate", {"license_ids": ids}, 200),
        ("bulk_delete", "post", "/api/licenses/bulk-delete", {"license_ids": ids}, 200),
    ]


def test_every_seed_example_answers_with_the_seed_fields(admin_api, world):
    for name, method, path, body, expected_status in _examples(world):
        response = getattr(admin_api, method)(path, body, format="json")
        assert response.status_code == expected_status, (name, response.content)
        assert_seed_shape(response.json(), SEED[name], path=f"{name}")


def test_seed_messages_are_worded_as_in_the_seed(admin_api, world):
    license = world["license"]
    ids = [license.pk, world["spare"].pk, world["third"].pk]
    deactivated = admin_api.post(
        "/api/licenses/bulk-deactivate", {"license_ids": ids}, format="json"
    )
    assert deactivated.json()["message"] == "3 licenses deactivated successfully"
    toggled = admin_api.post(f"/api/license/{license.pk}/toggle")
    assert toggled.json() == {
        "success": True,
        "is_active": True,
        "message": "License activated successfully",
    }
    allocated = admin_api.post(
        "/api/resources/allocate",
        {
            "license_id": license.pk,
            "resource_type": "domain",
            "resource_ids": [d.pk for d in world["domains"]],
        },
        format="json",
    )
    assert allocated.json() == {
        "success": True,
        "allocated": 3,
        "message": "3 resources allocated successfully",
    }
    assert admin_api.get("/api/customers?q=acme").json()["results"][0]["text"] == (
        "ACME Corp - admin@acme.com"
    )
