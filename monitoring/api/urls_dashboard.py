"""API paths of the dashboard read views (included by ``monitoring.api.urls``)."""

from django.urls import path

from monitoring.api.dashboard_views import DashboardMetricsView

urlpatterns: list = [
    path("api/v1/dashboard/metrics", DashboardMetricsView.as_view(), name="api-dashboard-metrics"),
]
