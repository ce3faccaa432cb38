"""Shapes of ``/api/v1/applications*`` and ``/api/v1/features/{server_id}/{name}/usage_history``
(figures computed in :mod:`monitoring.queries_applications`)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from monitoring.api.read_serializers import SessionReadSerializer
from monitoring.models import Application, Deployment, Feature
from monitoring.queries_applications import TOP_BY
from monitoring.queries_history import INTERVALS, MAX_RANGE_DAYS

DEFAULT_DAYS = 30


class KeystoneRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    server_id = serializers.IntegerField()
    server = serializers.CharField(source="server.name")


class ApplicationSummarySerializer(serializers.ModelSerializer):
    keystone_feature = KeystoneRefSerializer(read_only=True, allow_null=True)
    deployments_count = serializers.IntegerField(read_only=True)
    seats_owned = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Sum of the deployments' seats"
    )
    in_use_now = serializers.IntegerField(
        read_only=True, help_text="Seats of the keystone features in use at the latest poll"
    )
    issued_now = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Seats of the keystone features issued"
    )
    active_users_now = serializers.IntegerField(
        read_only=True, help_text="Distinct users of active keystone sessions"
    )

    class Meta:
        model = Application
        fields = ["id", "name", "vendor", "category", "is_critical", "cost_per_seat", "currency",
                  "keystone_feature", "deployments_count", "seats_owned", "in_use_now",
                  "issued_now", "active_users_now"]  # fmt: skip
        read_only_fields = fields


class MetricsSerializer(serializers.Serializer):
    window_days = serializers.IntegerField(help_text="recommendation_days of the analytics config")
    seats_owned = serializers.IntegerField(allow_null=True)
    in_use_now = serializers.IntegerField()
    issued_now = serializers.IntegerField(allow_null=True)
    active_users_now = serializers.IntegerField()
    peak = serializers.IntegerField(help_text="Peak keystone concurrency over the window")
    p95 = serializers.IntegerField(help_text="P95 keystone concurrency over the window")
    average = serializers.FloatField(help_text="Time-weighted average concurrency")
    peak_floor = serializers.IntegerField(
        allow_null=True, help_text="Peak of the last N business days (null: no floor set)"
    )
    recommended_seats = serializers.IntegerField()
    surplus_seats = serializers.IntegerField(allow_null=True)
    cost_per_seat = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    cost_source = serializers.CharField(help_text="deployments, application or empty")
    currency = serializers.CharField()
    unused_cost = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        allow_null=True,
        help_text="Surplus seats times cost per seat",
    )
    distinct_users = serializers.IntegerField()
    license_hours = serializers.FloatField()
    time_at_capacity_hours = serializers.FloatField(allow_null=True)


class DeploymentReadSerializer(serializers.ModelSerializer):
    server = serializers.CharField(source="server.name")
    site_id = serializers.IntegerField(source="server.site_id", allow_null=True)
    site = serializers.CharField(source="server.site.name", default=None, allow_null=True)

    class Meta:
        model = Deployment
        fields = ["id", "server_id", "server", "site_id", "site", "seats", "annual_cost",
                  "contract_start", "contract_end", "scope", "environment"]  # fmt: skip
        read_only_fields = fields


class ApplicationFeatureSerializer(serializers.ModelSerializer):
    server = serializers.CharField(source="server.name")
    is_keystone = serializers.SerializerMethodField(
        help_text="Counts as the application in use (named like the keystone)"
    )

    class Meta:
        model = Feature
        fields = ["id", "name", "vendor", "server_id", "server", "issued", "in_use", "queued",
                  "is_present", "expires_on", "is_keystone"]  # fmt: skip
        read_only_fields = fields

    def get_is_keystone(self, feature) -> bool:
        return feature.pk in self.context.get("keystone_ids", ())


class ApplicationDetailSerializer(ApplicationSummarySerializer):
    description = serializers.CharField(read_only=True)
    deployments = DeploymentReadSerializer(many=True, source="deployment_list", read_only=True)
    features = ApplicationFeatureSerializer(many=True, source="feature_list", read_only=True)
    metrics = MetricsSerializer(read_only=True)

    class Meta(ApplicationSummarySerializer.Meta):
        fields = [*ApplicationSummarySerializer.Meta.fields, "description", "deployments",
                  "features", "metrics"]  # fmt: skip
        read_only_fields = fields


class ApplicationSessionSerializer(SessionReadSerializer):
    site = serializers.CharField(source="server.site.name", default=None, allow_null=True)

    class Meta(SessionReadSerializer.Meta):
        fields = [*SessionReadSerializer.Meta.fields, "site"]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.DATETIME)
class MomentField(serializers.Field):
    """A date (local midnight; as ``to``, the end of that day) or an ISO 8601 date-time."""

    def __init__(self, *, end_of_day: bool = False, **kwargs):
        self.end_of_day = end_of_day
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> datetime:
        text = str(data).strip()
        moment = parse_datetime(text) if "T" in text or " " in text else None
        if moment is None:
            day = _date(text)
            if day is None:
                raise serializers.ValidationError("Expected a date (YYYY-MM-DD) or ISO date-time.")
            if self.end_of_day:
                day += timedelta(days=1)
            moment = datetime.combine(day, time.min)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment

    def to_representation(self, value):
        return value.isoformat()


def _date(text: str) -> date | None:
    try:
        return parse_date(text)
    except ValueError:
        return None


class UsageHistoryQuerySerializer(serializers.Serializer):
    interval = serializers.ChoiceField(choices=INTERVALS, default="day")
    to = MomentField(required=False, end_of_day=True, help_text="Default: now")

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = MomentField(required=False, help_text=f"Default: {DEFAULT_DAYS} days ago")
        return fields

    def validate(self, attrs):
        now = timezone.now()
        end = min(attrs.get("to") or now, now)
        start = attrs.get("from") or end - timedelta(days=DEFAULT_DAYS)
        if start >= end:
            raise serializers.ValidationError({"from": ["Must be before 'to' (and before now)."]})
        limit = MAX_RANGE_DAYS[attrs["interval"]]
        if end - start > timedelta(days=limit):
            raise serializers.ValidationError(
                {"from": [f"At most {limit} days with interval={attrs['interval']}."]}
            )
        return {"interval": attrs["interval"], "start": start, "end": end}


class BucketSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    peak = serializers.IntegerField(help_text="Highest per-hour sum of keystone hourly peaks")
    average = serializers.FloatField(help_text="License-seconds ÷ bucket seconds")
    license_hours = serializers.FloatField()


class SiteBucketSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    peak = serializers.IntegerField()
    average = serializers.FloatField()


class SiteSeriesSerializer(serializers.Serializer):
    site_id = serializers.IntegerField(allow_null=True)
    site = serializers.CharField()
    series = SiteBucketSerializer(many=True)


class UsageHistorySerializer(serializers.Serializer):
    interval = serializers.CharField()
    to = serializers.DateTimeField()
    series = BucketSerializer(many=True)
    by_site = SiteSeriesSerializer(many=True)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateTimeField()
        return fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        return {key: data[key] for key in ("interval", "from", "to", "series", "by_site")}


class TopUsersQuerySerializer(serializers.Serializer):
    by = serializers.ChoiceField(choices=TOP_BY, default="hours")
    days = serializers.IntegerField(default=30, min_value=1, max_value=3660)
    limit = serializers.IntegerField(default=10, min_value=1, max_value=100)


class TopUserSerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField()
    department = serializers.CharField(allow_null=True)
    sessions = serializers.IntegerField()
    license_hours = serializers.FloatField()
    days_active = serializers.IntegerField()


class TopUsersSerializer(serializers.Serializer):
    by = serializers.CharField()
    days = serializers.IntegerField()
    results = TopUserSerializer(many=True)


class KeystoneSerializer(serializers.Serializer):
    feature_id = serializers.IntegerField(
        allow_null=True,
        help_text="A feature of a server the application is deployed on; null clears",
    )
