from rest_framework import serializers

from limon_site.models import ApiKey, ApiKeyScope


class ErrorSerializer(serializers.Serializer):
    """The error envelope of every API error response."""

    error = serializers.CharField()
    code = serializers.CharField()
    status = serializers.IntegerField()
    details = serializers.DictField()
    request_id = serializers.CharField()


class ApiKeySerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", default=None, read_only=True)
    state = serializers.CharField(read_only=True)

    class Meta:
        model = ApiKey
        fields = [
            "id",
            "name",
            "scope",
            "prefix",
            "state",
            "created_at",
            "created_by",
            "last_used_at",
            "expires_at",
            "revoked_at",
        ]
        read_only_fields = fields


class ApiKeyCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    scope = serializers.ChoiceField(choices=ApiKeyScope.choices)
    expires_days = serializers.IntegerField(min_value=1, required=False, allow_null=True)


class ApiKeyCreatedSerializer(ApiKeySerializer):
    key = serializers.CharField(help_text="The clear key. Shown once, never again.")

    class Meta(ApiKeySerializer.Meta):
        fields = [*ApiKeySerializer.Meta.fields, "key"]
        read_only_fields = fields


class ProductLicenseSerializer(serializers.Serializer):
    installation_id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=["evaluation", "licensed", "expired"])
    tier = serializers.CharField(allow_null=True)
    features = serializers.ListField(child=serializers.CharField())
    expires_at = serializers.DateTimeField(allow_null=True)
    days_left = serializers.IntegerField()


class InstallLicenseSerializer(serializers.Serializer):
    license_key = serializers.CharField()


class RootSerializer(serializers.Serializer):
    status = serializers.CharField()
    service = serializers.CharField()
    version = serializers.CharField()
    timestamp = serializers.DateTimeField()


class HealthSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["healthy", "unhealthy"])
    timestamp = serializers.DateTimeField()


class ApiHealthSerializer(HealthSerializer):
    version = serializers.CharField()
    checks = serializers.DictField()


class CommandSerializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField()
    parameters = serializers.DictField(child=serializers.CharField())


class CommandResultSerializer(serializers.Serializer):
    command = serializers.CharField()
    status = serializers.CharField()
    result = serializers.DictField()
