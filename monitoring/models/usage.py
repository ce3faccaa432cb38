"""Who uses the licenses: users, departments, sessions (checkouts) and per-poll usage samples."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from monitoring.models.inventory import Feature, LicenseServer


class Department(models.Model):
    name = models.CharField(max_length=150, unique=True)
    cost_center = models.CharField(max_length=50, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserSource(models.TextChoices):
    POLL = "poll", "Polling"
    LOG = "log", "Log import"
    AD = "ad", "Directory (AD/LDAP)"
    MANUAL = "manual", "Manual"


class LicenseUser(models.Model):
    """A person (login name) seen holding licenses. Directory attributes, when synced, live in
    ``directory`` (title, office, manager …) with ``last_synced_at``."""

    username = models.CharField(max_length=150, unique=True)
    display_name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="users"
    )
    source = models.CharField(max_length=10, choices=UserSource.choices, default=UserSource.POLL)
    directory = models.JSONField(default=dict, blank=True)
    first_seen_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    last_synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["username"]
        indexes = [models.Index(fields=["last_seen_at"])]

    def __str__(self) -> str:
        return self.username


class SessionStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ARCHIVED = "archived", "Archived"


class SessionSource(models.TextChoices):
    POLL = "poll", "Polling"
    LOG = "log", "Log import"


class Session(models.Model):
    """A user@host holding ``licenses`` seats of a feature from ``started_at`` to ``ended_at``.

    Active while held (``ended_at`` empty); archived once returned. The unique constraint on
    open checkouts makes reconciling a poll idempotent under concurrent pollers.
    """

    server = models.ForeignKey(LicenseServer, on_delete=models.CASCADE, related_name="sessions")
    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="sessions")
    user = models.ForeignKey(LicenseUser, on_delete=models.PROTECT, related_name="sessions")
    host = models.CharField(max_length=200, blank=True)
    display = models.CharField(max_length=200, blank=True)
    licenses = models.PositiveIntegerField(default=1)
    version = models.CharField(max_length=50, blank=True)
    handle = models.CharField(max_length=50, blank=True)
    borrowed = models.BooleanField(default=False)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=SessionStatus.choices, default=SessionStatus.ACTIVE
    )
    source = models.CharField(max_length=10, choices=SessionSource.choices, default="poll")
    #: Closed because the vendor daemon restarted, not by a check-in.
    closed_by_restart = models.BooleanField(default=False)
    #: Content hash of a log-imported checkout (OUT line), so overlapping logs import it once.
    fingerprint = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["server", "feature", "user", "host", "handle"],
                condition=Q(status="active"),
                name="session_one_active_checkout",
            ),
            models.CheckConstraint(
                condition=Q(status="active", ended_at__isnull=True)
                | Q(status="archived", ended_at__isnull=False),
                name="session_ended_iff_archived",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="session_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["server", "fingerprint"],
                condition=~Q(fingerprint=""),
                name="session_log_checkout_once",
            ),
        ]
        indexes = [
            # the default order of /api/v1/sessions: a fast first page over millions of rows
            models.Index(fields=["-started_at", "-id"], name="session_newest_first"),
            models.Index(fields=["feature", "started_at"]),
            models.Index(fields=["user", "started_at"]),
            models.Index(fields=["server", "status"]),
            models.Index(fields=["ended_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.host} {self.feature_id} ({self.status})"


class UsageSample(models.Model):
    """A feature's figures at one poll. ``reserved`` seats (held by options-file reservations
    but idle) are counted apart from ``in_use``."""

    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="samples")
    server = models.ForeignKey(LicenseServer, on_delete=models.CASCADE, related_name="samples")
    sampled_at = models.DateTimeField()
    in_use = models.PositiveIntegerField(default=0)
    reserved = models.PositiveIntegerField(default=0)
    issued = models.PositiveIntegerField(null=True, blank=True)
    queued = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-sampled_at"]
        constraints = [
            models.UniqueConstraint(fields=["feature", "sampled_at"], name="sample_once_per_poll")
        ]
        indexes = [models.Index(fields=["sampled_at"])]

    def __str__(self) -> str:
        return f"{self.feature_id} at {self.sampled_at:%Y-%m-%d %H:%M}: {self.in_use}/{self.issued}"
