"""What the license servers mean to people: applications, where they are deployed, and how
cryptic feature codes map to product names."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from monitoring.models.inventory import Feature, LicenseServer


class Application(models.Model):
    """A product people think in ("MATLAB"). Its keystone feature is the one whose checkout
    means "the application is in use": application-level users and concurrency are counted on
    features of that name on every server the application is deployed on, so toolbox checkouts
    never double-count."""

    name = models.CharField(max_length=150, unique=True)
    vendor = models.CharField(max_length=150, blank=True)
    category = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True)
    is_critical = models.BooleanField(default=False)
    cost_per_seat = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Cost per seat per year",
    )
    currency = models.CharField(max_length=3, default="EUR")
    keystone_feature = models.ForeignKey(
        Feature, on_delete=models.SET_NULL, null=True, blank=True, related_name="keystone_of"
    )
    #: Key of the built-in template the application was created from, if any.
    template = models.CharField(max_length=50, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["category"]), models.Index(fields=["vendor"])]

    def __str__(self) -> str:
        return self.name


class DeploymentScope(models.TextChoices):
    EXCLUSIVE = "exclusive", "Exclusive"
    SHARED = "shared", "Shared"


class Environment(models.TextChoices):
    PROD = "prod", "Production"
    TEST = "test", "Test"
    DEV = "dev", "Development"


class Deployment(models.Model):
    """An application served from a license server (and so from a site)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="deployments"
    )
    server = models.ForeignKey(LicenseServer, on_delete=models.PROTECT, related_name="deployments")
    seats = models.PositiveIntegerField(null=True, blank=True, help_text="Seats owned (contract)")
    annual_cost = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    contract_start = models.DateField(null=True, blank=True)
    contract_end = models.DateField(null=True, blank=True)
    scope = models.CharField(
        max_length=10, choices=DeploymentScope.choices, default=DeploymentScope.EXCLUSIVE
    )
    environment = models.CharField(max_length=5, choices=Environment.choices, default="prod")
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "server"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "server"], name="deployment_unique_per_server"
            ),
            models.CheckConstraint(
                condition=Q(contract_end__isnull=True)
                | Q(contract_start__isnull=True)
                | Q(contract_end__gte=models.F("contract_start")),
                name="deployment_contract_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} on {self.server}"


class MatchType(models.TextChoices):
    EXACT = "exact", "Exact name"
    REGEX = "regex", "Regular expression"


class FeatureMapping(models.Model):
    """Feature-name pattern → display name and application. Exact matches win over regular
    expressions; among regular expressions the lowest ``priority`` wins. A mapping limited to a
    server applies only there."""

    pattern = models.CharField(max_length=300)
    match_type = models.CharField(max_length=10, choices=MatchType.choices, default="exact")
    display_name = models.CharField(max_length=200)
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, null=True, blank=True, related_name="mappings"
    )
    server = models.ForeignKey(
        LicenseServer, on_delete=models.CASCADE, null=True, blank=True, related_name="mappings"
    )
    cost_per_seat = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    priority = models.PositiveSmallIntegerField(default=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["priority", "pattern"]
        constraints = [
            models.UniqueConstraint(
                fields=["pattern", "match_type", "server"],
                condition=Q(server__isnull=False),
                name="mapping_unique_pattern_per_server",
            ),
            models.UniqueConstraint(
                fields=["pattern", "match_type"],
                condition=Q(server__isnull=True),
                name="mapping_unique_global_pattern",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pattern} → {self.display_name}"
