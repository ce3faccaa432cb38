"""Pre-computed usage, so reads over a year of sessions stay fast.

Both tables are computed from exact session intervals (``monitoring.analytics``) and kept up
to date incrementally by ``monitoring.services.rollups``: after each poll for the hours since
the server's watermark, after each log-import batch for the hours its sessions span. Rows are
replaced, never added to, so recomputing a period any number of times gives the same result.
"""

from __future__ import annotations

from django.db import models

from monitoring.models.inventory import Feature, LicenseServer
from monitoring.models.usage import LicenseUser


class HourlyUsage(models.Model):
    """One feature's concurrency over one clock hour (``hour`` is its UTC start).

    ``license_seconds`` is the integral of concurrency (seat-seconds), ``peak`` the highest
    concurrency reached, ``users`` the distinct users holding the feature at some moment of
    the hour and ``sessions`` the checkouts that started in it. Hours without any use have
    no row.
    """

    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="hourly_usage")
    server = models.ForeignKey(LicenseServer, on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField()
    license_seconds = models.FloatField(default=0)
    peak = models.PositiveIntegerField(default=0)
    users = models.PositiveIntegerField(default=0)
    sessions = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["feature", "hour"]
        constraints = [
            models.UniqueConstraint(fields=["feature", "hour"], name="hourly_usage_once")
        ]
        indexes = [models.Index(fields=["hour"]), models.Index(fields=["server", "hour"])]

    def __str__(self) -> str:
        return f"{self.feature_id} {self.hour:%Y-%m-%d %H:00}: peak {self.peak}"


class DailyUserUsage(models.Model):
    """One user's use of one feature over one local day (``settings.TIME_ZONE``).

    ``peak`` is the most seats of the feature the user held at once that day. Summed over
    users and days these rows give license-hours, sessions and distinct users for any group
    (feature, user, department, server, day) without reading sessions.
    """

    user = models.ForeignKey(LicenseUser, on_delete=models.CASCADE, related_name="daily_usage")
    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="daily_usage")
    server = models.ForeignKey(LicenseServer, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    license_seconds = models.FloatField(default=0)
    sessions = models.PositiveIntegerField(default=0)
    peak = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["day", "user", "feature"]
        constraints = [
            models.UniqueConstraint(fields=["feature", "day", "user"], name="daily_user_usage_once")
        ]
        indexes = [
            models.Index(fields=["day"]),
            models.Index(fields=["user", "day"]),
            models.Index(fields=["server", "day"]),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.feature_id} {self.day}: {self.license_seconds / 3600:.1f} h"
