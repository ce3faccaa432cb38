"""Platform models: API keys, the installation and its product license, layered configuration,
and the append-only audit trail shared by every app."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiKeyScope(models.TextChoices):
    ADMIN = "admin", "Admin (everything)"
    READ = "read", "Read (GET monitoring data)"
    WEBHOOK = "webhook", "Webhook (POST /api/webhook/*)"
    CLIENT = "client", "Client (licensing client endpoints)"


class ApiKeyQuerySet(models.QuerySet):
    def usable(self) -> "ApiKeyQuerySet":
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiKey(models.Model):
    """An API credential. Only a SHA-256 digest of the secret is stored; the clear key is shown
    once at creation. Several keys may be active at once, so rotation needs no downtime."""

    name = models.CharField(max_length=100)
    scope = models.CharField(max_length=16, choices=ApiKeyScope.choices)
    prefix = models.CharField(max_length=24, unique=True, help_text="Shown in lists and logs.")
    secret_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…, {self.scope})"

    @property
    def state(self) -> str:
        if self.revoked_at:
            return "revoked"
        if self.expires_at and self.expires_at <= timezone.now():
            return "expired"
        return "active"


class Installation(models.Model):
    """Singleton (pk=1): this installation's identity and the LiMon product license on it."""

    installation_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    installed_at = models.DateTimeField(default=timezone.now)
    license_key = models.TextField(blank=True)
    license_installed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Installation {self.installation_id}"

    @classmethod
    def current(cls) -> "Installation":
        installation, _ = cls.objects.get_or_create(pk=1)
        return installation


class ConfigSection(models.Model):
    """The database layer of configuration: values set through the panel or the API override the
    shipped defaults and config.yml (see limon_site.config)."""

    name = models.CharField(max_length=64, unique=True)
    values = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=150, blank=True)

    def __str__(self) -> str:
        return self.name


class AuditEvent(models.Model):
    """Append-only record of state changes: who (user or key prefix), when, what, old → new."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.CharField(max_length=150)
    action = models.CharField(max_length=64, db_index=True)
    target_type = models.CharField(max_length=64, db_index=True)
    target_id = models.CharField(max_length=64, blank=True, db_index=True)
    changes = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target_type}"
