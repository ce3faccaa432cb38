"""Read-side aggregations of the public inventory API and the Prometheus gauges: servers and
sites with live figures, feature display names resolved in bulk, and the session query.

Every function here runs a fixed number of queries whatever the number of rows: counts are
correlated subqueries, related rows are prefetched, and feature mappings are loaded once into
a :class:`MappingIndex` rather than resolved feature by feature.
"""

from __future__ import annotations

from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from monitoring.models import (
    Application,
    Feature,
    FeatureMapping,
    LicenseServer,
    Session,
    SessionStatus,
    Site,
)
from monitoring.queries import servers, sites_overview
from monitoring.services.mappings import _rank, matches


class MappingIndex:
    """Every feature mapping, loaded with one query, resolved with the same rule as
    :func:`monitoring.services.catalog.mapping_for` (exact before regex, server override before
    global, then priority)."""

    def __init__(self) -> None:
        self._mappings = list(FeatureMapping.objects.select_related("application"))
        self._cache: dict[tuple[str, int | None], FeatureMapping | None] = {}

    def mapping(self, feature_name: str, server_id: int | None = None) -> FeatureMapping | None:
        key = (feature_name, server_id)
        if key not in self._cache:
            applicable = [
                m
                for m in self._mappings
                if (m.server_id is None or m.server_id == server_id) and matches(m, feature_name)
            ]
            self._cache[key] = min(applicable, key=_rank, default=None)
        return self._cache[key]

    def display_name(self, feature_name: str, server_id: int | None = None) -> str:
        mapping = self.mapping(feature_name, server_id)
        return mapping.display_name if mapping else feature_name

    def application(self, feature_name: str, server_id: int | None = None) -> Application | None:
        mapping = self.mapping(feature_name, server_id)
        return mapping.application if mapping else None


def _count(queryset: QuerySet, outer: str) -> Coalesce:
    """``COUNT(*)`` of ``queryset`` correlated on ``outer`` = the outer row's primary key."""
    counted = (
        queryset.filter(**{outer: OuterRef("pk")})
        .order_by()
        .values(outer)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _sum(queryset: QuerySet, outer: str, field: str) -> Coalesce:
    summed = (
        queryset.filter(**{outer: OuterRef("pk")})
        .order_by()
        .values(outer)
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(summed, output_field=IntegerField()), Value(0))


ACTIVE_SESSIONS = Session.objects.filter(status=SessionStatus.ACTIVE)
#: Features that count towards saturation: present now and with a counted total.
COUNTED_FEATURES = Feature.objects.filter(is_present=True, issued__isnull=False)


def servers_overview() -> QuerySet[LicenseServer]:
    """Servers with ``features_count`` (present features) and ``active_sessions``."""
    return servers().annotate(
        features_count=_count(Feature.objects.filter(is_present=True), "server"),
        active_sessions=_count(ACTIVE_SESSIONS, "server"),
    )


def server_detail(pk: int) -> LicenseServer:
    """A server with its present features, active sessions and vendor daemons prefetched."""
    return (
        servers_overview()
        .prefetch_related(
            Prefetch(
                "features",
                queryset=Feature.objects.filter(is_present=True).order_by("vendor", "name"),
                to_attr="present_features",
            ),
            Prefetch(
                "sessions",
                queryset=ACTIVE_SESSIONS.select_related("feature", "user").order_by(
                    "feature__name", "started_at"
                ),
                to_attr="active_session_list",
            ),
            "daemons",
        )
        .get(pk=pk)
    )


def sites_metrics() -> QuerySet[Site]:
    """Sites with servers up/total (:func:`monitoring.queries.sites_overview`), active sessions
    and seats in use / issued over the present counted features of their in-service servers."""
    in_service = {"server__is_active": True}
    return sites_overview().annotate(
        active_sessions=_count(ACTIVE_SESSIONS.filter(**in_service), "server__site"),
        seats_in_use=_sum(COUNTED_FEATURES.filter(**in_service), "server__site", "in_use"),
        seats_issued=_sum(COUNTED_FEATURES.filter(**in_service), "server__site", "issued"),
    )


def saturation_percent(in_use: int, issued: int) -> int | None:
    return round(in_use * 100 / issued) if issued else None


def site_detail(pk: int) -> Site:
    """A site with metrics, its servers (with live counts) and the applications deployed on
    them prefetched."""
    return (
        sites_metrics()
        .prefetch_related(Prefetch("servers", queryset=servers_overview(), to_attr="server_list"))
        .get(pk=pk)
    )


def site_applications(site: Site) -> QuerySet[Application]:
    """Applications deployed on the site's servers, with ``deployments_at_site`` and
    ``seats_at_site`` (seats owned there)."""
    here = Q(deployments__server__site=site)
    return (
        Application.objects.filter(here)
        .annotate(
            deployments_at_site=Count("deployments", filter=here, distinct=True),
            seats_at_site=Coalesce(Sum("deployments__seats", filter=here), Value(0)),
        )
        .order_by("name")
    )


def session_search() -> QuerySet[Session]:
    """Sessions newest first (``-started_at, -id``), with what a row shows joined in."""
    return Session.objects.select_related("server", "feature", "user").order_by(
        "-started_at", "-id"
    )


def known_feature_codes() -> list[str]:
    """Every feature code seen on any server, and every exact mapping pattern, sorted."""
    seen = set(Feature.objects.values_list("name", flat=True).distinct())
    seen.update(FeatureMapping.objects.filter(match_type="exact").values_list("pattern", flat=True))
    return sorted(seen)


def feature_gauges() -> QuerySet[Feature]:
    """Present features of in-service servers, for the Prometheus gauges."""
    return (
        Feature.objects.filter(is_present=True, server__is_active=True)
        .annotate(server_name=F("server__name"))
        .order_by("server__name", "name", "vendor")
    )


def server_gauges() -> QuerySet[LicenseServer]:
    return LicenseServer.objects.filter(is_active=True).order_by("name")
