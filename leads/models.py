"""The sales CRM: institutions (= leads) with contacts, contact details, versioned notes and an
activity timeline. A won institution can be converted into a licensing customer."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class InstitutionType(models.TextChoices):
    UNIVERSITY = "university", "University"
    COMPANY = "company", "Company"
    GOVERNMENT = "government", "Government"
    OTHER = "other", "Other"


class PipelineStatus(models.TextChoices):
    """The sales pipeline: new → contacted → qualified → proposal → won | lost."""

    NEW = "new", "New"
    CONTACTED = "contacted", "Contacted"
    QUALIFIED = "qualified", "Qualified"
    PROPOSAL = "proposal", "Proposal"
    WON = "won", "Won"
    LOST = "lost", "Lost"


CLOSED_STATUSES = (PipelineStatus.WON, PipelineStatus.LOST)


class Institution(models.Model):
    """A lead: the organisation we sell to. Names are unique per country, case-insensitively."""

    name = models.CharField(max_length=200)
    type = models.CharField(
        max_length=16, choices=InstitutionType.choices, default=InstitutionType.OTHER
    )
    website = models.URLField(max_length=300, blank=True)
    country = models.CharField(
        max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 code, upper case; empty = unknown."
    )
    city = models.CharField(max_length=120, blank=True)
    status = models.CharField(
        max_length=16, choices=PipelineStatus.choices, default=PipelineStatus.NEW, db_index=True
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_institutions",
    )
    source = models.CharField(max_length=120, blank=True, help_text="Where the lead came from.")
    next_follow_up = models.DateField(null=True, blank=True, db_index=True)
    tags = models.CharField(
        max_length=500, blank=True, help_text="Lower-case tags, sorted, comma-separated."
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)
    customer = models.OneToOneField(
        "licensing.Customer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lead_institution",
        help_text="The licensing customer this won lead was converted into.",
    )
    converted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "country"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "country", name="leads_institution_unique_name_per_country"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country})" if self.country else self.name

    @property
    def tag_list(self) -> list[str]:
        return [tag for tag in self.tags.split(",") if tag]


class Contact(models.Model):
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="contacts")
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    position = models.CharField(max_length=150, blank=True)
    is_primary = models.BooleanField(
        default=False, help_text="The contact a conversion to a customer uses."
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                "institution",
                condition=models.Q(is_primary=True),
                name="leads_contact_one_primary_per_institution",
            ),
            models.CheckConstraint(
                condition=~models.Q(first_name="", last_name=""),
                name="leads_contact_has_a_name",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class DetailType(models.TextChoices):
    EMAIL = "email", "E-mail"
    PHONE = "phone", "Phone"
    ADDRESS = "address", "Address"
    OTHER = "other", "Other"


class ContactDetail(models.Model):
    """An e-mail (syntax-checked), a phone number (stored in E.164), an address or anything else."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="details")
    type = models.CharField(max_length=16, choices=DetailType.choices)
    value = models.CharField(max_length=300)
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["contact", "type", "id"]
        constraints = [
            models.UniqueConstraint(
                "contact", "type", "value", name="leads_detail_unique_value_per_contact"
            ),
        ]
        indexes = [models.Index(fields=["type", "value"])]

    def __str__(self) -> str:
        return f"{self.type}: {self.value}"


class NoteQuerySet(models.QuerySet):
    def live(self) -> "NoteQuerySet":
        return self.filter(deleted_at__isnull=True)


class Note(models.Model):
    """A note on an institution or a contact. ``content``/``version`` mirror the newest
    ``NoteVersion``; every earlier version stays, with its author and time. Deleting is soft."""

    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.CASCADE, related_name="notes"
    )
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="notes"
    )
    content = models.TextField()
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.CharField(max_length=150, help_text="Author of version 1.")
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.CharField(max_length=150, help_text="Author of the newest version.")
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.CharField(max_length=150, blank=True)

    objects = NoteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(institution__isnull=False, contact__isnull=True)
                    | models.Q(institution__isnull=True, contact__isnull=False)
                ),
                name="leads_note_on_institution_or_contact",
            ),
        ]

    def __str__(self) -> str:
        return f"Note {self.pk} v{self.version}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class NoteVersion(models.Model):
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    content = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.CharField(max_length=150)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["note", "version"]
        constraints = [
            models.UniqueConstraint("note", "version", name="leads_note_version_unique"),
        ]

    def __str__(self) -> str:
        return f"Note {self.note_id} v{self.version}"


class ActivityType(models.TextChoices):
    CALL = "call", "Call"
    MEETING = "meeting", "Meeting"
    EMAIL = "email", "E-mail"
    NOTE = "note", "Note"
    STATUS_CHANGE = "status_change", "Status change"
    CONVERSION = "conversion", "Conversion"


MANUAL_ACTIVITY_TYPES = (ActivityType.CALL, ActivityType.MEETING, ActivityType.EMAIL)


class Activity(models.Model):
    """Something that happened with a lead; the timeline and "recent activities" count these."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="activities"
    )
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities"
    )
    type = models.CharField(max_length=16, choices=ActivityType.choices)
    summary = models.CharField(max_length=500, blank=True)
    details = models.JSONField(default=dict, blank=True)
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name_plural = "activities"

    def __str__(self) -> str:
        return f"{self.type} {self.occurred_at:%Y-%m-%d}"
