from rest_framework import serializers

from limon_site.webhooks.models import WebhookDelivery, WebhookEndpoint


class WebhookEndpointSerializer(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.CharField(max_length=64), allow_empty=False)

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "name",
            "url",
            "events",
            "is_active",
            "secret_hint",
            "consecutive_failures",
            "disabled_at",
            "disabled_reason",
            "last_success_at",
            "last_failure_at",
            "created_at",
            "created_by",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "secret_hint",
            "consecutive_failures",
            "disabled_at",
            "disabled_reason",
            "last_success_at",
            "last_failure_at",
            "created_at",
            "created_by",
            "updated_at",
        ]

    def validate_url(self, value: str) -> str:
        if not value.lower().startswith(("http://", "https://")):
            raise serializers.ValidationError(
                "Only http:// and https:// URLs can receive webhooks."
            )
        return value


class WebhookEndpointCreateSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(
        min_length=16,
        max_length=200,
        required=False,
        write_only=True,
        help_text="Leave empty to have a strong secret generated.",
    )

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]


class WebhookEndpointWithSecretSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(help_text="Shown only in this response; store it now.")

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "delivery_id",
            "endpoint",
            "event",
            "status",
            "attempts",
            "next_attempt_at",
            "last_attempt_at",
            "response_code",
            "response_body",
            "error",
            "duration_ms",
            "delivered_at",
            "created_at",
            "payload",
        ]
        read_only_fields = fields


class WebhookEventSerializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField()
    example = serializers.DictField()
