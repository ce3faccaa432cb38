import uuid
from datetime import date, timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone

from licensing.models.catalogue import Product
from licensing.models.customers import Customer


class LicenseType(models.TextChoices):
    PERPETUAL = "perpetual", "Perpetual"
    SUBSCRIPTION = "subscription", "Subscription"
    TRIAL = "trial", "Trial"


class LicenseQuerySet(models.QuerySet):
    def valid_on(self, day: date | None = None) -> "LicenseQuerySet":
        """Active and inside the validity window on ``day`` (default: today)."""
        day = day or timezone.localdate()
        return self.filter(is_active=True, valid_from__lte=day).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )

    def expiring_within(self, days: int, *, today: date | None = None) -> "LicenseQuerySet":
        today = today or timezone.localdate()
        return self.filter(
            is_active=True, valid_until__gte=today, valid_until__lte=today + timedelta(days=days)
        )

    def with_status(self, status: str) -> "LicenseQuerySet":
        """``active`` | ``inactive`` | ``expired`` | ``pending`` (not yet valid)."""
        today = timezone.localdate()
        if status == "active":
            return self.valid_on(today)
        if status == "inactive":
            return self.filter(is_active=False)
        if status == "expired":
            return self.filter(is_active=True, valid_until__lt=today)
        if status == "pending":
            return self.filter(is_active=True, valid_from__gt=today)
        return self.none()


class License(models.Model):
    """A customer's right to run a product on up to ``max_activations`` devices with up to
    ``max_users`` concurrent sessions. ``valid_until`` is inclusive; empty means no end."""

    key = models.CharField(max_length=19, unique=True, help_text="XXXX-XXXX-XXXX-XXXX")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="licenses")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="licenses")
    type = models.CharField(
        max_length=16, choices=LicenseType.choices, default=LicenseType.PERPETUAL
    )
    valid_from = models.DateField(default=timezone.localdate)
    valid_until = models.DateField(null=True, blank=True)
    max_activations = models.PositiveIntegerField(default=1)
    max_users = models.PositiveIntegerField(default=1)
    is_active = models.BooleanField(default=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    # Webhook bookkeeping, so the daily task and the threshold alert fire once.
    usage_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    expiry_notified_for = models.DateField(null=True, blank=True, editable=False)

    objects = LicenseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="license_validity_ordered",
            ),
            models.CheckConstraint(condition=Q(max_users__gte=1), name="license_max_users_min_1"),
        ]
        indexes = [models.Index(fields=["valid_until"]), models.Index(fields=["is_active"])]

    def __str__(self) -> str:
        return self.key

    def status_on(self, day: date | None = None) -> str:
        day = day or timezone.localdate()
        if not self.is_active:
            return "inactive"
        if self.valid_from > day:
            return "pending"
        if self.valid_until is not None and self.valid_until < day:
            return "expired"
        return "active"

    @property
    def status(self) -> str:
        return self.status_on()


class Activation(models.Model):
    """A device a license is activated on (the seeds' "device"). Deactivated rows are kept as
    history; only one *active* row per (license, hardware_hash) may exist."""

    license = models.ForeignKey(License, on_delete=models.CASCADE, related_name="activations")
    hardware_hash = models.CharField(max_length=255)
    machine_name = models.CharField(max_length=255, blank=True)
    app_version = models.CharField(max_length=64, blank=True)
    activated_at = models.DateTimeField(default=timezone.now)
    last_heartbeat = models.DateTimeField(default=timezone.now)
    is_active = models.BooleanField(default=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)
    deactivated_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["-activated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["license", "hardware_hash"],
                condition=Q(is_active=True),
                name="activation_one_active_per_device",
            ),
            models.CheckConstraint(
                condition=Q(is_active=True, deactivated_at__isnull=True)
                | Q(is_active=False, deactivated_at__isnull=False),
                name="activation_deactivated_at_iff_inactive",
            ),
        ]
        indexes = [
            models.Index(fields=["license", "is_active"]),
            models.Index(fields=["hardware_hash"]),
            models.Index(fields=["license", "activated_at"]),
            models.Index(fields=["license", "deactivated_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.machine_name or self.hardware_hash} on {self.license_id}"


class EndReason(models.TextChoices):
    CLIENT = "client", "Ended by the client"
    TIMEOUT = "timeout", "No heartbeat within the timeout"
    REPLACED = "replaced", "Replaced by a new session on the same device"
    ADMIN = "admin", "Ended by staff or a deactivation"


class LicenseSession(models.Model):
    """A running instance of the product, kept alive by heartbeats. A session is *live* while
    ``ended_at`` is empty and its last heartbeat is younger than the product's timeout; a scheduled
    task ends dead ones with reason ``timeout``."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    license = models.ForeignKey(License, on_delete=models.CASCADE, related_name="sessions")
    activation = models.ForeignKey(Activation, on_delete=models.CASCADE, related_name="sessions")
    machine_id = models.CharField(max_length=255, blank=True)
    version = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    last_heartbeat = models.DateTimeField(default=timezone.now)
    heartbeat_count = models.PositiveIntegerField(default=0)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=16, choices=EndReason.choices, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activation"],
                condition=Q(ended_at__isnull=True),
                name="session_one_open_per_activation",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True, end_reason="")
                | (Q(ended_at__isnull=False) & ~Q(end_reason="")),
                name="session_end_reason_iff_ended",
            ),
        ]
        indexes = [
            models.Index(fields=["license", "ended_at"]),
            models.Index(fields=["ended_at", "last_heartbeat"]),
        ]

    def __str__(self) -> str:
        return str(self.token)

    @property
    def duration_seconds(self) -> int:
        end = self.ended_at or timezone.now()
        return max(0, int((end - self.started_at).total_seconds()))
