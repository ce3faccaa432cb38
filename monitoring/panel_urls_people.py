"""Panel paths of the people pages (included by ``monitoring.panel_urls``)."""

urlpatterns: list = []
