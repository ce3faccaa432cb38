"""What a license server offers: sites, servers, their vendor daemons and features, and the
history of changes to that inventory."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class Site(models.Model):
    """A geographic location grouping license servers."""

    name = models.CharField(max_length=100, unique=True)
    code = models.SlugField(max_length=30, blank=True, help_text="Short code used in labels")
    location = models.CharField(max_length=200, blank=True)
    timezone = models.CharField(
        max_length=64, default="UTC", help_text="Default time zone of the site's servers"
    )
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ServerKind(models.TextChoices):
    FLEXLM = "flexlm", "FlexNet (lmgrd)"
    RLM = "rlm", "RLM"


class ServerStatus(models.TextChoices):
    UP = "up", "Up"
    DOWN = "down", "Down"
    UNKNOWN = "unknown", "Unknown"


class LicenseServer(models.Model):
    """A FlexNet or RLM instance, ``port@host`` or a redundant triad ``port@h1,port@h2,port@h3``.

    ``is_active`` False means decommissioned: kept for history, no longer polled.
    ``poll_claimed_until`` is the poll lease: a poller claims a server with a conditional
    UPDATE so that two pollers never poll it at once.
    """

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=ServerKind.choices, default=ServerKind.FLEXLM)
    address = models.CharField(max_length=500, unique=True)
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="servers", null=True, blank=True
    )
    timezone = models.CharField(
        max_length=64, blank=True, help_text="Time zone of the server's clock; empty: the site's"
    )
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    decommissioned_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ServerStatus.choices, default=ServerStatus.UNKNOWN
    )
    #: The members of a triad (or the single node) as last seen: host, port, up, master, version.
    nodes = models.JSONField(default=list, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    #: Usage rollups are exact up to this instant (see ``monitoring.services.rollups``).
    rolled_up_until = models.DateTimeField(null=True, blank=True, editable=False)
    last_poll_duration_ms = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    #: Glob patterns applied when polling, on top of the global ignore list.
    feature_include = models.JSONField(default=list, blank=True)
    feature_exclude = models.JSONField(default=list, blank=True)
    poll_claimed_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["is_active", "status"])]

    def __str__(self) -> str:
        return self.name

    @property
    def effective_timezone(self) -> str:
        if self.timezone:
            return self.timezone
        return self.site.timezone if self.site_id else "UTC"


class DaemonStatus(models.TextChoices):
    UP = "up", "Up"
    DOWN = "down", "Down"


class VendorDaemon(models.Model):
    """A FlexNet vendor daemon or RLM ISV server on one license server."""

    server = models.ForeignKey(LicenseServer, on_delete=models.CASCADE, related_name="daemons")
    name = models.CharField(max_length=100)
    status = models.CharField(max_length=10, choices=DaemonStatus.choices, default=DaemonStatus.UP)
    version = models.CharField(max_length=50, blank=True)
    last_error = models.TextField(blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["server", "name"]
        constraints = [
            models.UniqueConstraint(fields=["server", "name"], name="daemon_unique_per_server")
        ]

    def __str__(self) -> str:
        return f"{self.name}@{self.server}"


class FeatureKind(models.TextChoices):
    FLOATING = "floating", "Floating"
    UNCOUNTED = "uncounted", "Uncounted / node-locked"


class Feature(models.Model):
    """A licensable item on a server. ``in_use``, ``reserved`` and ``queued`` are the figures
    of the latest successful poll; history lives in :class:`~monitoring.models.UsageSample`.

    A feature that disappears from the server output is kept (``is_present`` False) so its
    sessions and history stay readable.
    """

    server = models.ForeignKey(LicenseServer, on_delete=models.CASCADE, related_name="features")
    daemon = models.ForeignKey(
        VendorDaemon, on_delete=models.SET_NULL, null=True, blank=True, related_name="features"
    )
    #: Vendor daemon name as printed ("" when the output does not tell).
    vendor = models.CharField(max_length=100, blank=True, default="")
    name = models.CharField(max_length=200)
    version = models.CharField(max_length=50, blank=True)
    kind = models.CharField(
        max_length=20, choices=FeatureKind.choices, default=FeatureKind.FLOATING
    )
    issued = models.PositiveIntegerField(null=True, blank=True, help_text="Empty when uncounted")
    in_use = models.PositiveIntegerField(default=0)
    reserved = models.PositiveIntegerField(default=0)
    queued = models.PositiveIntegerField(default=0)
    expires_on = models.DateField(null=True, blank=True, help_text="Empty when permanent")
    is_present = models.BooleanField(default=True)
    first_seen_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["server", "name", "vendor"]
        constraints = [
            models.UniqueConstraint(
                fields=["server", "vendor", "name"], name="feature_unique_per_server"
            )
        ]
        indexes = [models.Index(fields=["name"]), models.Index(fields=["expires_on"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.server})"

    @property
    def saturation(self) -> float | None:
        """In use ÷ issued (0..1), ``None`` when uncounted or nothing issued."""
        if not self.issued:
            return None
        return self.in_use / self.issued


class ChangeType(models.TextChoices):
    APPEARED = "appeared", "Feature appeared"
    DISAPPEARED = "disappeared", "Feature disappeared"
    TOTAL = "total_changed", "Issued total changed"
    EXPIRY = "expiry_changed", "Expiry changed"
    VERSION = "version_changed", "Version changed"


class InventoryChange(models.Model):
    """One change to a server's inventory, written by the poll that noticed it."""

    server = models.ForeignKey(LicenseServer, on_delete=models.CASCADE, related_name="changes")
    feature = models.ForeignKey(
        Feature, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes"
    )
    feature_name = models.CharField(max_length=200)
    vendor = models.CharField(max_length=100, blank=True, default="")
    change_type = models.CharField(max_length=20, choices=ChangeType.choices)
    old_value = models.CharField(max_length=100, blank=True)
    new_value = models.CharField(max_length=100, blank=True)
    changed_at = models.DateTimeField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [
            models.Index(fields=["server", "-changed_at"]),
            models.Index(fields=["feature", "-changed_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["server", "vendor", "feature_name", "change_type", "changed_at"],
                name="inventory_change_once_per_instant",
            )
        ]

    def __str__(self) -> str:
        return f"{self.feature_name}: {self.change_type} {self.old_value} → {self.new_value}"


class PollRun(models.Model):
    """One poll of one server: what the live view and the poll log show."""

    server = models.ForeignKey(LicenseServer, on_delete=models.CASCADE, related_name="poll_runs")
    polled_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    ok = models.BooleanField(default=False)
    error = models.TextField(blank=True)
    features = models.PositiveIntegerField(default=0)
    sessions_opened = models.PositiveIntegerField(default=0)
    sessions_closed = models.PositiveIntegerField(default=0)
    unparsed_count = models.PositiveIntegerField(default=0)
    unparsed_examples = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-polled_at", "-id"]
        indexes = [models.Index(fields=["server", "-polled_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ok=True) | ~Q(error=""), name="poll_failure_says_why"
            )
        ]

    def __str__(self) -> str:
        outcome = "ok" if self.ok else "failed"
        return f"{self.server_id} at {self.polled_at:%Y-%m-%d %H:%M:%S} ({outcome})"
