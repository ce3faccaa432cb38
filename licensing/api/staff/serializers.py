"""Request and response shapes of the staff API (the "Admin Panel API" of seeds 001 and 003).
Response field names are the seeds'; extra fields only add to them."""

from rest_framework import serializers

from licensing import keys
from licensing.models import Customer, License, LicenseType, Product, ResourceType

# --- shared ---------------------------------------------------------------------------------


class SuccessSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    message = serializers.CharField()


class LicenseIdsSerializer(serializers.Serializer):
    license_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, max_length=1000
    )


# --- customers ------------------------------------------------------------------------------


class CustomerOptionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()


class PaginationMoreSerializer(serializers.Serializer):
    more = serializers.BooleanField()


class CustomerOptionsSerializer(serializers.Serializer):
    results = CustomerOptionSerializer(many=True)
    pagination = PaginationMoreSerializer()


class CustomerLicenseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    license_key = serializers.CharField(source="key")
    type = serializers.CharField()
    status = serializers.CharField()
    valid_until = serializers.DateField(allow_null=True)
    max_activations = serializers.IntegerField()
    current_activations = serializers.IntegerField()
    product = serializers.CharField(source="product.name")


class CustomerLicensesSerializer(serializers.Serializer):
    licenses = CustomerLicenseSerializer(many=True)


class QuickStatsSerializer(serializers.Serializer):
    total_licenses = serializers.IntegerField()
    active_licenses = serializers.IntegerField()
    total_activations = serializers.IntegerField()
    total_users = serializers.IntegerField()


class CustomerSerializer(serializers.ModelSerializer):
    license_count = serializers.IntegerField(read_only=True)
    text = serializers.CharField(read_only=True)

    class Meta:
        model = Customer
        fields = [
            "id",
            "name",
            "email",
            "contact_name",
            "phone",
            "notes",
            "text",
            "license_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]


# --- licenses -------------------------------------------------------------------------------


class ToggleResponseSerializer(SuccessSerializer):
    is_active = serializers.BooleanField()


class BulkCountResponseSerializer(SuccessSerializer):
    count = serializers.IntegerField()
    changed = serializers.IntegerField(help_text="How many were not already in that state")


class BulkDeleteResponseSerializer(SuccessSerializer):
    deleted = serializers.IntegerField()


class QuickEditRequestSerializer(serializers.Serializer):
    valid_until = serializers.DateField(required=False, allow_null=True)
    max_activations = serializers.IntegerField(required=False, min_value=0)
    max_users = serializers.IntegerField(required=False, min_value=1)
    force = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Deactivate the oldest devices when max_activations drops below the active count",
    )


class DeactivatedDeviceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    hardware_hash = serializers.CharField()
    machine_name = serializers.CharField()
    activated_at = serializers.DateTimeField()


class QuickEditResponseSerializer(SuccessSerializer):
    deactivated_devices = DeactivatedDeviceSerializer(many=True)


class LicenseKeySerializer(serializers.Serializer):
    license_key = serializers.CharField()


class LicenseSerializer(serializers.ModelSerializer):
    """Full REST shape. ``key`` may be left out on create: a unique key is generated."""

    key = serializers.CharField(required=False, allow_blank=True, max_length=19)
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.all())
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)
    status = serializers.CharField(read_only=True)
    current_activations = serializers.IntegerField(read_only=True, default=None)
    type = serializers.ChoiceField(choices=LicenseType.choices, default=LicenseType.PERPETUAL)
    force = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="On update: deactivate the oldest devices when max_activations drops below "
        "the active count (409 otherwise)",
    )

    class Meta:
        model = License
        fields = [
            "id",
            "key",
            "customer",
            "customer_name",
            "product",
            "product_name",
            "type",
            "status",
            "valid_from",
            "valid_until",
            "max_activations",
            "max_users",
            "current_activations",
            "is_active",
            "notes",
            "force",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    def validate_key(self, value: str) -> str:
        value = keys.normalize(value)
        if value and not keys.is_well_formed(value):
            raise serializers.ValidationError("Format XXXX-XXXX-XXXX-XXXX.")
        if self.instance is not None and value and value != self.instance.key:
            raise serializers.ValidationError("A license key cannot be changed.")
        return value


# --- devices --------------------------------------------------------------------------------


class DeviceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    hardware_hash = serializers.CharField()
    machine_name = serializers.CharField()
    activated_at = serializers.DateTimeField()
    last_heartbeat = serializers.DateTimeField()
    is_active = serializers.BooleanField()
    app_version = serializers.CharField()
    deactivated_at = serializers.DateTimeField(allow_null=True)


class DevicesSerializer(serializers.Serializer):
    devices = DeviceSerializer(many=True)


class RegisterDeviceRequestSerializer(serializers.Serializer):
    hardware_hash = serializers.CharField(max_length=255)
    machine_name = serializers.CharField(
        max_length=255, required=False, default="", allow_blank=True
    )
    app_version = serializers.CharField(max_length=64, required=False, default="", allow_blank=True)


class RegisterDeviceResponseSerializer(SuccessSerializer):
    device_id = serializers.IntegerField()


# --- resources ------------------------------------------------------------------------------


class LicenseResourceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    type = serializers.CharField()
    identifier = serializers.CharField()
    status = serializers.CharField()
    allocated_at = serializers.DateTimeField(allow_null=True)


class LicenseResourcesSerializer(serializers.Serializer):
    resources = LicenseResourceSerializer(many=True)


class ResourceIdsSerializer(serializers.Serializer):
    resource_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, max_length=1000
    )


