from django.contrib import admin

from licensing.models import (
    Activation,
    ClientEvent,
    ClientEventRollup,
    ClientEventTotal,
    Customer,
    License,
    LicenseSession,
    Product,
    Release,
)


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "contact_name", "phone", "created_at"]
    search_fields = ["name", "email", "contact_name", "phone"]
    list_filter = ["created_at"]


class ReleaseInline(admin.TabularInline):
    model = Release
    extra = 0
    fields = ["version", "release_date", "is_mandatory", "download_url"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "single_session",
        "heartbeat_interval",
        "session_timeout",
        "current_version",
        "minimum_version",
        "is_active",
    ]
    list_filter = ["single_session", "is_active"]
    search_fields = ["name", "description"]
    inlines = [ReleaseInline]


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    list_display = ["product", "version", "release_date", "is_mandatory"]
    list_filter = ["product", "is_mandatory", "release_date"]
    search_fields = ["version", "release_notes", "product__name"]


class ActivationInline(admin.TabularInline):
    model = Activation
    extra = 0
    fields = ["hardware_hash", "machine_name", "app_version", "activated_at", "is_active"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True


@admin.register(License)
class LicenseAdmin(admin.ModelAdmin):
    list_display = [
        "key",
        "customer",
        "product",
        "type",
        "valid_from",
        "valid_until",
        "max_activations",
        "max_users",
        "is_active",
    ]
    list_filter = ["type", "is_active", "product", "valid_until"]
    search_fields = ["key", "customer__name", "customer__email"]
    list_select_related = ["customer", "product"]
    autocomplete_fields = ["customer"]
    inlines = [ActivationInline]


@admin.register(Activation)
class ActivationAdmin(admin.ModelAdmin):
    list_display = [
        "license",
        "machine_name",
        "hardware_hash",
        "app_version",
        "activated_at",
        "last_heartbeat",
        "is_active",
    ]
    list_filter = ["is_active", "activated_at"]
    search_fields = ["hardware_hash", "machine_name", "license__key"]
    list_select_related = ["license"]
    raw_id_fields = ["license"]


@admin.register(LicenseSession)
class LicenseSessionAdmin(admin.ModelAdmin):
    list_display = [
        "token",
        "license",
        "machine_id",
        "version",
        "started_at",
        "last_heartbeat",
        "ended_at",
        "end_reason",
    ]
    list_filter = ["end_reason", "started_at"]
    search_fields = ["token", "machine_id", "license__key"]
    list_select_related = ["license"]
    raw_id_fields = ["license", "activation"]


@admin.register(ClientEvent)
class ClientEventAdmin(admin.ModelAdmin):
    list_display = ["at", "kind", "result", "license_id", "activation_id"]
    list_filter = ["kind", "result"]
    search_fields = ["license_id", "activation_id"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ClientEventTotal)
class ClientEventTotalAdmin(admin.ModelAdmin):
    list_display = ["kind", "result", "count"]
    list_filter = ["kind"]
    search_fields = ["kind", "result"]


@admin.register(ClientEventRollup)
class ClientEventRollupAdmin(admin.ModelAdmin):
    list_display = ["through_id", "updated_at"]
    search_fields = ["through_id"]
    list_filter = ["updated_at"]


# Staff side (issue 8): resources, resource history, anomalies.
from licensing import admin_staff  # noqa: E402, F401
