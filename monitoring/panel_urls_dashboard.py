"""Panel paths of the dashboard pages (included by ``monitoring.panel_urls``)."""

urlpatterns: list = []
