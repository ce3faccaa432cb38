"""API paths of the applications read views (included by ``monitoring.api.urls``)."""

from django.urls import path

from monitoring.api import application_views as views

urlpatterns: list = [
    path("api/v1/applications", views.ApplicationListView.as_view(), name="api-applications"),
    path(
        "api/v1/applications/<int:pk>",
        views.ApplicationDetailView.as_view(),
        name="api-application",
    ),
    path(
        "api/v1/applications/<int:pk>/sessions",
        views.ApplicationSessionsView.as_view(),
        name="api-application-sessions",
    ),
    path(
        "api/v1/applications/<int:pk>/usage_history",
        views.ApplicationUsageHistoryView.as_view(),
        name="api-application-usage-history",
    ),
    path(
        "api/v1/applications/<int:pk>/top_users",
        views.ApplicationTopUsersView.as_view(),
        name="api-application-top-users",
    ),
    path(
        "api/v1/applications/<int:pk>/keystone",
        views.ApplicationKeystoneView.as_view(),
        name="api-application-keystone",
    ),
    path(
        "api/v1/features/<int:server_id>/<path:name>/usage_history",
        views.FeatureUsageHistoryView.as_view(),
        name="api-feature-usage-history",
    ),
]
