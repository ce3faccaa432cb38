"""Resource pools: allocation all or nothing (both seed forms), release / quarantine / restore,
availability and statistics, history and audit trail."""

from datetime import timedelta

import pytest
from django.utils import timezone

from licensing.models import Resource, ResourceEvent
from licensing.services import resources
from limon_site import config
from limon_site.models import AuditEvent
from tests.licensing.factories import LicenseFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def allocate(api, license, items, **extra):
    return api.post(
        "/api/resources/allocate",
        {"license_id": license.pk, "resource_ids": [r.pk for r in items], **extra},
        format="json",
    )


def statuses(items) -> list[str]:
    return [Resource.objects.get(pk=r.pk).status for r in items]


def test_allocating_free_resources_assigns_them_records_history_and_audit(admin_api):
    license = LicenseFactory()
    items = [ResourceFactory(type="server", identifier=f"SRV-00{n}") for n in (1, 2)]
    response = allocate(admin_api, license, items)
    assert response.json() == {
        "success": True,
        "allocated": 2,
        "message": "2 resources allocated successfully",
    }
    listed = admin_api.get(f"/api/license/{license.pk}/resources").json()["resources"]
    assert [(r["identifier"], r["status"]) for r in listed] == [
        ("SRV-001", "allocated"),
        ("SRV-002", "allocated"),
    ]
    assert all(r["allocated_at"] for r in listed)
    assert ResourceEvent.objects.filter(action="allocated", license_id=license.pk).count() == 2
    event = AuditEvent.objects.get(action="resources.allocated", target_id=str(license.pk))
    assert event.changes["resources"] == ["server:SRV-001", "server:SRV-002"]


def test_allocation_with_a_taken_resource_allocates_nothing_and_lists_the_conflict(admin_api):
    mine, theirs = LicenseFactory(), LicenseFactory()
    free = ResourceFactory(identifier="free.example.com")
    taken = ResourceFactory(identifier="taken.example.com")
    allocate(admin_api, theirs, [taken])
    response = allocate(admin_api, mine, [free, taken])
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "RESOURCE_CONFLICT"
    assert body["details"]["conflicts"] == [
        {
            "id": taken.pk,
            "type": "domain",
            "identifier": "taken.example.com",
            "status": "allocated",
            "license_id": theirs.pk,
            "reason": "allocated",
        }
    ]
    assert statuses([free]) == ["available"]
    assert not mine.resources.exists()


def test_allocation_with_resource_type_refuses_resources_of_another_type(admin_api):
    license = LicenseFactory()
    domain = ResourceFactory(type="domain", identifier="ok.example.com")
    address = ResourceFactory(type="ipv4", identifier="192.0.2.7")
    response = allocate(admin_api, license, [domain, address], resource_type="domain")
    assert response.status_code == 409
    [conflict] = response.json()["details"]["conflicts"]
    assert (conflict["identifier"], conflict["reason"]) == ("192.0.2.7", "not_domain")
    assert statuses([domain, address]) == ["available", "available"]


def test_allocation_with_resource_type_accepts_the_pool_name_too(admin_api):
    license = LicenseFactory()
    number = ResourceFactory(type="phone_number", identifier="+4930123456")
    assert allocate(admin_api, license, [number], resource_type="phone_numbers").status_code == 200


def test_quarantined_and_already_allocated_resources_are_conflicts(admin_api):
    license = LicenseFactory()
    held = ResourceFactory()
    mine = ResourceFactory()
    resources.quarantine_resources(resource_ids=[held.pk])
    allocate(admin_api, license, [mine])
    response = allocate(admin_api, license, [held, mine])
    reasons = {c["id"]: c["reason"] for c in response.json()["details"]["conflicts"]}
    assert reasons == {held.pk: "quarantined", mine.pk: "already_yours"}


