"""Response shapes of the public read API (``/api/v1/servers``, ``sites``, ``sessions``,
feature lookups). Display names come from a :class:`~monitoring.queries_inventory.MappingIndex`
passed in the serializer context as ``mappings``, so a page resolves them without a query
per row."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from monitoring.models import InventoryChange, LicenseServer, Session, Site, VendorDaemon
from monitoring.queries import saturation_level
from monitoring.queries_inventory import saturation_percent


class ServerSummarySerializer(serializers.ModelSerializer):
    site_name = serializers.CharField(source="site.name", read_only=True, default=None)
    #: A plain string: the ``up``/``down``/``unknown`` choice set would otherwise collide with
    #: other ``status`` enums of the schema (settings hold the enum overrides).
    status = serializers.CharField(read_only=True, help_text="up, down or unknown")
    features_count = serializers.IntegerField(read_only=True)
    active_sessions = serializers.IntegerField(read_only=True)

    class Meta:
        model = LicenseServer
        fields = ["id", "name", "kind", "address", "site", "site_name", "status", "is_active",
                  "last_polled_at", "last_success_at", "last_poll_duration_ms", "last_error",
                  "features_count", "active_sessions"]  # fmt: skip
        read_only_fields = fields


class ApplicationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class LiveFeatureSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="Feature code as the server prints it")
    display_name = serializers.SerializerMethodField()
    application = serializers.SerializerMethodField()
    vendor = serializers.CharField()
    version = serializers.CharField()
    kind = serializers.CharField()
    issued = serializers.IntegerField(allow_null=True, help_text="Null when uncounted")
    in_use = serializers.IntegerField()
    reserved = serializers.IntegerField()
    queued = serializers.IntegerField()
    saturation = serializers.SerializerMethodField(help_text="In use ÷ issued, in percent")
    saturation_level = serializers.SerializerMethodField(help_text="critical, warn or empty")
    expires_on = serializers.DateField(allow_null=True)

    def get_display_name(self, feature) -> str:
        return self.context["mappings"].display_name(feature.name, feature.server_id)

    @extend_schema_field(ApplicationRefSerializer(allow_null=True))
    def get_application(self, feature) -> dict | None:
        application = self.context["mappings"].application(feature.name, feature.server_id)
        return {"id": application.pk, "name": application.name} if application else None

    def get_saturation(self, feature) -> int | None:
        return saturation_percent(feature.in_use, feature.issued or 0)

    def get_saturation_level(self, feature) -> str:
        return saturation_level(self.get_saturation(feature), self.context.get("threshold"))


class ActiveSessionSerializer(serializers.ModelSerializer):
    feature = serializers.CharField(source="feature.name")
    user = serializers.CharField(source="user.username")

    class Meta:
        model = Session
        fields = ["id", "feature", "feature_id", "user", "host", "display", "licenses",
                  "version", "borrowed", "started_at"]  # fmt: skip
        read_only_fields = fields


class DaemonSerializer(serializers.ModelSerializer):
    #: Plain strings: a second ``up``/``down`` choice set would collide with the server's enum.
    status = serializers.CharField(read_only=True, help_text="up or down")

    class Meta:
        model = VendorDaemon
        fields = ["id", "name", "status", "version", "last_error", "last_seen_at"]
        read_only_fields = fields


class NodeSerializer(serializers.Serializer):
    host = serializers.CharField()
    port = serializers.IntegerField(allow_null=True, required=False)
    up = serializers.BooleanField(required=False)
    master = serializers.BooleanField(required=False)
    version = serializers.CharField(required=False, allow_blank=True)


class ServerDetailSerializer(ServerSummarySerializer):
    nodes = NodeSerializer(many=True, read_only=True)
    features = LiveFeatureSerializer(many=True, source="present_features", read_only=True)
    sessions = ActiveSessionSerializer(many=True, source="active_session_list", read_only=True)
    daemons = DaemonSerializer(many=True, read_only=True)

    class Meta(ServerSummarySerializer.Meta):
        fields = [*ServerSummarySerializer.Meta.fields, "timezone", "description",
                  "decommissioned_at", "nodes", "daemons", "features", "sessions"]  # fmt: skip
        read_only_fields = fields


class InventoryChangeReadSerializer(serializers.ModelSerializer):
    class Meta:
        model = InventoryChange
        fields = ["id", "feature", "feature_name", "vendor", "change_type", "old_value",
                  "new_value", "changed_at", "note"]  # fmt: skip
        read_only_fields = fields


class SiteMetricsSerializer(serializers.ModelSerializer):
    servers_total = serializers.IntegerField(read_only=True, help_text="In service")
    servers_up = serializers.IntegerField(read_only=True)
    active_sessions = serializers.IntegerField(read_only=True)
    seats_in_use = serializers.IntegerField(read_only=True)
    seats_issued = serializers.IntegerField(read_only=True)
    saturation = serializers.SerializerMethodField(
        help_text="Seats in use ÷ issued over counted features, in percent"
    )

    class Meta:
        model = Site
        fields = ["id", "name", "code", "location", "timezone", "servers_total", "servers_up",
                  "active_sessions", "seats_in_use", "seats_issued", "saturation"]  # fmt: skip
        read_only_fields = fields

    def get_saturation(self, site) -> int | None:
        return saturation_percent(site.seats_in_use, site.seats_issued)


class SiteApplicationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    vendor = serializers.CharField()
    category = serializers.CharField()
    is_critical = serializers.BooleanField()
    deployments_at_site = serializers.IntegerField()
    seats_at_site = serializers.IntegerField(help_text="Seats owned on the site's servers")


class SiteDetailSerializer(SiteMetricsSerializer):
    description = serializers.CharField(read_only=True)
    servers = ServerSummarySerializer(many=True, source="server_list", read_only=True)
    applications = SiteApplicationSerializer(many=True, read_only=True)

    class Meta(SiteMetricsSerializer.Meta):
        fields = [*SiteMetricsSerializer.Meta.fields, "description", "servers", "applications"]
        read_only_fields = fields


class SessionReadSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="active or archived")
    server = serializers.CharField(source="server.name")
    feature = serializers.CharField(source="feature.name")
    user = serializers.CharField(source="user.username")

    class Meta:
        model = Session
        fields = ["id", "status", "server_id", "server", "feature_id", "feature", "user", "host",
                  "display", "licenses", "version", "borrowed", "started_at", "ended_at",
                  "source", "closed_by_restart"]  # fmt: skip
        read_only_fields = fields


class FeatureLookupSerializer(serializers.Serializer):
    code = serializers.CharField()
    display_name = serializers.CharField(help_text="The code itself when no mapping applies")
    mapped = serializers.BooleanField(help_text="Whether a feature mapping applies")
    application = ApplicationRefSerializer(allow_null=True)


class FeatureLookupQuerySerializer(serializers.Serializer):
    code = serializers.CharField(max_length=200)
    server_id = serializers.IntegerField(required=False, min_value=1)
