"""Serializers of the monitoring admin API. Uniqueness and cross-row rules (address format,
keystone, duplicates) are checked by ``monitoring.services.catalog``, so the 400 and 409
answers are the same for the API and the panel."""

from rest_framework import serializers

from monitoring.models import (
    Application,
    Deployment,
    FeatureMapping,
    InventoryChange,
    LicenseServer,
    PollRun,
    Site,
)


class SiteSerializer(serializers.ModelSerializer):
    server_count = serializers.SerializerMethodField()

    class Meta:
        model = Site
        fields = [
            "id",
            "name",
            "code",
            "location",
            "timezone",
            "description",
            "server_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "server_count", "created_at", "updated_at"]
        extra_kwargs = {"name": {"validators": []}}

    def get_server_count(self, site: Site) -> int:
        annotated = getattr(site, "server_count", None)
        return annotated if annotated is not None else site.servers.count()


class ServerSerializer(serializers.ModelSerializer):
    site_name = serializers.CharField(source="site.name", read_only=True, default=None)
    feature_include = serializers.ListField(child=serializers.CharField(), required=False)
    feature_exclude = serializers.ListField(child=serializers.CharField(), required=False)

    class Meta:
        model = LicenseServer
        fields = [
            "id",
            "name",
            "kind",
            "address",
            "site",
            "site_name",
            "timezone",
            "description",
            "feature_include",
            "feature_exclude",
            "is_active",
            "decommissioned_at",
            "status",
            "nodes",
            "last_polled_at",
            "last_success_at",
            "last_poll_duration_ms",
            "last_error",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "site_name",
            "is_active",
            "decommissioned_at",
            "status",
            "nodes",
            "last_polled_at",
            "last_success_at",
            "last_poll_duration_ms",
            "last_error",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {
            "name": {"validators": []},
            "address": {
                "validators": [],
                "help_text": "port@host, or a redundant triad port@h1,port@h2,port@h3",
            },
        }


class ServerImportSerializer(serializers.Serializer):
    """Either an uploaded ``file`` or the CSV text in ``csv``."""

    file = serializers.FileField(required=False)
    csv = serializers.CharField(required=False, trim_whitespace=False)
    site = serializers.PrimaryKeyRelatedField(
        queryset=Site.objects.all(),
        required=False,
        allow_null=True,
        help_text="Site of the rows that name none",
    )


class ImportRowSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    name = serializers.CharField()
    address = serializers.CharField()
    status = serializers.ChoiceField(choices=["created", "error"])
    id = serializers.IntegerField(required=False)
    errors = serializers.DictField(required=False)


class ServerImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    rows = ImportRowSerializer(many=True)


class ApplicationSerializer(serializers.ModelSerializer):
    keystone_feature_name = serializers.CharField(
        source="keystone_feature.name", read_only=True, default=None
    )
    deployment_count = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "name",
            "vendor",
            "category",
            "description",
            "is_critical",
            "cost_per_seat",
            "currency",
            "keystone_feature",
            "keystone_feature_name",
            "template",
            "deployment_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "keystone_feature_name",
            "deployment_count",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {
            "name": {"validators": []},
            "keystone_feature": {
                "help_text": "A feature on a server the application is deployed on; null clears"
            },
        }

    def get_deployment_count(self, app: Application) -> int:
        annotated = getattr(app, "deployment_count", None)
        return annotated if annotated is not None else app.deployments.count()


class DeploymentSerializer(serializers.ModelSerializer):
    application_name = serializers.CharField(source="application.name", read_only=True)
    server_name = serializers.CharField(source="server.name", read_only=True)
    site = serializers.IntegerField(source="server.site_id", read_only=True, allow_null=True)

    class Meta:
        model = Deployment
        fields = [
            "id",
            "application",
            "application_name",
            "server",
            "server_name",
            "site",
            "seats",
            "annual_cost",
            "contract_start",
            "contract_end",
            "scope",
            "environment",
            "notes",
            "created_at",
        ]
        read_only_fields = ["id", "application_name", "server_name", "site", "created_at"]
        validators = []  # one deployment per application and server: the service answers 409


class FeatureMappingSerializer(serializers.ModelSerializer):
    class Meta:
        model = FeatureMapping
        fields = [
            "id",
            "pattern",
            "match_type",
            "display_name",
            "application",
            "server",
            "cost_per_seat",
            "priority",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]
        validators = []  # pattern uniqueness per server: the service answers 409
        extra_kwargs = {
            "pattern": {"help_text": "Feature name, or a regular expression matching all of it"},
            "server": {"help_text": "Limit the mapping to one server; null: every server"},
        }


class InventoryChangeSerializer(serializers.ModelSerializer):
    server_name = serializers.CharField(source="server.name", read_only=True)

    class Meta:
        model = InventoryChange
        fields = [
            "id",
            "server",
            "server_name",
            "feature",
            "feature_name",
            "vendor",
            "change_type",
            "old_value",
            "new_value",
            "changed_at",
            "note",
        ]
        read_only_fields = fields


class PollRunSerializer(serializers.ModelSerializer):
    """One poll of a server: what "poll now" found."""

    server_name = serializers.CharField(source="server.name", read_only=True)
    server_status = serializers.CharField(source="server.status", read_only=True)

    class Meta:
        model = PollRun
        fields = [
            "id",
            "server",
            "server_name",
            "server_status",
            "polled_at",
            "ok",
            "error",
            "duration_ms",
            "features",
            "sessions_opened",
            "sessions_closed",
            "unparsed_count",
            "unparsed_examples",
        ]
        read_only_fields = fields


class AdminStatsSerializer(serializers.Serializer):
    sites = serializers.IntegerField()
    servers = serializers.IntegerField()
    servers_active = serializers.IntegerField()
    servers_decommissioned = serializers.IntegerField()
    applications = serializers.IntegerField()
    deployments = serializers.IntegerField()
    feature_mappings = serializers.IntegerField()
    features = serializers.IntegerField()
    users = serializers.IntegerField()
    departments = serializers.IntegerField()
