"""Shapes of the leads API (seed 003, "Lead Management API"). Read serializers render models;
write serializers only type-check input — normalising and rules live in ``leads.services``."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from leads.models import (
    Activity,
    ActivityType,
    Contact,
    ContactDetail,
    DetailType,
    Institution,
    InstitutionType,
    Note,
    NoteVersion,
    PipelineStatus,
)


class OwnerField(serializers.SlugRelatedField):
    """A staff member, by username."""

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "username")
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("required", False)
        super().__init__(queryset=get_user_model().objects.filter(is_staff=True), **kwargs)


class TagsField(serializers.ListField):
    """A list of tags; a comma-separated string is accepted too."""

    child = serializers.CharField(max_length=50)

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = [item for item in data.split(",") if item.strip()]
        return super().to_internal_value(data)


class InstitutionSerializer(serializers.ModelSerializer):
    contact_count = serializers.IntegerField(read_only=True, default=0)
    owner = serializers.CharField(source="owner.username", default=None, read_only=True)
    tags = serializers.ListField(source="tag_list", child=serializers.CharField(), read_only=True)

    class Meta:
        model = Institution
        fields = [
            "id",
            "name",
            "type",
            "status",
            "website",
            "country",
            "city",
            "owner",
            "owner_id",
            "source",
            "next_follow_up",
            "tags",
            "contact_count",
            "customer_id",
            "converted_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class InstitutionWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    type = serializers.ChoiceField(choices=InstitutionType.choices, required=False)
    status = serializers.ChoiceField(choices=PipelineStatus.choices, required=False)
    website = serializers.CharField(max_length=300, required=False, allow_blank=True)
    country = serializers.CharField(max_length=2, required=False, allow_blank=True)
    city = serializers.CharField(max_length=120, required=False, allow_blank=True)
    owner = OwnerField()
    source = serializers.CharField(max_length=120, required=False, allow_blank=True)
    next_follow_up = serializers.DateField(required=False, allow_null=True)
    tags = TagsField(required=False)


class ContactSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "first_name", "last_name", "position", "is_primary"]
        read_only_fields = fields


class InstitutionDetailSerializer(InstitutionSerializer):
    contacts = ContactSummarySerializer(many=True, read_only=True)

    class Meta(InstitutionSerializer.Meta):
        fields = [*InstitutionSerializer.Meta.fields, "contacts"]
        read_only_fields = fields


class StatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=PipelineStatus.choices)
    summary = serializers.CharField(max_length=500, required=False, allow_blank=True)


class DetailSerializer(serializers.ModelSerializer):
    """The seed's detail shape: ``{id, type, value, label}``."""

    class Meta:
        model = ContactDetail
        fields = ["id", "type", "value", "label"]
        read_only_fields = fields


class DetailFullSerializer(DetailSerializer):
    class Meta(DetailSerializer.Meta):
        fields = [*DetailSerializer.Meta.fields, "contact_id", "created_at"]
        read_only_fields = fields


class DetailWriteSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=DetailType.choices)
    value = serializers.CharField(max_length=300)
    label = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class DetailUpdateSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=DetailType.choices, required=False)
    value = serializers.CharField(max_length=300, required=False)
    label = serializers.CharField(max_length=100, required=False, allow_blank=True)


class NoteSummarySerializer(serializers.ModelSerializer):
    """The seed's note shape (``content``, ``version``, ``created_at``, ``created_by``) plus who
    wrote the newest version and when."""

    class Meta:
        model = Note
        fields = [
            "id",
            "content",
            "version",
            "created_at",
            "created_by",
            "updated_at",
            "updated_by",
        ]
        read_only_fields = fields


class NoteSerializer(NoteSummarySerializer):
    class Meta(NoteSummarySerializer.Meta):
        fields = [
            *NoteSummarySerializer.Meta.fields,
            "institution_id",
            "contact_id",
            "deleted_at",
            "deleted_by",
        ]
        read_only_fields = fields


