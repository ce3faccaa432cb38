"""API paths of the dashboard read views (included by ``monitoring.api.urls``)."""

urlpatterns: list = []
