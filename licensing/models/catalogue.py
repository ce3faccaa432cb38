from django.db import models
from django.db.models import Q
from django.utils import timezone


class Product(models.Model):
    """A client application we sell (the seeds' ``client_configs`` row): its session policy and
    version policy. ``current_version`` names the release offered to clients as the latest one
    (blank: the highest published release)."""

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    single_session = models.BooleanField(
        default=True, help_text="Only one live session per license (409 SESSION_LIMIT otherwise)."
    )
    heartbeat_interval = models.PositiveIntegerField(
        default=60, help_text="Seconds between client heartbeats."
    )
    session_timeout = models.PositiveIntegerField(
        default=300, help_text="Seconds without a heartbeat after which a session is dead."
    )
    current_version = models.CharField(max_length=64, blank=True)
    minimum_version = models.CharField(
        max_length=64, blank=True, help_text="Older clients are refused (version_unsupported)."
    )
    offline_grace_days = models.PositiveIntegerField(
        default=7, help_text="How long a signed offline license file stays valid."
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(heartbeat_interval__gte=1), name="product_heartbeat_positive"
            ),
            models.CheckConstraint(
                condition=Q(session_timeout__gt=models.F("heartbeat_interval")),
                name="product_timeout_above_heartbeat",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Release(models.Model):
    """One published version of a product (semantic version, validated by the services)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="releases")
    version = models.CharField(max_length=64)
    release_date = models.DateField(default=timezone.localdate)
    download_url = models.URLField(max_length=500, blank=True)
    release_notes = models.TextField(blank=True)
    is_mandatory = models.BooleanField(
        default=False, help_text="Clients below this version must update."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["product_id", "-release_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["product", "version"], name="release_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.product} {self.version}"
