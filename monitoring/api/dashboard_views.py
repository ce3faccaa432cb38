"""``GET /api/v1/dashboard/metrics``: the dashboard figures
(:mod:`monitoring.queries_dashboard`), served from the shared cache for
``analytics.dashboard_cache_seconds``. Public read like the other ``/api/v1`` data."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from limon_site.api.schema import errors
from monitoring.api.read_serializers import ApplicationRefSerializer
from monitoring.queries_dashboard import cached_dashboard_metrics

TAGS = ["Monitoring data"]


class DashboardServerRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class DashboardServerCountsSerializer(serializers.Serializer):
    online = serializers.IntegerField(help_text="In service and up at the last poll")
    total = serializers.IntegerField(help_text="In service (decommissioned servers excluded)")


class DashboardCriticalSaturationSerializer(serializers.Serializer):
    application = ApplicationRefSerializer()
    in_use = serializers.IntegerField(help_text="Keystone seats in use, over every deployment")
    issued = serializers.IntegerField(help_text="Keystone seats issued, over every deployment")
    saturation = serializers.IntegerField(help_text="In use ÷ issued, in percent")


class DashboardFeatureSerializer(serializers.Serializer):
    feature_id = serializers.IntegerField()
    name = serializers.CharField(help_text="Feature code as the server prints it")
    display_name = serializers.CharField(help_text="Through the feature mappings")
    application = ApplicationRefSerializer(allow_null=True)
    server = DashboardServerRefSerializer()
    issued = serializers.IntegerField(allow_null=True)
    in_use = serializers.IntegerField()


class DashboardSaturatedFeatureSerializer(DashboardFeatureSerializer):
    saturation = serializers.IntegerField(help_text="In use ÷ issued, in percent")
    saturation_level = serializers.CharField(help_text="critical, warn or empty")


class DashboardUnusedFeatureSerializer(DashboardFeatureSerializer):
    last_used_at = serializers.DateTimeField(
        allow_null=True, help_text="Start of the last hour with use; null: none recorded"
    )


class DashboardExpiringFeatureSerializer(DashboardFeatureSerializer):
    expires_on = serializers.DateField()
    days_left = serializers.IntegerField()


class DashboardUnusedListSerializer(serializers.Serializer):
    days = serializers.IntegerField(help_text="analytics.unused_days")
    count = serializers.IntegerField(help_text="All such features (the list shows 50 at most)")
    features = DashboardUnusedFeatureSerializer(many=True)


class DashboardExpiringListSerializer(serializers.Serializer):
    days = serializers.IntegerField(help_text="analytics.expiring_days")
    count = serializers.IntegerField(help_text="All such features (the list shows 50 at most)")
    features = DashboardExpiringFeatureSerializer(many=True)


class DashboardUsagePointSerializer(serializers.Serializer):
    hour = serializers.DateTimeField(help_text="Start of the UTC hour")
    peak = serializers.IntegerField(help_text="Sum over features of each feature's peak")
    average = serializers.FloatField(help_text="Mean seats in use (seat-seconds ÷ 3600)")


class MonitoringDashboardSerializer(serializers.Serializer):
    generated_at = serializers.DateTimeField(help_text="When the figures were computed")
    cache_seconds = serializers.IntegerField(help_text="analytics.dashboard_cache_seconds")
    saturation_threshold_percent = serializers.IntegerField()
    servers = DashboardServerCountsSerializer()
    active_sessions = serializers.IntegerField(help_text="Checkouts held now")
    active_users = serializers.IntegerField(help_text="Distinct users holding a checkout now")
    critical_saturation = DashboardCriticalSaturationSerializer(many=True)
    top_saturated = DashboardSaturatedFeatureSerializer(many=True)
    unused = DashboardUnusedListSerializer()
    expiring = DashboardExpiringListSerializer()
    usage_7d = DashboardUsagePointSerializer(many=True, help_text="168 hourly points, oldest first")


class DashboardMetricsView(generics.GenericAPIView):
    """Servers online / in service, active sessions and users, critical applications at or
    above the saturation threshold, the ten most saturated features, licenses unused for
    ``unused_days`` and expiring within ``expiring_days``, and the last seven days of hourly
    usage. Cached in the shared cache for ``dashboard_cache_seconds`` (0: not cached)."""

    api_scope = "monitoring_read"
    serializer_class = MonitoringDashboardSerializer
    filter_backends: list = []
    pagination_class = None

    @extend_schema(tags=TAGS, responses={200: MonitoringDashboardSerializer, **errors(401)})
    def get(self, request):
        return Response(MonitoringDashboardSerializer(cached_dashboard_metrics()).data)
