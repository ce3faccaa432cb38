"""URL root. The only module that names every app (apps import the platform, never the reverse).

API paths are declared without a trailing slash; ApiTrailingSlashMiddleware serves the slashed
form too."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from limon_site import views
from limon_site.api import config_views as cfg
from limon_site.api import keys, search
from limon_site.api import views as api

platform_api = [
    path("", api.RootView.as_view(), name="root"),
    path("health", api.HealthView.as_view(), name="health"),
    path("metrics", views.metrics_view, name="metrics"),
    path("api/health", api.ApiHealthView.as_view(), name="api-health"),
    path("api/v1/system/capabilities", api.CapabilitiesView.as_view(), name="capabilities"),
    path("api/v1/system/schema-version", api.SchemaVersionView.as_view(), name="schema-version"),
    path("api/admin/license", api.ProductLicenseView.as_view(), name="admin-license"),
    path("api/admin/commands", api.AdminCommandListView.as_view(), name="admin-commands"),
    path("api/admin/command/<str:name>", api.AdminCommandRunView.as_view(), name="admin-command"),
    path("api/admin/api-keys", keys.ApiKeyListView.as_view(), name="api-keys"),
    path("api/admin/api-keys/<int:pk>", keys.ApiKeyDetailView.as_view(), name="api-key"),
    path(
        "api/admin/api-keys/<int:pk>/revoke", keys.ApiKeyRevokeView.as_view(), name="api-key-revoke"
    ),
    path("api/v1/config/smtp", cfg.SmtpConfigView.as_view(), name="config-smtp"),
    path("api/v1/config/smtp/test", cfg.SmtpTestView.as_view(), name="config-smtp-test"),
    path("api/v1/config/system", cfg.SystemConfigView.as_view(), name="config-system"),
    path("api/v1/config/about", cfg.AboutView.as_view(), name="config-about"),
    path("api/v1/config/export", cfg.ConfigExportView.as_view(), name="config-export"),
    path("api/v1/config/import", cfg.ConfigImportView.as_view(), name="config-import"),
    path("api/global-search", search.GlobalSearchView.as_view(), name="global-search"),
    path("api/schema", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
]

urlpatterns = [
    *platform_api,
    path("", include("limon_site.webhooks.api.urls")),
    path("panel/", include("limon_site.panel.urls")),
    path("django-admin/", admin.site.urls),
    path("", include("monitoring.urls")),
    path("", include("licensing.urls")),
    path("", include("leads.urls")),
    path("", include("reports.urls")),
]

handler400 = "limon_site.views.bad_request"
handler403 = "limon_site.views.permission_denied"
handler404 = "limon_site.views.not_found"
handler500 = "limon_site.views.server_error"