class AllocateRequestSerializer(ResourceIdsSerializer):
    license_id = serializers.IntegerField(min_value=1)
    resource_type = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="domain, ipv4, phone_number …"
    )


class AllocateResponseSerializer(SuccessSerializer):
    allocated = serializers.IntegerField()


class ReleaseRequestSerializer(ResourceIdsSerializer):
    license_id = serializers.IntegerField(
        min_value=1, required=False, help_text="When given, every resource must belong to it"
    )


class ReleaseResponseSerializer(SuccessSerializer):
    released = serializers.IntegerField()


class QuarantineRequestSerializer(ResourceIdsSerializer):
    days = serializers.IntegerField(
        min_value=1, max_value=3650, required=False, help_text="Back in the pool afterwards"
    )
    note = serializers.CharField(max_length=255, required=False, default="", allow_blank=True)


class QuarantineResponseSerializer(SuccessSerializer):
    quarantined = serializers.IntegerField()


class RestoreResponseSerializer(SuccessSerializer):
    restored = serializers.IntegerField()


class AvailabilityQuerySerializer(serializers.Serializer):
    type = serializers.CharField()
    count = serializers.IntegerField(min_value=1, max_value=1000, default=1)


class OfferedResourceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    type = serializers.CharField()
    identifier = serializers.CharField()


class CheckAvailabilityResponseSerializer(serializers.Serializer):
    available = serializers.BooleanField(help_text="At least `count` resources are free")
    count = serializers.IntegerField(help_text="How many resources are offered below")
    requested = serializers.IntegerField()
    total_available = serializers.IntegerField()
    resources = OfferedResourceSerializer(many=True)


class PoolAvailabilitySerializer(serializers.Serializer):
    type = serializers.CharField()
    available = serializers.IntegerField()
    total = serializers.IntegerField()
    allocated = serializers.IntegerField()
    quarantined = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["ok", "low", "critical"])


class PoolAvailabilityMapSerializer(serializers.Serializer):
    domains = PoolAvailabilitySerializer()
    ipv4 = PoolAvailabilitySerializer()
    phone_numbers = PoolAvailabilitySerializer()
    servers = PoolAvailabilitySerializer(required=False)
    workstations = PoolAvailabilitySerializer(required=False)


class PoolCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    allocated = serializers.IntegerField()
    available = serializers.IntegerField()
    quarantined = serializers.IntegerField()


class ResourceStatsSerializer(PoolCountsSerializer):
    by_type = serializers.DictField(child=PoolCountsSerializer())


class ResourceEventSerializer(serializers.Serializer):
    action = serializers.CharField()
    license_id = serializers.IntegerField(allow_null=True)
    license_key = serializers.CharField()
    actor = serializers.CharField()
    note = serializers.CharField()
    at = serializers.DateTimeField()


class ResourceSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    type = serializers.ChoiceField(choices=ResourceType.choices)
    identifier = serializers.CharField(max_length=255)
    notes = serializers.CharField(max_length=255, required=False, default="", allow_blank=True)
    status = serializers.CharField(read_only=True)
    license_id = serializers.IntegerField(read_only=True, allow_null=True)
    license_key = serializers.CharField(source="license.key", read_only=True, default=None)
    allocated_at = serializers.DateTimeField(read_only=True, allow_null=True)
    quarantined_until = serializers.DateTimeField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)


class ResourceDetailSerializer(ResourceSerializer):
    history = ResourceEventSerializer(many=True, read_only=True)


class ResourceImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(required=False, help_text="CSV file (multipart upload)")
    csv = serializers.CharField(required=False, help_text="CSV text (JSON body)")
    type = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Type of every row"
    )
    dry_run = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs):
        if not attrs.get("file") and not attrs.get("csv"):
            raise serializers.ValidationError({"file": ["Upload a CSV file or send `csv` text."]})
        return attrs


class RowErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    identifier = serializers.CharField()
    message = serializers.CharField()


class ResourceImportReportSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    skipped = serializers.IntegerField(help_text="Already in the pool")
    by_type = serializers.DictField(child=serializers.IntegerField())
    dry_run = serializers.BooleanField()
    errors = RowErrorSerializer(many=True)
