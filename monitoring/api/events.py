"""``/api/v1/events`` (license events from imported logs) and ``/api/v1/denials`` (the denial
report over the pre-computed summary). Public-read like the rest of ``/api/v1``."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers

from limon_site.api.schema import errors
from monitoring.models import Event, EventType
from monitoring.queries_logs import GROUPS, denial_report, true_denial_rate

TAGS = ["Events and denials"]


class EventFilter(django_filters.FilterSet):
    """``denial=true`` keeps true denials, ``denial=false`` false ones (retried and obtained)."""

    type = django_filters.ChoiceFilter(choices=EventType.choices)
    server_id = django_filters.NumberFilter(field_name="server_id")
    feature = django_filters.CharFilter(field_name="feature_name", lookup_expr="iexact")
    user = django_filters.CharFilter(field_name="username", lookup_expr="iexact")
    denial = django_filters.ChoiceFilter(
        choices=[("true", "True denials"), ("false", "False denials")], method="_denial"
    )

    class Meta:
        model = Event
        fields = ["type", "server_id", "feature", "user", "denial"]

    def _denial(self, queryset, name, value):
        return queryset.filter(type=EventType.DENIED, is_false_denial=value == "false")


# ``from`` is a Python keyword, so these two are added by name rather than declared.
EventFilter.base_filters["from"] = django_filters.IsoDateTimeFilter(
    field_name="occurred_at", lookup_expr="gte", label="At or after (ISO 8601)"
)
EventFilter.base_filters["to"] = django_filters.IsoDateTimeFilter(
    field_name="occurred_at", lookup_expr="lt", label="Before (ISO 8601)"
)


class EventSerializer(serializers.ModelSerializer):
    server_id = serializers.IntegerField(read_only=True)
    feature = serializers.CharField(source="feature_name", read_only=True)
    user = serializers.CharField(source="username", read_only=True)

    class Meta:
        model = Event
        fields = ["id", "server_id", "feature", "user", "host", "type", "reason",
                  "occurred_at", "is_false_denial", "log_import"]  # fmt: skip
        read_only_fields = fields


class EventListView(generics.ListAPIView):
    """DENIED / QUEUED / TIMEOUT / UNSUPPORTED lines of imported logs, newest first."""

    api_scope = "monitoring_read"
    serializer_class = EventSerializer
    filterset_class = EventFilter
    queryset = Event.objects.order_by("-occurred_at", "-id")

    @extend_schema(tags=TAGS, responses={200: EventSerializer(many=True), **errors(400, 401)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class DenialQuerySerializer(serializers.Serializer):
    group_by = serializers.ChoiceField(choices=list(GROUPS), default="feature")
    server_id = serializers.IntegerField(required=False, min_value=1)
    to = serializers.DateField(required=False)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField(required=False)
        return fields

    def validate(self, attrs):
        if attrs.get("from") and attrs.get("to") and attrs["from"] > attrs["to"]:
            raise serializers.ValidationError({"to": ["Must not be before 'from'."]})
        return attrs


class DenialRowSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True, help_text="Feature, user, day or department")
    true_denials = serializers.IntegerField()
    false_denials = serializers.IntegerField()
    queued = serializers.IntegerField()
    timeouts = serializers.IntegerField()
    checkouts = serializers.IntegerField()
    true_denial_rate_per_100_checkouts = serializers.SerializerMethodField()

    def get_true_denial_rate_per_100_checkouts(self, row: dict) -> float | None:
        return true_denial_rate(row)


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        parameters=[
            OpenApiParameter("group_by", str, enum=list(GROUPS)),
            OpenApiParameter("server_id", int),
            OpenApiParameter("from", str, description="First server-local day (YYYY-MM-DD)"),
            OpenApiParameter("to", str, description="Last server-local day (YYYY-MM-DD)"),
        ],
        responses={200: DenialRowSerializer(many=True), **errors(400, 401)},
    )
)
class DenialReportView(generics.ListAPIView):
    """True and false denials, queued requests, timeouts and checkouts per group."""

    api_scope = "monitoring_read"
    serializer_class = DenialRowSerializer
    filter_backends: list = []

    def get_queryset(self):
        query = DenialQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        return denial_report(
            group_by=values["group_by"],
            server_id=values.get("server_id"),
            date_from=values.get("from"),
            date_to=values.get("to"),
        )
