from django.urls import path

from limon_site.panel import views

app_name = "panel"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("login", views.LoginView.as_view(), name="login"),
    path("logout", views.LogoutView.as_view(), name="logout"),
    path("api-keys", views.api_key_list, name="api-keys"),
    path("api-keys/<int:pk>/revoke", views.api_key_revoke, name="api-key-revoke"),
    path("search", views.search_page, name="search"),
    path("license", views.product_license_page, name="license"),
]
