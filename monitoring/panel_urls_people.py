"""Panel paths of the people pages (included by ``monitoring.panel_urls``)."""

from django.urls import path

from monitoring.views import people

urlpatterns: list = [
    path("users", people.user_list, name="users"),
    path("users/<str:username>", people.user_detail, name="user"),
    path("departments", people.department_list, name="departments"),
    path("departments/<str:name>", people.department_detail, name="department"),
    path("usage", people.usage_summary, name="usage"),
]
