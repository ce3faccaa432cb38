from django.contrib import admin

from limon_site.webhooks.models import WebhookDelivery, WebhookEndpoint


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "url",
        "is_active",
        "consecutive_failures",
        "last_success_at",
        "disabled_at",
    ]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]
    readonly_fields = ["secret_hint", "consecutive_failures", "disabled_at", "created_by"]

    def has_add_permission(self, request):
        return False  # created through the API so the secret is generated and shown once


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "event",
        "endpoint",
        "status",
        "attempts",
        "response_code",
        "next_attempt_at",
    ]
    list_filter = ["status", "event"]
    search_fields = ["delivery_id", "event", "endpoint__name", "endpoint__url"]
    list_select_related = ["endpoint"]
    raw_id_fields = ["endpoint"]
