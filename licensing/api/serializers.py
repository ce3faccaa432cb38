"""Request and response shapes of the client endpoints (seeds 001/003/004)."""

from rest_framework import serializers

from licensing import keys, versions


class LicenseKeyField(serializers.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("help_text", "XXXX-XXXX-XXXX-XXXX")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        return keys.normalize(super().to_internal_value(data))


class VersionField(serializers.CharField):
    """A client-sent version: ``1.2.3``, also ``v1.2`` (400 when it is not a version)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 64)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data).strip()
        if value:
            try:
                versions.parse_lenient(value)
            except versions.InvalidVersion as exc:
                raise serializers.ValidationError(str(exc)) from exc
        return value


# --- activation ---------------------------------------------------------------------------


class ActivateRequestSerializer(serializers.Serializer):
    license_key = LicenseKeyField()
    hardware_hash = serializers.CharField(max_length=255)
    machine_name = serializers.CharField(
        max_length=255, required=False, default="", allow_blank=True
    )
    app_version = VersionField(required=False, default="", allow_blank=True)


class LegacyActivateRequestSerializer(ActivateRequestSerializer):
    """``/api/v1/activate``: the seed's client examples send ``hardware_id``."""

    hardware_hash = serializers.CharField(max_length=255, required=False)
    hardware_id = serializers.CharField(max_length=255, required=False)

    def validate(self, attrs):
        attrs["hardware_hash"] = attrs.pop("hardware_id", None) or attrs.get("hardware_hash")
        if not attrs["hardware_hash"]:
            raise serializers.ValidationError({"hardware_id": ["This field is required."]})
        return attrs


class ActivationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    license_key = serializers.CharField(source="license.key")
    hardware_hash = serializers.CharField()
    machine_name = serializers.CharField()
    app_version = serializers.CharField()
    activated_at = serializers.DateTimeField()
    last_heartbeat = serializers.DateTimeField()
    is_active = serializers.BooleanField()


class ActivateResponseSerializer(serializers.Serializer):
    message = serializers.CharField()
    activation = ActivationSerializer()


class DeactivateRequestSerializer(serializers.Serializer):
    license_key = LicenseKeyField()
    hardware_hash = serializers.CharField(max_length=255)


class DeactivatedActivationSerializer(ActivationSerializer):
    deactivated_at = serializers.DateTimeField()


class DeactivateResponseSerializer(serializers.Serializer):
    message = serializers.CharField()
    activation = DeactivatedActivationSerializer()


# --- verification -------------------------------------------------------------------------


class VerifyRequestSerializer(serializers.Serializer):
    license_key = LicenseKeyField()
    hardware_hash = serializers.CharField(max_length=255)
    app_version = VersionField(required=False, default="", allow_blank=True)


class LegacyValidateRequestSerializer(VerifyRequestSerializer):
    """``/api/v1/validate``: ``hardware_id`` (and an informational ``activation_id``)."""

    hardware_hash = serializers.CharField(max_length=255, required=False)
    hardware_id = serializers.CharField(max_length=255, required=False)
    activation_id = serializers.CharField(max_length=64, required=False)

    def validate(self, attrs):
        attrs.pop("activation_id", None)
        attrs["hardware_hash"] = attrs.pop("hardware_id", None) or attrs.get("hardware_hash")
        if not attrs["hardware_hash"]:
            raise serializers.ValidationError({"hardware_id": ["This field is required."]})
        return attrs


class VerifiedLicenseSerializer(serializers.Serializer):
    key = serializers.CharField()
    valid_until = serializers.DateField(allow_null=True)
    max_users = serializers.IntegerField()
    valid_from = serializers.DateField()
    type = serializers.CharField()
    product = serializers.CharField(source="product.name")
    max_activations = serializers.IntegerField()


class VerifyResponseSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    message = serializers.CharField()
    reason = serializers.ChoiceField(
        allow_null=True,
        choices=[
            "not_found",
            "inactive",
            "expired",
            "not_activated_on_this_device",
            "version_unsupported",
        ],
        help_text="Why the license is not valid (null when it is).",
    )
    license = VerifiedLicenseSerializer(allow_null=True)
    activation_id = serializers.IntegerField(allow_null=True, source="activation.pk")
    update_available = serializers.BooleanField()
    latest_version = serializers.CharField(allow_null=True)
    is_mandatory = serializers.BooleanField()
    minimum_version = serializers.CharField(allow_blank=True)


# --- info, license file, public key -------------------------------------------------------


class InfoLicenseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    customer_name = serializers.CharField(source="customer.name")
    product = serializers.CharField(source="product.name")
    type = serializers.CharField()
    status = serializers.CharField()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    max_activations = serializers.IntegerField()
    max_users = serializers.IntegerField()
    is_active = serializers.BooleanField()


class InfoActivationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    hardware_hash = serializers.CharField()
    machine_name = serializers.CharField()
    app_version = serializers.CharField()
    activated_at = serializers.DateTimeField()
    last_heartbeat = serializers.DateTimeField()
    is_active = serializers.BooleanField()
    deactivated_at = serializers.DateTimeField(allow_null=True)


class InfoResponseSerializer(serializers.Serializer):
    license = InfoLicenseSerializer()
    activations = InfoActivationSerializer(many=True)


class LicenseFileResponseSerializer(serializers.Serializer):
    license_file = serializers.CharField(
        help_text="base64url(payload JSON) '.' base64url(Ed25519 signature); store it as is."
    )
    payload = serializers.DictField(help_text="The signed payload, decoded for convenience.")
    key_id = serializers.CharField()


class PublicKeyResponseSerializer(serializers.Serializer):
    algorithm = serializers.CharField()
    key_id = serializers.CharField()
    public_key_pem = serializers.CharField()
    public_key_base64 = serializers.CharField()
    signature_header = serializers.CharField()
    timestamp_header = serializers.CharField()
    nonce_header = serializers.CharField()
    message_format = serializers.CharField()


# --- sessions (seed 004) ------------------------------------------------------------------


class SessionStartRequestSerializer(serializers.Serializer):
    license_key = LicenseKeyField()
    hardware_hash = serializers.CharField(max_length=255)
    machine_id = serializers.CharField(max_length=255, required=False, default="", allow_blank=True)
    version = VersionField(required=False, default="", allow_blank=True)


class SessionStartResponseSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    message = serializers.CharField()
    session_token = serializers.UUIDField()
    started_at = serializers.DateTimeField()
    heartbeat_interval = serializers.IntegerField(help_text="Seconds between heartbeats.")
    heartbeat_window = serializers.IntegerField(
        help_text="At most one heartbeat per this many seconds (429 otherwise)."
    )
    session_timeout = serializers.IntegerField(help_text="Seconds without heartbeat → dead.")
    expires_at = serializers.DateTimeField(help_text="Deadline for the next heartbeat.")
    replaced_sessions = serializers.IntegerField()
    update_available = serializers.BooleanField()
    latest_version = serializers.CharField(allow_null=True)
    download_url = serializers.CharField(allow_blank=True)
    release_notes = serializers.CharField(allow_blank=True)
    is_mandatory = serializers.BooleanField()


class HeartbeatRequestSerializer(serializers.Serializer):
    session_token = serializers.CharField(max_length=64)
    license_key = LicenseKeyField(required=False)


class HeartbeatResponseSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    session_token = serializers.UUIDField()
    last_heartbeat = serializers.DateTimeField()
    next_heartbeat_due = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    heartbeat_interval = serializers.IntegerField()


class SessionEndRequestSerializer(serializers.Serializer):
    session_token = serializers.CharField(max_length=64)
    license_key = LicenseKeyField(required=False)


class SessionEndResponseSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    message = serializers.CharField()
    session_token = serializers.UUIDField()
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField()
    duration_seconds = serializers.IntegerField()
    end_reason = serializers.ChoiceField(choices=["client", "timeout", "replaced", "admin"])
    already_ended = serializers.BooleanField()


# --- versions -----------------------------------------------------------------------------


class VersionCheckRequestSerializer(serializers.Serializer):
    current_version = VersionField()
    license_key = LicenseKeyField(required=False)
    product = serializers.CharField(
        max_length=100, required=False, help_text="Product id or name (when no license_key)."
    )


class VersionCheckResponseSerializer(serializers.Serializer):
    update_available = serializers.BooleanField()
    latest_version = serializers.CharField(allow_null=True)
    download_url = serializers.CharField(allow_blank=True)
    release_notes = serializers.CharField(allow_blank=True)
    is_mandatory = serializers.BooleanField()
    current_version = serializers.CharField()
    minimum_version = serializers.CharField(allow_blank=True)
    release_date = serializers.DateField(allow_null=True)


class LatestVersionResponseSerializer(serializers.Serializer):
    version = serializers.CharField()
    release_date = serializers.DateField()
    download_url = serializers.CharField(allow_blank=True)
    release_notes = serializers.CharField(allow_blank=True)
    is_mandatory = serializers.BooleanField()
    product = serializers.CharField()
    minimum_version = serializers.CharField(allow_blank=True)
