"""Live monitoring, sessions, anomalies and the analytics token.

The read-only figures (``api_scope = "read"``) answer a ``read`` credential too — notably the
analytics JWT from ``/api/admin/license/auth-token``, which can do nothing else."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from licensing import queries, staff_queries
from licensing.api.staff import monitoring_serializers as s
from licensing.api.staff.filters import AnomalyFilter
from licensing.models import Anomaly, EndReason, LicenseSession
from licensing.services import anomalies, sessions
from limon_site import audit, tokens
from limon_site.api.schema import errors

TAGS = ["licensing staff: monitoring"]
ANALYTICS = " Readable with the analytics token (`read` scope)."


class ActiveSessionCountView(APIView):
    api_scope = "read"

    @extend_schema(
        tags=TAGS,
        summary="Number of live sessions",
        description="Open sessions with a heartbeat within their product's timeout." + ANALYTICS,
        responses={200: s.CountSerializer, **errors(401, 403)},
    )
    def get(self, request):
        return Response({"count": staff_queries.active_session_count()})


class DashboardView(APIView):
    api_scope = "read"

    @extend_schema(
        tags=TAGS,
        summary="Monitoring dashboard: totals and alerts",
        description=(
            "Alerts come from real conditions: licenses expiring within the licensing setting "
            "`expiring_notice_days`, pools that are `low` or `critical`, unresolved anomalies."
            + ANALYTICS
        ),
        responses={200: s.DashboardSerializer, **errors(401, 403)},
    )
    def get(self, request):
        return Response(s.DashboardSerializer(staff_queries.dashboard()).data)


class LiveStatsView(APIView):
    api_scope = "read"

    @extend_schema(
        tags=TAGS,
        summary="Live statistics",
        description=(
            "`total_activations` counts devices with an active activation; "
            "`heartbeats_per_minute` the heartbeats accepted in the last 60 seconds. Alerts as "
            "on the dashboard, with the level in `type`." + ANALYTICS
        ),
        responses={200: s.LiveStatsSerializer, **errors(401, 403)},
    )
    def get(self, request):
        return Response(s.LiveStatsSerializer(staff_queries.live_stats()).data)


class AnomalyStatsView(APIView):
    api_scope = "read"

    @extend_schema(
        tags=TAGS,
        summary="Anomaly counts by type",
        description="Every type is listed, zero included." + ANALYTICS,
        responses={200: s.AnomalyStatsSerializer, **errors(401, 403)},
    )
    def get(self, request):
        return Response(staff_queries.anomaly_stats())


@extend_schema_view(
    get=extend_schema(tags=TAGS, responses={200: s.AnomalySerializer, **errors(400, 401, 403)})
)
class AnomalyListView(generics.ListAPIView):
    queryset = Anomaly.objects.select_related("license").order_by("resolved", "-last_seen", "-id")
    serializer_class = s.AnomalySerializer
    filterset_class = AnomalyFilter


@extend_schema_view(
    get=extend_schema(tags=TAGS, responses={200: s.AnomalySerializer, **errors(401, 403, 404)})
)
class AnomalyDetailView(generics.RetrieveAPIView):
    queryset = Anomaly.objects.select_related("license")
    serializer_class = s.AnomalySerializer


class AnomalyResolveView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Resolve an anomaly",
        description="409 `ANOMALY_RESOLVED` when it already is. The same evidence does not "
        "reopen it; new evidence opens a new anomaly.",
        request=s.ResolveRequestSerializer,
        responses={200: s.AnomalySerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request, pk: int):
        data = s.ResolveRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        anomaly = get_object_or_404(Anomaly, pk=pk)
        anomaly = anomalies.resolve_anomaly(
            anomaly=anomaly, note=data.validated_data["note"], actor=request.user
        )
        return Response(s.AnomalySerializer(anomaly).data)


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="Live sessions",
        responses={200: s.LiveSessionSerializer, **errors(401, 403)},
    )
)
class LiveSessionListView(generics.ListAPIView):
    queryset = LicenseSession.objects.none()
    serializer_class = s.LiveSessionSerializer
    filterset_fields = ["license"]

    def get_queryset(self):
        return (
            queries.live_sessions()
            .select_related("license__customer", "license__product", "activation")
            .order_by("-last_heartbeat", "-id")
        )


class EndSessionView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="End a session (staff)",
        description="Ends it with reason `admin`; ending an ended session changes nothing.",
        request=None,
        responses={200: s.EndSessionResponseSerializer, **errors(401, 403, 404)},
    )
    def post(self, request, pk: int):
        session = get_object_or_404(LicenseSession, pk=pk)
        result = sessions.end_session(
            token=str(session.token), reason=EndReason.ADMIN, actor=request.user
        )
        return Response(
            {
                "success": True,
                "ended": result.ended_now,
                "message": "Session ended" if result.ended_now else "Session had already ended",
            }
        )


class AnalyticsTokenView(APIView):
    @extend_schema(
        tags=["licensing staff: monitoring"],
        summary="JWT for analytics access",
        description=(
            "A Bearer token (`Authorization: Bearer <token>`) with only the `read` scope: it "
            "reads the monitoring figures (dashboard, live stats, anomaly stats, active session "
            "count, pool availability and statistics) and monitoring data, and is refused "
            "(403) everywhere else and (401) after `expires_at`. Lifetime: "
            "`LIMON_JWT_LIFETIME_SECONDS` (default 3600)."
        ),
        responses={200: s.AuthTokenSerializer, **errors(401, 403)},
    )
    def get(self, request):
        subject = f"analytics:{audit.actor_of(request.user)}"
        token, expires_at = tokens.mint(subject=subject, scopes=["read"])
        audit.record(
            actor=request.user,
            action="analytics_token.issued",
            target_type="token",
            changes={"subject": subject, "expires_at": expires_at.isoformat()},
        )
        return Response({"token": token, "expires_at": expires_at, "scopes": ["read"]})
