"""Read-side aggregations shared by the panel pages, the API, reports and metrics.

Nothing here changes the database; state changes live in ``monitoring.services``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from limon_site import config
from monitoring.conf import MONITORING
from monitoring.models import (
    Application,
    Feature,
    FeatureMapping,
    InventoryChange,
    LicenseServer,
    PollRun,
    ServerStatus,
    Session,
    SessionStatus,
    Site,
)

#: A feature within this many percentage points of the critical threshold is shown as a warning.
WARNING_MARGIN_PERCENT = 15


def sites_overview() -> QuerySet[Site]:
    """Sites with ``servers_total`` (servers still in service) and ``servers_up`` among them."""
    in_service = Q(servers__is_active=True)
    return Site.objects.annotate(
        servers_total=Count("servers", filter=in_service, distinct=True),
        servers_up=Count(
            "servers", filter=in_service & Q(servers__status=ServerStatus.UP), distinct=True
        ),
        servers_decommissioned=Count("servers", filter=Q(servers__is_active=False), distinct=True),
    ).order_by("name")


def servers() -> QuerySet[LicenseServer]:
    """Servers with their site, in service first, then by name."""
    return LicenseServer.objects.select_related("site").order_by("-is_active", "name")


@dataclass(frozen=True)
class FeatureRow:
    """A feature with its saturation (in use ÷ issued) as a percentage and a display level:
    ``critical`` at or above the configured threshold, ``warn`` close to it, else ``""``."""

    feature: Feature
    percent: int | None
    level: str


def saturation_level(percent: float | None, threshold: int | None = None) -> str:
    if percent is None:
        return ""
    if threshold is None:
        threshold = config.get(MONITORING)["saturation_threshold_percent"]
    if percent >= threshold:
        return "critical"
    if percent >= threshold - WARNING_MARGIN_PERCENT:
        return "warn"
    return ""


def feature_rows(features) -> list[FeatureRow]:
    threshold = config.get(MONITORING)["saturation_threshold_percent"]
    rows = []
    for feature in features:
        saturation = feature.saturation
        percent = None if saturation is None else round(saturation * 100)
        rows.append(FeatureRow(feature, percent, saturation_level(percent, threshold)))
    return rows


def server_features(server: LicenseServer) -> list[FeatureRow]:
    """The features the server offers now (present in the last output), with saturation."""
    features = server.features.filter(is_present=True).order_by("vendor", "name")
    return feature_rows(features)


def active_sessions(server: LicenseServer) -> QuerySet[Session]:
    return (
        Session.objects.filter(server=server, status=SessionStatus.ACTIVE)
        .select_related("feature", "user")
        .order_by("feature__name", "started_at")
    )


def recent_poll_runs(server: LicenseServer, limit: int = 20) -> QuerySet[PollRun]:
    return server.poll_runs.order_by("-polled_at", "-id")[:limit]


def inventory_history(server: LicenseServer, limit: int = 100) -> QuerySet[InventoryChange]:
    return server.changes.order_by("-changed_at", "-id")[:limit]


def applications_overview() -> QuerySet[Application]:
    """Applications with ``deployments_count`` and their keystone feature."""
    return (
        Application.objects.select_related("keystone_feature", "keystone_feature__server")
        .annotate(deployments_count=Count("deployments", distinct=True))
        .order_by("name")
    )


def keystone_candidates(application: Application) -> QuerySet[Feature]:
    """Features on the servers the application is deployed on: the keystone is one of these."""
    return (
        Feature.objects.filter(server__deployments__application=application)
        .select_related("server")
        .order_by("name", "server__name", "vendor")
        .distinct()
    )


def application_mappings(application: Application) -> QuerySet[FeatureMapping]:
    return application.mappings.select_related("server").order_by("priority", "pattern")


def mappings() -> QuerySet[FeatureMapping]:
    return FeatureMapping.objects.select_related("application", "server").order_by(
        "priority", "pattern"
    )


def keystone_features(application: Application) -> QuerySet[Feature]:
    """The features that count as the application in use (the keystone rule): those named like
    its keystone feature, on every server the application is deployed on. Empty without a
    keystone. Application-level users and concurrency are read from these only, so toolbox
    checkouts never double-count."""
    if application.keystone_feature_id is None:
        return Feature.objects.none()
    name = Feature.objects.filter(pk=application.keystone_feature_id).values("name")
    return Feature.objects.filter(
        name__in=name, server__deployments__application=application
    ).distinct()