class NoteCreateSerializer(serializers.Serializer):
    content = serializers.CharField()
    institution_id = serializers.IntegerField(required=False, allow_null=True)
    contact_id = serializers.IntegerField(required=False, allow_null=True)


class NoteEditSerializer(serializers.Serializer):
    content = serializers.CharField()
    expected_version = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="The version you edited; a different current version answers 409.",
    )


class NoteVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = NoteVersion
        fields = ["version", "content", "created_at", "created_by"]
        read_only_fields = fields


class NoteVersionsSerializer(serializers.Serializer):
    note_id = serializers.IntegerField()
    current_version = serializers.IntegerField()
    deleted_at = serializers.DateTimeField(allow_null=True)
    versions = NoteVersionSerializer(many=True)


class ContactSerializer(serializers.ModelSerializer):
    """The seed's contact shape: with ``details[]`` and ``notes[]``."""

    details = DetailSerializer(many=True, read_only=True)
    notes = serializers.SerializerMethodField()

    class Meta:
        model = Contact
        fields = [
            "id",
            "first_name",
            "last_name",
            "position",
            "institution_id",
            "is_primary",
            "details",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_notes(self, contact) -> list[dict]:
        notes = [note for note in contact.notes.all() if note.deleted_at is None]
        return NoteSummarySerializer(notes, many=True).data


class ContactListSerializer(serializers.ModelSerializer):
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    details = DetailSerializer(many=True, read_only=True)

    class Meta:
        model = Contact
        fields = [
            "id",
            "first_name",
            "last_name",
            "position",
            "institution_id",
            "institution_name",
            "is_primary",
            "details",
            "created_at",
        ]
        read_only_fields = fields


class ContactCreateSerializer(serializers.Serializer):
    institution_id = serializers.IntegerField()
    first_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    position = serializers.CharField(max_length=150, required=False, allow_blank=True)
    is_primary = serializers.BooleanField(required=False)
    details = DetailWriteSerializer(many=True, required=False)


class ContactUpdateSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    position = serializers.CharField(max_length=150, required=False, allow_blank=True)
    is_primary = serializers.BooleanField(required=False)


class ActivitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Activity
        fields = [
            "id",
            "institution_id",
            "contact_id",
            "type",
            "summary",
            "details",
            "occurred_at",
            "created_at",
            "created_by",
        ]
        read_only_fields = fields


class ActivityCreateSerializer(serializers.Serializer):
    institution_id = serializers.IntegerField()
    contact_id = serializers.IntegerField(required=False, allow_null=True)
    type = serializers.ChoiceField(
        choices=[ActivityType.CALL, ActivityType.MEETING, ActivityType.EMAIL]
    )
    summary = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    occurred_at = serializers.DateTimeField(required=False, allow_null=True)


class CountsByTypeSerializer(serializers.Serializer):
    university = serializers.IntegerField()
    company = serializers.IntegerField()
    government = serializers.IntegerField()
    other = serializers.IntegerField()


class CountsByStatusSerializer(serializers.Serializer):
    new = serializers.IntegerField()
    contacted = serializers.IntegerField()
    qualified = serializers.IntegerField()
    proposal = serializers.IntegerField()
    won = serializers.IntegerField()
    lost = serializers.IntegerField()


class StatsSerializer(serializers.Serializer):
    total_institutions = serializers.IntegerField()
    total_contacts = serializers.IntegerField()
    recent_activities = serializers.IntegerField(
        help_text="Activities in the last `recent_activity_days` days."
    )
    recent_activity_days = serializers.IntegerField()
    conversion_rate = serializers.FloatField(help_text="won ÷ (won + lost), percent, one decimal")
    by_type = CountsByTypeSerializer()
    by_status = CountsByStatusSerializer()


class ConversionSerializer(serializers.Serializer):
    institution_id = serializers.IntegerField()
    customer_id = serializers.IntegerField()
    customer_name = serializers.CharField()
    email = serializers.CharField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True)
    contact_name = serializers.CharField(allow_blank=True)
    converted_at = serializers.DateTimeField()
