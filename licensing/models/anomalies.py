from django.db import models
from django.db.models import Q
from django.utils import timezone

from licensing.models.licenses import License


class AnomalyType(models.TextChoices):
    UNUSUAL_ACTIVATION_PATTERN = "unusual_activation_pattern", "Unusual activation pattern"
    EXCESSIVE_HEARTBEATS = "excessive_heartbeats", "Excessive heartbeats"
    LICENSE_HOPPING = "license_hopping", "License hopping"


class Anomaly(models.Model):
    """Suspicious use found by anomaly detection. ``subject`` names what misbehaved
    (``license:12``, ``activation:34``, ``device:<hardware hash>``); while an anomaly is open,
    detecting the same (type, subject) again only updates ``last_seen``, ``occurrences`` and the
    evidence — one open row per (type, subject), enforced by a partial unique constraint."""

    type = models.CharField(max_length=32, choices=AnomalyType.choices)
    subject = models.CharField(max_length=300)
    license = models.ForeignKey(
        License, null=True, blank=True, on_delete=models.SET_NULL, related_name="anomalies"
    )
    license_key = models.CharField(max_length=19, blank=True)
    evidence = models.JSONField(default=dict)
    first_seen = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)
    occurrences = models.PositiveIntegerField(default=1)
    resolved = models.BooleanField(default=False)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.CharField(max_length=150, blank=True)
    resolution_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-last_seen", "-id"]
        verbose_name_plural = "anomalies"
        constraints = [
            models.UniqueConstraint(
                fields=["type", "subject"],
                condition=Q(resolved=False),
                name="anomaly_one_open_per_subject",
            ),
            models.CheckConstraint(
                condition=Q(resolved=False, resolved_at__isnull=True)
                | Q(resolved=True, resolved_at__isnull=False),
                name="anomaly_resolved_at_iff_resolved",
            ),
        ]
        indexes = [
            models.Index(fields=["resolved", "type"]),
            models.Index(fields=["license", "resolved"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} ({self.subject})"
