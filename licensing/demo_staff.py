"""Demo resource pools for ``manage.py seed_demo`` (after the licensing demo data): idempotent —
resources are found by (type, identifier), allocations made only while still available."""

from licensing.models import License, Resource, ResourceStatus
from licensing.services import resources

DEMO_ACTOR = "system:demo"

POOLS = {
    "domain": [f"demo{n:02d}.example.com" for n in range(1, 21)],
    "ipv4": [f"192.0.2.{n}" for n in range(10, 30)],
    "phone_number": [f"+4930555{n:04d}" for n in range(100, 110)],
    "server": [f"SRV-{n:03d}" for n in range(1, 6)],
}

# license key → resources it holds
ALLOCATIONS = {
    "DEMO-ACME-0001-AF01": [("domain", "demo01.example.com"), ("ipv4", "192.0.2.10")],
    "DEMO-ACME-0002-SS01": [("phone_number", "+49305550100"), ("server", "SRV-001")],
}


def seed(stdout=None) -> None:
    created = 0
    for resource_type, identifiers in POOLS.items():
        for identifier in identifiers:
            _, is_new = Resource.objects.get_or_create(type=resource_type, identifier=identifier)
            created += is_new
    allocated = 0
    for key, wanted in ALLOCATIONS.items():
        license = License.objects.filter(key=key).first()
        if license is None:
            continue
        ids = [
            resource.pk
            for resource_type, identifier in wanted
            for resource in Resource.objects.filter(
                type=resource_type, identifier=identifier, status=ResourceStatus.AVAILABLE
            )
        ]
        if ids:
            resources.allocate_resources(license_id=license.pk, resource_ids=ids, actor=DEMO_ACTOR)
            allocated += len(ids)
    if stdout is not None:
        stdout.write(f"licensing pools: {created} resources added, {allocated} allocated\n")
