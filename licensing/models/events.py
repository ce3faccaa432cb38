from django.db import models
from django.utils import timezone


class ClientEvent(models.Model):
    """One call of a client endpoint and its outcome (``ok`` or the refusal's reason), written in
    the same transaction as the state change. Append-only; it feeds the metrics (counted from
    the database so every worker reports the same figures) and anomaly detection. Old rows are
    purged after the retention period; ``ClientEventTotal`` keeps the running totals."""

    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=24)  # activate, verify, deactivate, session_start, …
    result = models.CharField(max_length=40)  # ok, limit_reached, not_found, rate_limited, …
    license_id = models.BigIntegerField(null=True, blank=True)
    activation_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["kind", "at"]),
            models.Index(fields=["license_id", "at"]),
            models.Index(fields=["activation_id", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.kind} {self.result}"


class ClientEventTotal(models.Model):
    """Running totals of ``ClientEvent`` rows up to ``ClientEventRollup.through_id``."""

    kind = models.CharField(max_length=24)
    result = models.CharField(max_length=40)
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "result"], name="client_event_total_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.result}: {self.count}"


class ClientEventRollup(models.Model):
    """Singleton (pk=1): the highest ``ClientEvent`` id already added to the totals."""

    through_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"rolled up through #{self.through_id}"
