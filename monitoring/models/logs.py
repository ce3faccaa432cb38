"""What imported debug logs add: import batches and their files (with the resume checkpoint),
license events (denials, queues, timeouts) and the pre-computed denial summary."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from monitoring.models.inventory import Feature, LicenseServer


class ImportState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class LogImport(models.Model):
    """One import batch: one or more log files of one server, imported by a worker."""

    server = models.ForeignKey(LicenseServer, on_delete=models.CASCADE, related_name="log_imports")
    state = models.CharField(max_length=10, choices=ImportState.choices, default="queued")
    timezone = models.CharField(max_length=64, blank=True, help_text="Empty: the server's")
    created_by = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    bytes_total = models.BigIntegerField(default=0)
    bytes_done = models.BigIntegerField(default=0)
    lines = models.BigIntegerField(default=0)
    sessions_created = models.PositiveIntegerField(default=0)
    events_created = models.PositiveIntegerField(default=0)
    malformed_count = models.PositiveIntegerField(default=0)
    malformed_examples = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.state})"

    @property
    def percent(self) -> float:
        if not self.bytes_total:
            return 100.0 if self.state == ImportState.DONE else 0.0
        return round(100.0 * self.bytes_done / self.bytes_total, 1)


class LogFile(models.Model):
    """A file of a batch. ``checkpoint`` is the resume point committed with each batch of
    rows: byte offset, parser state and the checkouts still open at that offset."""

    log_import = models.ForeignKey(LogImport, on_delete=models.CASCADE, related_name="files")
    server = models.ForeignKey(LicenseServer, on_delete=models.CASCADE, related_name="log_files")
    original_name = models.CharField(max_length=255)
    path = models.CharField(max_length=500, help_text="Where the upload is stored")
    size = models.BigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    state = models.CharField(max_length=10, choices=ImportState.choices, default="queued")
    byte_offset = models.BigIntegerField(default=0)
    checkpoint = models.JSONField(default=dict, blank=True)
    lines = models.BigIntegerField(default=0)
    skipped_duplicate = models.BooleanField(
        default=False, help_text="Same content as a file already imported for this server"
    )

    class Meta:
        ordering = ["log_import", "id"]
        indexes = [models.Index(fields=["server", "sha256"])]

    def __str__(self) -> str:
        return self.original_name


class EventType(models.TextChoices):
    DENIED = "denied", "Denied"
    QUEUED = "queued", "Queued"
    DEQUEUED = "dequeued", "Dequeued"
    TIMEOUT = "timeout", "Timeout"
    UNSUPPORTED = "unsupported", "Unsupported"


class Event(models.Model):
    """A DENIED / QUEUED / TIMEOUT / UNSUPPORTED line of a debug log.

    ``is_false_denial`` (denials only): the same user obtained the feature within the
    configured window around the denial, so nobody was really kept from working.
    ``fingerprint`` identifies the line's content so overlapping logs import it once.
    """

    server = models.ForeignKey(LicenseServer, on_delete=models.CASCADE, related_name="events")
    feature = models.ForeignKey(
        Feature, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    feature_name = models.CharField(max_length=200)
    username = models.CharField(max_length=150, blank=True)
    host = models.CharField(max_length=200, blank=True)
    type = models.CharField(max_length=12, choices=EventType.choices)
    reason = models.TextField(blank=True)
    occurred_at = models.DateTimeField()
    is_false_denial = models.BooleanField(null=True, blank=True)
    log_import = models.ForeignKey(
        LogImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    fingerprint = models.CharField(max_length=64)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["server", "fingerprint"], name="event_once_per_server"),
            models.CheckConstraint(
                condition=Q(type="denied") | Q(is_false_denial__isnull=True),
                name="event_false_denial_only_for_denials",
            ),
        ]
        indexes = [
            models.Index(fields=["server", "occurred_at"]),
            models.Index(fields=["type", "occurred_at"]),
            models.Index(fields=["feature_name", "occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.feature_name} {self.username} at {self.occurred_at}"


class DenialSummary(models.Model):
    """Pre-computed per server, feature, user and day (server-local date): what
    ``/api/v1/denials`` and the denials page read. ``checkouts`` counts the day's checkouts
    of that feature by that user, for the true-denial rate per 100 checkouts."""

    server = models.ForeignKey(LicenseServer, on_delete=models.CASCADE, related_name="+")
    feature_name = models.CharField(max_length=200)
    username = models.CharField(max_length=150, blank=True)
    day = models.DateField()
    true_denials = models.PositiveIntegerField(default=0)
    false_denials = models.PositiveIntegerField(default=0)
    queued = models.PositiveIntegerField(default=0)
    timeouts = models.PositiveIntegerField(default=0)
    checkouts = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "feature_name", "username"]
        constraints = [
            models.UniqueConstraint(
                fields=["server", "feature_name", "username", "day"],
                name="denial_summary_one_row_per_group",
            )
        ]
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.feature_name} {self.username}"
