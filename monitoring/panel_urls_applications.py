"""Panel paths of the applications pages (included by ``monitoring.panel_urls``)."""

urlpatterns: list = []
