from django.db import models
from django.db.models import Q
from django.utils import timezone

from licensing.models.licenses import License


class ResourceType(models.TextChoices):
    DOMAIN = "domain", "Domain"
    IPV4 = "ipv4", "IPv4 address"
    PHONE_NUMBER = "phone_number", "Phone number"
    SERVER = "server", "Server"
    WORKSTATION = "workstation", "Workstation"


# The key of each type's pool in ``GET /api/resources/availability`` (seed 003: ``domains``,
# ``ipv4``, ``phone_numbers``).
POOL_NAMES = {
    ResourceType.DOMAIN: "domains",
    ResourceType.IPV4: "ipv4",
    ResourceType.PHONE_NUMBER: "phone_numbers",
    ResourceType.SERVER: "servers",
    ResourceType.WORKSTATION: "workstations",
}


class ResourceStatus(models.TextChoices):
    AVAILABLE = "available", "Available"
    ALLOCATED = "allocated", "Allocated"
    QUARANTINED = "quarantined", "Quarantined"


class Resource(models.Model):
    """One item of a pool (a domain, an IPv4 address, a phone number in E.164 form …) that staff
    allocate to a license. Allocated exactly when it names a license; a quarantined item is held
    back (e.g. a number that was just released and must not be handed out again yet)."""

    type = models.CharField(max_length=16, choices=ResourceType.choices)
    identifier = models.CharField(max_length=255, help_text="Normalised: lower-case domains, E.164")
    status = models.CharField(
        max_length=12, choices=ResourceStatus.choices, default=ResourceStatus.AVAILABLE
    )
    license = models.ForeignKey(
        License, null=True, blank=True, on_delete=models.PROTECT, related_name="resources"
    )
    allocated_at = models.DateTimeField(null=True, blank=True)
    quarantined_until = models.DateTimeField(null=True, blank=True)
    notes = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["type", "identifier"]
        constraints = [
            models.UniqueConstraint(
                fields=["type", "identifier"], name="resource_unique_identifier"
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="allocated", license__isnull=False, allocated_at__isnull=False)
                    | (~Q(status="allocated") & Q(license__isnull=True, allocated_at__isnull=True))
                ),
                name="resource_allocated_iff_license",
            ),
        ]
        indexes = [
            models.Index(fields=["type", "status"]),
            models.Index(fields=["license", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.identifier}"


class ResourceAction(models.TextChoices):
    ADDED = "added", "Added to the pool"
    ALLOCATED = "allocated", "Allocated"
    RELEASED = "released", "Released"
    QUARANTINED = "quarantined", "Quarantined"
    RESTORED = "restored", "Back in the pool"


class ResourceEvent(models.Model):
    """The history of a resource: who allocated it to which license, released it, and when.
    ``license_id`` is a plain id so the history outlives a deleted license."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="history")
    action = models.CharField(max_length=12, choices=ResourceAction.choices)
    license_id = models.BigIntegerField(null=True, blank=True)
    license_key = models.CharField(max_length=19, blank=True)
    actor = models.CharField(max_length=150, blank=True)
    note = models.CharField(max_length=255, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["license_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.resource_id}"
