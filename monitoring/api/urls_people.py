"""API paths of the people read views (included by ``monitoring.api.urls``)."""

from django.urls import path

from monitoring.api import people_views as views

urlpatterns: list = [
    path("api/v1/users", views.UserListView.as_view(), name="api-users"),
    path("api/v1/users/<str:username>", views.UserDetailView.as_view(), name="api-user"),
    path(
        "api/v1/users/<str:username>/activity",
        views.UserActivityView.as_view(),
        name="api-user-activity",
    ),
    path("api/v1/departments", views.DepartmentListView.as_view(), name="api-departments"),
    path(
        "api/v1/departments/<str:name>/users",
        views.DepartmentUsersView.as_view(),
        name="api-department-users",
    ),
    path(
        "api/v1/departments/<str:name>/activity",
        views.DepartmentActivityView.as_view(),
        name="api-department-activity",
    ),
    path("api/v1/usage", views.UsageView.as_view(), name="api-usage"),
    path("api/v1/chargeback", views.ChargebackView.as_view(), name="api-chargeback"),
]
