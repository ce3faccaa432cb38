"""API paths of the people read views (included by ``monitoring.api.urls``)."""

urlpatterns: list = []
