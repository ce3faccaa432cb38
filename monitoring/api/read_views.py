"""The public read API of the monitored estate: servers, sites, sessions and feature lookups.

Public while ``LIMON_PUBLIC_READ`` is on (``api_scope = "monitoring_read"``), else a ``read``
or ``admin`` key. Lists are paginated and filtered by the FilterSets the panel pages use; each
list runs a fixed number of queries whatever the page size.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.response import Response

from limon_site import config
from limon_site.api.pagination import EstimatedCountPagination
from limon_site.api.schema import errors
from monitoring.api import read_serializers as rs
from monitoring.api.filters import ServerFilter, SessionFilter, SiteFilter
from monitoring.conf import MONITORING
from monitoring.models import LicenseServer, Site
from monitoring.queries_inventory import (
    MappingIndex,
    known_feature_codes,
    server_detail,
    servers_overview,
    session_search,
    site_applications,
    site_detail,
    sites_metrics,
)

TAGS = ["Monitoring data"]


class _ReadView(generics.GenericAPIView):
    api_scope = "monitoring_read"


def _get_or_404(loader, pk: int, model) -> object:
    try:
        return loader(pk)
    except model.DoesNotExist:
        raise Http404 from None


@extend_schema_view(
    get=extend_schema(
        tags=TAGS, responses={200: rs.ServerSummarySerializer(many=True), **errors(400, 401)}
    )
)
class ServerListView(_ReadView, generics.ListAPIView):
    """License servers with status, last poll and live counts. Filters: ``status``, ``type``
    (flexlm or rlm), ``search`` (name, address, description), ``site``, ``is_active``."""

    serializer_class = rs.ServerSummarySerializer
    filterset_class = ServerFilter

    def get_queryset(self):
        return servers_overview()


class ServerDetailView(_ReadView):
    """A server with its present features (seats issued, in use, reserved, queued, saturation,
    display name), active sessions, vendor daemons and triad nodes."""

    serializer_class = rs.ServerDetailSerializer

    @extend_schema(tags=TAGS, responses={200: rs.ServerDetailSerializer, **errors(401, 404)})
    def get(self, request, pk: int):
        server = _get_or_404(server_detail, pk, LicenseServer)
        context = {
            **self.get_serializer_context(),
            "mappings": MappingIndex(),
            "threshold": config.get(MONITORING)["saturation_threshold_percent"],
        }
        return Response(rs.ServerDetailSerializer(server, context=context).data)


@extend_schema_view(
    get=extend_schema(
        tags=TAGS, responses={200: rs.InventoryChangeReadSerializer(many=True), **errors(401, 404)}
    )
)
class ServerHistoryView(_ReadView, generics.ListAPIView):
    """Changes to the server's inventory (features appearing and disappearing, totals, expiry
    and version changes), newest first."""

    serializer_class = rs.InventoryChangeReadSerializer
    filter_backends: list = []

    def get_queryset(self):
        server = generics.get_object_or_404(LicenseServer, pk=self.kwargs["pk"])
        return server.changes.order_by("-changed_at", "-id")


@extend_schema_view(
    get=extend_schema(
        tags=TAGS, responses={200: rs.SiteMetricsSerializer(many=True), **errors(400, 401)}
    )
)
class SiteListView(_ReadView, generics.ListAPIView):
    """Sites with servers up / in service, active sessions and seat saturation.
    Filters: ``q`` (name, code, location), ``name``, ``code``."""

    serializer_class = rs.SiteMetricsSerializer
    filterset_class = SiteFilter

    def get_queryset(self):
        return sites_metrics()


class SiteDetailView(_ReadView):
    """A site with its metrics, its servers and the applications deployed on them."""

    serializer_class = rs.SiteDetailSerializer

    @extend_schema(tags=TAGS, responses={200: rs.SiteDetailSerializer, **errors(401, 404)})
    def get(self, request, pk: int):
        site = _get_or_404(site_detail, pk, Site)
        site.applications = list(site_applications(site))
        return Response(rs.SiteDetailSerializer(site, context=self.get_serializer_context()).data)


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        parameters=[
            OpenApiParameter("from", str, description="Held at or after (ISO 8601)"),
            OpenApiParameter("to", str, description="Started before (ISO 8601)"),
        ],
        responses={200: rs.SessionReadSerializer(many=True), **errors(400, 401)},
    )
)
class SessionListView(_ReadView, generics.ListAPIView):
    """The universal session query, newest first. Filters: ``status`` (active or archived),
    ``server_id``, ``feature`` (code), ``user`` (login name), ``from`` / ``to`` (sessions held
    during the range), ``ordering`` (``started_at``, ``ended_at``, ``licenses``, ``-`` for
    descending). Without any filter, ``count`` is PostgreSQL's estimate once the table holds
    more than 100,000 sessions (an exact count there is a full scan)."""

    serializer_class = rs.SessionReadSerializer
    filterset_class = SessionFilter
    pagination_class = EstimatedCountPagination

    def get_queryset(self):
        return session_search()


def _lookup(index: MappingIndex, code: str, server_id: int | None = None) -> dict:
    mapping = index.mapping(code, server_id)
    application = mapping.application if mapping else None
    return {
        "code": code,
        "display_name": mapping.display_name if mapping else code,
        "mapped": mapping is not None,
        "application": {"id": application.pk, "name": application.name} if application else None,
    }


class FeatureLookupView(_ReadView):
    """The display name and application of one feature code, through the feature mappings
    (a mapping limited to ``server_id`` wins over a global one)."""

    serializer_class = rs.FeatureLookupSerializer

    @extend_schema(
        tags=TAGS,
        parameters=[rs.FeatureLookupQuerySerializer],
        responses={200: rs.FeatureLookupSerializer, **errors(400, 401)},
    )
    def get(self, request):
        query = rs.FeatureLookupQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        return Response(_lookup(MappingIndex(), values["code"], values.get("server_id")))


@extend_schema_view(
    get=extend_schema(
        tags=TAGS, responses={200: rs.FeatureLookupSerializer(many=True), **errors(401)}
    )
)
class FeatureLookupListView(_ReadView, generics.ListAPIView):
    """Every known feature code (seen on a server or named by an exact mapping) with its
    global display name and application, sorted by code."""

    serializer_class = rs.FeatureLookupSerializer
    filter_backends: list = []

    def get_queryset(self):
        return known_feature_codes()

    def list(self, request, *args, **kwargs):
        codes = self.paginate_queryset(self.get_queryset())
        index = MappingIndex()
        rows = [_lookup(index, code) for code in codes]
        return self.get_paginated_response(rs.FeatureLookupSerializer(rows, many=True).data)
