"""Monitoring API paths (admin CRUD, configuration sections). Included by ``monitoring.urls``."""

from django.urls import path

from monitoring.api import admin_views as admin
from monitoring.api import config_views as cfg
from monitoring.api import events as log_events
from monitoring.api import log_import, urls_applications, urls_dashboard, urls_people
from monitoring.api import read_views as read

urlpatterns = [
    path("api/admin/stats", admin.StatsView.as_view(), name="admin-stats"),
    path("api/admin/sites", admin.SiteListView.as_view(), name="admin-sites"),
    path("api/admin/sites/<int:pk>", admin.SiteDetailView.as_view(), name="admin-site"),
    path("api/admin/servers", admin.ServerListView.as_view(), name="admin-servers"),
    path("api/admin/servers/import", admin.ServerImportView.as_view(), name="admin-servers-import"),
    path("api/admin/servers/<int:pk>", admin.ServerDetailView.as_view(), name="admin-server"),
    path(
        "api/admin/servers/<int:pk>/decommission",
        admin.ServerDecommissionView.as_view(),
        name="admin-server-decommission",
    ),
    path(
        "api/admin/servers/<int:pk>/poll", admin.ServerPollView.as_view(), name="admin-server-poll"
    ),
    path(
        "api/admin/servers/<int:pk>/reactivate",
        admin.ServerReactivateView.as_view(),
        name="admin-server-reactivate",
    ),
    path("api/admin/applications", admin.ApplicationListView.as_view(), name="admin-applications"),
    path(
        "api/admin/applications/<int:pk>",
        admin.ApplicationDetailView.as_view(),
        name="admin-application",
    ),
    path("api/admin/deployments", admin.DeploymentListView.as_view(), name="admin-deployments"),
    path(
        "api/admin/deployments/<int:pk>",
        admin.DeploymentDetailView.as_view(),
        name="admin-deployment",
    ),
    path(
        "api/admin/feature-mappings",
        admin.FeatureMappingListView.as_view(),
        name="admin-feature-mappings",
    ),
    path(
        "api/admin/feature-mappings/<int:pk>",
        admin.FeatureMappingDetailView.as_view(),
        name="admin-feature-mapping",
    ),
    path(
        "api/admin/license-history",
        admin.LicenseHistoryListView.as_view(),
        name="admin-license-history",
    ),
    path(
        "api/admin/license-history/<int:pk>",
        admin.LicenseHistoryDetailView.as_view(),
        name="admin-license-change",
    ),
    path("api/v1/config/monitoring", cfg.MonitoringConfigView.as_view(), name="config-monitoring"),
    path("api/v1/config/tools", cfg.ToolsConfigView.as_view(), name="config-tools"),
    path(
        "api/v1/config/tools/validate",
        cfg.ToolsValidateView.as_view(),
        name="config-tools-validate",
    ),
    path(
        "api/v1/config/feature-ignore",
        cfg.FeatureIgnoreConfigView.as_view(),
        name="config-feature-ignore",
    ),
    path("api/v1/config/log-import", cfg.LogImportConfigView.as_view(), name="config-log-import"),
    path("api/v1/config/analytics", cfg.AnalyticsConfigView.as_view(), name="config-analytics"),
    path(
        "api/v1/log-import/start",
        log_import.LogImportStartView.as_view(),
        name="log-import-start",
    ),
    path(
        "api/v1/log-import/status/<int:pk>",
        log_import.LogImportStatusView.as_view(),
        name="log-import-status",
    ),
    path(
        "api/v1/log-import/history",
        log_import.LogImportHistoryView.as_view(),
        name="log-import-history",
    ),
    path("api/v1/events", log_events.EventListView.as_view(), name="events"),
    path("api/v1/denials", log_events.DenialReportView.as_view(), name="denials"),
    path("api/v1/servers", read.ServerListView.as_view(), name="api-servers"),
    path("api/v1/servers/<int:pk>", read.ServerDetailView.as_view(), name="api-server"),
    path(
        "api/v1/servers/<int:pk>/history",
        read.ServerHistoryView.as_view(),
        name="api-server-history",
    ),
    path("api/v1/sites", read.SiteListView.as_view(), name="api-sites"),
    path("api/v1/sites/<int:pk>", read.SiteDetailView.as_view(), name="api-site"),
    path("api/v1/sessions", read.SessionListView.as_view(), name="api-sessions"),
    path("api/v1/features/lookup", read.FeatureLookupView.as_view(), name="feature-lookup"),
    path(
        "api/v1/lookups/features",
        read.FeatureLookupListView.as_view(),
        name="lookups-features",
    ),
    *urls_applications.urlpatterns,
    *urls_people.urlpatterns,
    *urls_dashboard.urlpatterns,
]
