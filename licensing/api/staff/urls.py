"""Staff API paths, exactly as the seeds name them (no trailing slash), plus the REST lists."""

from django.urls import path

from licensing.api.staff.views import customers, devices, licenses, monitoring, resources

urlpatterns = [
    # Customers (seed 001/003).
    path("api/customers", customers.CustomerOptionsView.as_view(), name="customer-options"),
    path(
        "api/customer/<int:customer_id>/licenses",
        customers.CustomerLicensesView.as_view(),
        name="customer-licenses-api",
    ),
    path(
        "api/customer/<int:customer_id>/quick-stats",
        customers.CustomerQuickStatsView.as_view(),
        name="customer-quick-stats",
    ),
    path("api/licensing/customers", customers.CustomerListView.as_view(), name="customers-api"),
    path(
        "api/licensing/customers/<int:pk>",
        customers.CustomerDetailView.as_view(),
        name="customer-api",
    ),
    # Licenses.
    path("api/license/<int:license_id>/toggle", licenses.ToggleView.as_view(), name="toggle"),
    path("api/licenses/bulk-activate", licenses.BulkActivateView.as_view(), name="bulk-activate"),
    path(
        "api/licenses/bulk-deactivate",
        licenses.BulkDeactivateView.as_view(),
        name="bulk-deactivate",
    ),
    path("api/licenses/bulk-delete", licenses.BulkDeleteView.as_view(), name="bulk-delete"),
    path(
        "api/license/<int:license_id>/quick-edit",
        licenses.QuickEditView.as_view(),
        name="quick-edit",
    ),
    path("api/generate-license-key", licenses.GenerateKeyView.as_view(), name="generate-key"),
    path("api/licensing/licenses", licenses.LicenseListView.as_view(), name="licenses-api"),
    path(
        "api/licensing/licenses/<int:pk>", licenses.LicenseDetailView.as_view(), name="license-api"
    ),
    # Devices.
    path("api/license/<int:license_id>/devices", devices.DeviceListView.as_view(), name="devices"),
    path(
        "api/license/<int:license_id>/register-device",
        devices.RegisterDeviceView.as_view(),
        name="register-device",
    ),
    path(
        "api/license/<int:license_id>/deactivate-device/<int:device_id>",
        devices.DeactivateDeviceView.as_view(),
        name="deactivate-device",
    ),
    # Resources.
    path(
        "api/license/<int:license_id>/resources",
        resources.LicenseResourcesView.as_view(),
        name="license-resources-api",
    ),
    path("api/resources/allocate", resources.AllocateView.as_view(), name="resources-allocate"),
    path("api/resources/release", resources.ReleaseView.as_view(), name="resources-release"),
    path(
        "api/resources/quarantine", resources.QuarantineView.as_view(), name="resources-quarantine"
    ),
    path("api/resources/restore", resources.RestoreView.as_view(), name="resources-restore"),
    path(
        "api/resources/check-availability",
        resources.CheckAvailabilityView.as_view(),
        name="resources-check-availability",
    ),
    path(
        "api/resources/availability",
        resources.AvailabilityView.as_view(),
        name="resources-availability",
    ),
    path("api/resources/stats", resources.StatsView.as_view(), name="resources-stats"),
    path("api/licensing/resources", resources.ResourceListView.as_view(), name="resources-api"),
    path(
        "api/licensing/resources/import",
        resources.ResourceImportView.as_view(),
        name="resources-import-api",
    ),
    path(
        "api/licensing/resources/<int:pk>",
        resources.ResourceDetailView.as_view(),
        name="resource-api",
    ),
    # Sessions and monitoring.
    path(
        "api/sessions/active-count",
        monitoring.ActiveSessionCountView.as_view(),
        name="sessions-active-count",
    ),
    path("api/licensing/sessions", monitoring.LiveSessionListView.as_view(), name="sessions-api"),
    path(
        "api/licensing/sessions/<int:pk>/end",
        monitoring.EndSessionView.as_view(),
        name="session-end-api",
    ),
    path(
        "api/monitoring/dashboard", monitoring.DashboardView.as_view(), name="monitoring-dashboard"
    ),
    path("api/monitoring/live-stats", monitoring.LiveStatsView.as_view(), name="monitoring-live"),
    path(
        "api/monitoring/anomaly-stats",
        monitoring.AnomalyStatsView.as_view(),
        name="monitoring-anomaly-stats",
    ),
    path("api/licensing/anomalies", monitoring.AnomalyListView.as_view(), name="anomalies-api"),
    path(
        "api/licensing/anomalies/<int:pk>",
        monitoring.AnomalyDetailView.as_view(),
        name="anomaly-api",
    ),
    path(
        "api/licensing/anomalies/<int:pk>/resolve",
        monitoring.AnomalyResolveView.as_view(),
        name="anomaly-resolve-api",
    ),
    path(
        "api/admin/license/auth-token",
        monitoring.AnalyticsTokenView.as_view(),
        name="analytics-token",
    ),
]
