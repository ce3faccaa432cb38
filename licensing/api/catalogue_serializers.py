"""Products and releases (admin REST)."""

from rest_framework import serializers

from licensing import queries
from licensing.models import Product, Release


class ProductSerializer(serializers.ModelSerializer):
    latest_version = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = [
            "id",
            "name",
            "description",
            "single_session",
            "heartbeat_interval",
            "session_timeout",
            "current_version",
            "minimum_version",
            "offline_grace_days",
            "is_active",
            "latest_version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "latest_version", "created_at", "updated_at"]
        # Uniqueness is checked by the service (409 DUPLICATE_PRODUCT).
        extra_kwargs = {"name": {"validators": []}}

    def get_latest_version(self, product: Product) -> str | None:
        return queries.latest_version_string(product)


class ReleaseSerializer(serializers.ModelSerializer):
    is_current = serializers.BooleanField(
        required=False,
        help_text="Make this the product's current version (the one offered as latest).",
    )

    class Meta:
        model = Release
        fields = [
            "id",
            "product",
            "version",
            "release_date",
            "download_url",
            "release_notes",
            "is_mandatory",
            "is_current",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]
        validators = []  # (product, version) uniqueness: the service answers 409

    def to_representation(self, release: Release):
        data = super().to_representation(release)
        data["is_current"] = release.product.current_version == release.version
        return data

    def validate(self, attrs):
        if self.instance is not None and "product" in attrs:
            if attrs["product"] != self.instance.product:
                raise serializers.ValidationError({"product": ["A release cannot change product."]})
            attrs.pop("product")
        return attrs
