from django.urls import include, path

app_name = "monitoring"

urlpatterns: list = [
    path("", include("monitoring.api.urls")),
    path("panel/monitoring/", include("monitoring.panel_urls")),
]
