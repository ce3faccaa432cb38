"""Shapes of the monitoring, session, anomaly and analytics-token endpoints."""

from rest_framework import serializers

from licensing.models import Anomaly, AnomalyType


class CountSerializer(serializers.Serializer):
    count = serializers.IntegerField()


class DashboardMetricsSerializer(serializers.Serializer):
    total_licenses = serializers.IntegerField()
    active_licenses = serializers.IntegerField()
    total_customers = serializers.IntegerField()
    active_sessions = serializers.IntegerField()


class DashboardAlertSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=["info", "warning", "critical"])
    source = serializers.CharField()
    message = serializers.CharField()
    timestamp = serializers.DateTimeField()


class DashboardSerializer(serializers.Serializer):
    metrics = DashboardMetricsSerializer()
    alerts = DashboardAlertSerializer(many=True)


class LiveMetricsSerializer(serializers.Serializer):
    active_licenses = serializers.IntegerField()
    total_activations = serializers.IntegerField(help_text="Devices with an active activation")
    active_sessions = serializers.IntegerField()
    heartbeats_per_minute = serializers.IntegerField(help_text="Accepted in the last 60 seconds")


class LiveAlertSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["info", "warning", "critical"], source="level")
    source = serializers.CharField()
    message = serializers.CharField()
    timestamp = serializers.DateTimeField()


class LiveStatsSerializer(serializers.Serializer):
    timestamp = serializers.DateTimeField()
    metrics = LiveMetricsSerializer()
    alerts = LiveAlertSerializer(many=True)


class AnomalyStatsSerializer(serializers.Serializer):
    total_anomalies = serializers.IntegerField()
    unresolved = serializers.IntegerField()
    by_type = serializers.DictField(child=serializers.IntegerField())


class AnomalySerializer(serializers.ModelSerializer):
    license_id = serializers.IntegerField(allow_null=True, read_only=True)
    customer_id = serializers.IntegerField(
        source="license.customer_id", allow_null=True, read_only=True, default=None
    )
    type = serializers.ChoiceField(choices=AnomalyType.choices, read_only=True)

    class Meta:
        model = Anomaly
        fields = [
            "id",
            "type",
            "subject",
            "license_id",
            "license_key",
            "customer_id",
            "evidence",
            "first_seen",
            "last_seen",
            "occurrences",
            "resolved",
            "resolved_at",
            "resolved_by",
            "resolution_note",
        ]
        read_only_fields = fields


class ResolveRequestSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=2000)


class AuthTokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()
    scopes = serializers.ListField(child=serializers.CharField())


class LiveSessionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    session_token = serializers.UUIDField(source="token")
    license_id = serializers.IntegerField()
    license_key = serializers.CharField(source="license.key")
    customer_name = serializers.CharField(source="license.customer.name")
    product = serializers.CharField(source="license.product.name")
    device_id = serializers.IntegerField(source="activation_id")
    machine_name = serializers.CharField(source="activation.machine_name")
    hardware_hash = serializers.CharField(source="activation.hardware_hash")
    version = serializers.CharField()
    started_at = serializers.DateTimeField()
    last_heartbeat = serializers.DateTimeField()
    heartbeat_count = serializers.IntegerField()
    duration_seconds = serializers.IntegerField()


class EndSessionResponseSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    message = serializers.CharField()
    ended = serializers.BooleanField(help_text="False when the session had already ended")
