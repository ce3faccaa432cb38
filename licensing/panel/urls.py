"""Panel paths of the staff side, under /licensing/ (names in the ``licensing`` namespace)."""

from django.urls import path

from licensing.panel import catalogue, customers, licenses, monitoring, resources

urlpatterns = [
    path("licensing/", monitoring.monitor, name="monitor"),
    path("licensing/customers", customers.customer_list, name="customers"),
    path("licensing/customers/new", customers.customer_new, name="customer-new"),
    path("licensing/customers/<int:pk>", customers.customer_detail, name="customer"),
    path("licensing/customers/<int:pk>/edit", customers.customer_edit, name="customer-edit"),
    path("licensing/customers/<int:pk>/delete", customers.customer_delete, name="customer-delete"),
    path("licensing/licenses", licenses.license_list, name="licenses"),
    path("licensing/licenses/bulk", licenses.license_bulk, name="licenses-bulk"),
    path("licensing/licenses/new", licenses.license_new, name="license-new"),
    path("licensing/licenses/<int:pk>", licenses.license_detail, name="license"),
    path("licensing/licenses/<int:pk>/edit", licenses.license_edit, name="license-edit"),
    path("licensing/licenses/<int:pk>/toggle", licenses.license_toggle, name="license-toggle"),
    path("licensing/licenses/<int:pk>/delete", licenses.license_delete, name="license-delete"),
    path(
        "licensing/licenses/<int:pk>/devices/register",
        licenses.device_register,
        name="device-register",
    ),
    path(
        "licensing/licenses/<int:pk>/devices/<int:device_id>/deactivate",
        licenses.device_deactivate,
        name="device-deactivate",
    ),
    path(
        "licensing/licenses/<int:pk>/resources",
        licenses.license_resources,
        name="license-resources",
    ),
    path("licensing/resources", resources.resource_pools, name="resources"),
    path("licensing/resources/action", resources.resource_action, name="resource-action"),
    path("licensing/resources/add", resources.resource_add, name="resource-add"),
    path("licensing/resources/import", resources.resource_import_page, name="resource-import"),
    path("licensing/sessions", monitoring.session_list, name="sessions"),
    path("licensing/sessions/<int:pk>/end", monitoring.session_end, name="session-end"),
    path("licensing/anomalies", monitoring.anomaly_list, name="anomalies"),
    path("licensing/anomalies/scan", monitoring.anomaly_scan, name="anomaly-scan"),
    path(
        "licensing/anomalies/<int:pk>/resolve", monitoring.anomaly_resolve, name="anomaly-resolve"
    ),
    path("licensing/products/new", catalogue.product_new, name="product-new"),
    path("licensing/products/<int:pk>/edit", catalogue.product_edit, name="product-edit"),
    path("licensing/products/<int:pk>/releases/new", catalogue.release_new, name="release-new"),
    path("licensing/releases/<int:pk>/edit", catalogue.release_edit, name="release-edit"),
]
