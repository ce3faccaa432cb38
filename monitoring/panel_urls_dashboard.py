"""Panel paths of the dashboard pages (included by ``monitoring.panel_urls``)."""

from django.urls import path

from monitoring.views import dashboard, sessions

urlpatterns: list = [
    path("dashboard", dashboard.dashboard, name="dashboard"),
    path("sessions", sessions.session_list, name="sessions"),
]
