"""``/api/v1/applications*`` (public read, like :mod:`monitoring.api.read_views`), the admin-only
``PUT applications/{id}/keystone`` and ``/api/v1/features/{server_id}/{name}/usage_history``.

Figures come from :mod:`monitoring.queries_applications` (one implementation for the API,
the panel pages and ``/metrics``); see docs/monitoring-applications.md.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from limon_site.api.schema import errors
from limon_site.errors import ValidationFailed
from monitoring import queries_applications as qa
from monitoring import queries_history as qh
from monitoring.api import application_serializers as s
from monitoring.api.filters_applications import ApplicationMetricsFilter
from monitoring.models import Application, Feature, LicenseServer
from monitoring.queries import keystone_features
from monitoring.services import catalog

TAGS = ["Monitoring data"]


class _ReadView(generics.GenericAPIView):
    api_scope = "monitoring_read"


def _application(pk: int) -> Application:
    return generics.get_object_or_404(qa.applications_metrics(), pk=pk)


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        responses={200: s.ApplicationSummarySerializer(many=True), **errors(400, 401)},
    )
)
class ApplicationListView(_ReadView, generics.ListAPIView):
    """Applications with deployments, seats owned, keystone seats in use / issued now and
    active users now (distinct users of active keystone sessions). Filters: ``category``,
    ``vendor`` (case-insensitive, exact), ``is_critical``, ``name``, ``q``, ``server``."""

    serializer_class = s.ApplicationSummarySerializer
    filterset_class = ApplicationMetricsFilter

    def get_queryset(self):
        return qa.applications_metrics()


class ApplicationDetailView(_ReadView):
    """An application with its deployments, the features of its servers (keystone ones
    flagged) and its metrics: peak and P95 keystone concurrency over ``recommendation_days``,
    recommended seats, surplus seats and unused cost."""

    serializer_class = s.ApplicationDetailSerializer

    @extend_schema(tags=TAGS, responses={200: s.ApplicationDetailSerializer, **errors(401, 404)})
    def get(self, request, pk: int):
        app = _application(pk)
        app.deployment_list = list(app.deployments.select_related("server", "server__site"))
        app.feature_list = list(qa.application_features(app))
        app.metrics = qa.application_metrics(app)
        context = {
            **self.get_serializer_context(),
            "keystone_ids": set(keystone_features(app).values_list("pk", flat=True)),
        }
        return Response(s.ApplicationDetailSerializer(app, context=context).data)


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        responses={200: s.ApplicationSessionSerializer(many=True), **errors(401, 404)},
    )
)
class ApplicationSessionsView(_ReadView, generics.ListAPIView):
    """Active sessions across the application's deployments: of its keystone features and of
    the features the feature mappings attribute to it (toolboxes), oldest first."""

    serializer_class = s.ApplicationSessionSerializer
    filter_backends: list = []

    def get_queryset(self):
        app = generics.get_object_or_404(Application, pk=self.kwargs["pk"])
        return qa.active_sessions(app)


def _history_query(request) -> dict:
    query = s.UsageHistoryQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


def _history_response(values: dict, result: dict) -> Response:
    body = {"interval": values["interval"], "from": values["start"], "to": values["end"], **result}
    return Response(s.UsageHistorySerializer(body).data)


HISTORY_PARAMETERS = [
    OpenApiParameter("from", str, description="Date or ISO date-time; default 30 days ago"),
    OpenApiParameter("to", str, description="Date (end of that day) or date-time; default now"),
    OpenApiParameter(
        "interval",
        str,
        enum=list(qh.INTERVALS),
        description="Bucket size, default day. At most "
        + ", ".join(f"{days} days by {name}" for name, days in qh.MAX_RANGE_DAYS.items()),
    ),
]


class ApplicationUsageHistoryView(_ReadView):
    """Peak and average concurrent keystone use per bucket (local time), with a by-site
    breakdown, from the hourly rollups."""

    serializer_class = s.UsageHistorySerializer

    @extend_schema(
        tags=TAGS,
        parameters=HISTORY_PARAMETERS,
        responses={200: s.UsageHistorySerializer, **errors(400, 401, 404)},
    )
    def get(self, request, pk: int):
        app = generics.get_object_or_404(Application, pk=pk)
        values = _history_query(request)
        result = qh.usage_history(app, values["start"], values["end"], values["interval"])
        return _history_response(values, result)


class ApplicationTopUsersView(_ReadView):
    """The heaviest users of the keystone features over the last ``days`` local days, by
    ``sessions`` or license-``hours``."""

    serializer_class = s.TopUsersSerializer

    @extend_schema(
        tags=TAGS,
        parameters=[s.TopUsersQuerySerializer],
        responses={200: s.TopUsersSerializer, **errors(400, 401, 404)},
    )
    def get(self, request, pk: int):
        app = generics.get_object_or_404(Application, pk=pk)
        query = s.TopUsersQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        rows = qa.top_users(app, by=values["by"], days=values["days"], limit=values["limit"])
        body = {"by": values["by"], "days": values["days"], "results": rows}
        return Response(s.TopUsersSerializer(body).data)


class ApplicationKeystoneView(APIView):
    """Set (or, with ``null``, clear) the keystone feature: admin key or staff session; the
    change is audited. A feature not on a server the application is deployed on is 400."""

    serializer_class = s.KeystoneSerializer

    @extend_schema(
        tags=["monitoring administration"],
        request=s.KeystoneSerializer,
        responses={200: s.ApplicationSummarySerializer, **errors(400, 401, 403, 404)},
    )
    def put(self, request, pk: int):
        app = generics.get_object_or_404(Application, pk=pk)
        body = s.KeystoneSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            catalog.set_keystone(
                app, feature_id=body.validated_data["feature_id"], actor=request.user
            )
        except ValidationFailed as error:
            fields = (error.details or {}).get("fields", {})
            messages = fields.get("keystone_feature") or [error.message]
            raise ValidationFailed(
                f"feature_id: {messages[0]}", details={"fields": {"feature_id": messages}}
            ) from error
        return Response(s.ApplicationSummarySerializer(_application(pk)).data)


class FeatureUsageHistoryView(_ReadView):
    """One feature's peak and average concurrency per bucket, from the hourly rollups (the
    features of that name on the server, whatever their vendor)."""

    serializer_class = s.UsageHistorySerializer

    @extend_schema(
        tags=TAGS,
        parameters=HISTORY_PARAMETERS,
        responses={200: s.UsageHistorySerializer, **errors(400, 401, 404)},
    )
    def get(self, request, server_id: int, name: str):
        server = generics.get_object_or_404(LicenseServer, pk=server_id)
        ids = list(Feature.objects.filter(server=server, name=name).values_list("pk", flat=True))
        if not ids:
            raise Http404
        values = _history_query(request)
        result = qh.history(ids, values["start"], values["end"], values["interval"])
        return _history_response(values, result)
