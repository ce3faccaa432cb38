"""API paths of the applications read views (included by ``monitoring.api.urls``)."""

urlpatterns: list = []
