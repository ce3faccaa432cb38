from django.contrib import admin

from leads.models import Activity, Contact, ContactDetail, Institution, Note, NoteVersion


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["first_name", "last_name", "position", "is_primary"]


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "country", "city", "status", "owner", "next_follow_up"]
    list_filter = ["type", "status", "country", "owner"]
    search_fields = ["name", "city", "tags", "source"]
    date_hierarchy = "created_at"
    inlines = [ContactInline]


class DetailInline(admin.TabularInline):
    model = ContactDetail
    extra = 0


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "position", "institution", "is_primary"]
    list_filter = ["is_primary", "institution__type"]
    search_fields = ["first_name", "last_name", "position", "institution__name"]
    list_select_related = ["institution"]
    inlines = [DetailInline]


@admin.register(ContactDetail)
class ContactDetailAdmin(admin.ModelAdmin):
    list_display = ["contact", "type", "value", "label"]
    list_filter = ["type"]
    search_fields = ["value", "label", "contact__last_name"]
    list_select_related = ["contact"]


class NoteVersionInline(admin.TabularInline):
    model = NoteVersion
    extra = 0
    readonly_fields = ["version", "content", "created_at", "created_by", "author"]
    can_delete = False


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ["id", "institution", "contact", "version", "created_by", "updated_at"]
    list_filter = ["deleted_at"]
    search_fields = ["content", "created_by"]
    readonly_fields = ["version", "created_at", "created_by", "updated_at", "updated_by"]
    inlines = [NoteVersionInline]


@admin.register(NoteVersion)
class NoteVersionAdmin(admin.ModelAdmin):
    list_display = ["note", "version", "created_by", "created_at"]
    search_fields = ["content", "created_by"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "type", "institution", "contact", "summary", "created_by"]
    list_filter = ["type"]
    search_fields = ["summary", "institution__name", "created_by"]
    list_select_related = ["institution", "contact"]
    date_hierarchy = "occurred_at"