def test_unknown_resource_ids_are_400_listing_them(admin_api):
    license = LicenseFactory()
    real = ResourceFactory()
    response = admin_api.post(
        "/api/resources/allocate",
        {"license_id": license.pk, "resource_ids": [real.pk, 777777]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["details"]["unknown_ids"] == [777777]
    assert statuses([real]) == ["available"]


def test_allocating_to_an_unknown_license_is_404(admin_api):
    response = admin_api.post(
        "/api/resources/allocate", {"license_id": 999999, "resource_ids": [1]}, format="json"
    )
    assert response.status_code == 404


def test_release_returns_resources_and_refuses_those_of_another_license(admin_api):
    mine, theirs = LicenseFactory(), LicenseFactory()
    a, b = ResourceFactory(), ResourceFactory()
    allocate(admin_api, mine, [a])
    allocate(admin_api, theirs, [b])
    refused = admin_api.post(
        "/api/resources/release",
        {"license_id": mine.pk, "resource_ids": [a.pk, b.pk]},
        format="json",
    )
    assert refused.status_code == 409
    assert statuses([a, b]) == ["allocated", "allocated"]
    released = admin_api.post(
        "/api/resources/release", {"license_id": mine.pk, "resource_ids": [a.pk]}, format="json"
    )
    assert released.json()["released"] == 1
    assert statuses([a]) == ["available"]
    assert AuditEvent.objects.filter(action="resources.released", target_id=str(mine.pk)).exists()


def test_quarantine_releases_first_and_restore_puts_back(admin_api):
    license = LicenseFactory()
    item = ResourceFactory()
    allocate(admin_api, license, [item])
    response = admin_api.post(
        "/api/resources/quarantine",
        {"resource_ids": [item.pk], "days": 30, "note": "number recycled"},
        format="json",
    )
    assert response.json()["quarantined"] == 1
    item.refresh_from_db()
    assert item.status == "quarantined" and item.license_id is None
    assert item.quarantined_until > timezone.now() + timedelta(days=29)
    assert [e.action for e in item.history.order_by("id")] == [
        "allocated",
        "released",
        "quarantined",
    ]
    assert (
        admin_api.post("/api/resources/restore", {"resource_ids": [item.pk]}, format="json").json()[
            "restored"
        ]
        == 1
    )
    assert statuses([item]) == ["available"]


def test_restoring_a_resource_that_is_not_quarantined_is_409(admin_api):
    item = ResourceFactory()
    response = admin_api.post("/api/resources/restore", {"resource_ids": [item.pk]}, format="json")
    assert response.status_code == 409


def test_expired_quarantine_returns_to_the_pool_by_the_scheduled_task():
    item = ResourceFactory()
    kept = ResourceFactory()
    now = timezone.now()
    resources.quarantine_resources(resource_ids=[item.pk], days=1, now=now - timedelta(days=2))
    resources.quarantine_resources(resource_ids=[kept.pk], days=10, now=now)
    assert resources.restore_expired_quarantine(now=now) == 1
    assert statuses([item, kept]) == ["available", "quarantined"]


def test_check_availability_offers_free_resources_of_the_type(admin_api):
    for n in range(3):
        ResourceFactory(type="server", identifier=f"SRV-10{n}")
    taken = ResourceFactory(type="server", identifier="SRV-099")
    allocate(admin_api, LicenseFactory(), [taken])
    enough = admin_api.get("/api/resources/check-availability?type=server&count=2").json()
    assert enough["available"] is True and enough["count"] == 2
    assert [r["identifier"] for r in enough["resources"]] == ["SRV-100", "SRV-101"]
    short = admin_api.get("/api/resources/check-availability?type=server&count=5").json()
    assert short["available"] is False
    assert short["total_available"] == 3 and short["count"] == 3


def test_check_availability_of_an_unknown_type_is_400(admin_api):
    response = admin_api.get("/api/resources/check-availability?type=spaceship&count=1")
    assert response.status_code == 400


def _fill(resource_type, make, total, allocated, license):
    items = [ResourceFactory(type=resource_type, identifier=make(n)) for n in range(total)]
    Resource.objects.filter(pk__in=[r.pk for r in items[:allocated]]).update(
        status="allocated", license=license, allocated_at=timezone.now()
    )


def test_availability_status_follows_the_thresholds(admin_api):
    license = LicenseFactory()
    _fill("domain", lambda n: f"d{n}.example.com", 20, 5, license)  # 75 % free
    _fill("ipv4", lambda n: f"192.0.2.{n}", 20, 11, license)  # 45 %
    _fill("phone_number", lambda n: f"+49301234{n:03d}", 10, 9, license)  # 10 %
    body = admin_api.get("/api/resources/availability").json()
    assert {pool: (v["available"], v["total"], v["status"]) for pool, v in body.items()} == {
        "domains": (15, 20, "ok"),
        "ipv4": (9, 20, "low"),
        "phone_numbers": (1, 10, "critical"),
    }
    config.update("resource_pools", {"low_percent": 80, "critical_percent": 40})
    body = admin_api.get("/api/resources/availability").json()
    assert [body[p]["status"] for p in ("domains", "ipv4", "phone_numbers")] == [
        "low",
        "low",
        "critical",
    ]


def test_an_empty_pool_is_critical_and_server_pools_appear_once_filled(admin_api):
    body = admin_api.get("/api/resources/availability").json()
    assert set(body) == {"domains", "ipv4", "phone_numbers"}
    assert body["domains"]["status"] == "critical"
    ResourceFactory(type="server", identifier="SRV-1")
    assert admin_api.get("/api/resources/availability").json()["servers"]["status"] == "ok"


def test_thresholds_must_be_ordered():
    from limon_site.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        config.update("resource_pools", {"low_percent": 10, "critical_percent": 30})


def test_stats_count_by_type(admin_api):
    license = LicenseFactory()
    _fill("server", lambda n: f"SRV-{n}", 5, 4, license)
    _fill("workstation", lambda n: f"WS-{n}", 3, 1, license)
    quarantined = ResourceFactory(type="workstation", identifier="WS-Q")
    resources.quarantine_resources(resource_ids=[quarantined.pk])
    body = admin_api.get("/api/resources/stats").json()
    assert (body["total"], body["allocated"], body["available"], body["quarantined"]) == (
        9,
        5,
        3,
        1,
    )
    assert body["by_type"]["server"] == {
        "total": 5,
        "allocated": 4,
        "available": 1,
        "quarantined": 0,
    }
    assert body["by_type"]["workstation"]["total"] == 4


def test_adding_resources_checks_syntax_and_duplicates(admin_api):
    created = admin_api.post(
        "/api/licensing/resources",
        {"type": "domain", "identifier": "Shop.Example.COM."},
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["identifier"] == "shop.example.com"
    duplicate = admin_api.post(
        "/api/licensing/resources",
        {"type": "domain", "identifier": "shop.example.com"},
        format="json",
    )
    assert duplicate.status_code == 409
    bad = admin_api.post(
        "/api/licensing/resources", {"type": "ipv4", "identifier": "300.1.1.1"}, format="json"
    )
    assert bad.status_code == 400
    assert "identifier" in bad.json()["details"]["fields"]


def test_resource_detail_shows_its_history_and_deleting_an_allocated_one_is_409(admin_api):
    item = ResourceFactory()
    license = LicenseFactory()
    allocate(admin_api, license, [item])
    detail = admin_api.get(f"/api/licensing/resources/{item.pk}").json()
    assert detail["license_key"] == license.key
    assert [h["action"] for h in detail["history"]] == ["allocated"]
    assert admin_api.delete(f"/api/licensing/resources/{item.pk}").status_code == 409
    resources.release_resources(resource_ids=[item.pk])
    assert admin_api.delete(f"/api/licensing/resources/{item.pk}").status_code == 204


def test_resource_list_filters(admin_api):
    ResourceFactory(type="ipv4", identifier="192.0.2.1")
    ResourceFactory(type="domain", identifier="a.example.com")
    rows = admin_api.get("/api/licensing/resources?type=ipv4").json()["results"]
    assert [r["identifier"] for r in rows] == ["192.0.2.1"]
