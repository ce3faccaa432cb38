from django.contrib import admin

from limon_site.models import ApiKey, AuditEvent, ConfigSection, Installation


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "prefix",
        "scope",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    list_filter = ["scope", "revoked_at"]
    search_fields = ["name", "prefix"]
    readonly_fields = ["prefix", "secret_hash", "created_at", "last_used_at", "created_by"]

    def has_add_permission(self, request):
        return False  # keys are created by the panel, the API or create_api_key (shown once)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "target_type", "target_id"]
    list_filter = ["action", "target_type"]
    search_fields = ["actor", "target_id", "request_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ConfigSection)
class ConfigSectionAdmin(admin.ModelAdmin):
    list_display = ["name", "updated_at", "updated_by"]
    search_fields = ["name"]


@admin.register(Installation)
class InstallationAdmin(admin.ModelAdmin):
    list_display = ["installation_id", "installed_at", "license_installed_at"]
    readonly_fields = ["installation_id", "installed_at"]
    search_fields = ["installation_id"]
