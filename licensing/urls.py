"""Licensing URLs: the seed paths of the license server plus the catalogue REST."""

from django.urls import include, path

from licensing import views as panel
from licensing.api.views import catalogue, client, sessions, versions

app_name = "licensing"

urlpatterns = [
    # Client endpoints (client or admin key), signed.
    path("api/license/activate", client.ActivateView.as_view(), name="activate"),
    path("api/license/verify", client.VerifyView.as_view(), name="verify"),
    path("api/license/deactivate", client.DeactivateView.as_view(), name="deactivate"),
    path("api/license/info/<str:license_key>", client.InfoView.as_view(), name="info"),
    path("api/license/public-key", client.PublicKeyView.as_view(), name="public-key"),
    path(
        "api/license/<str:license_key>/license-file",
        client.LicenseFileView.as_view(),
        name="license-file",
    ),
    path("api/license/session/start", sessions.SessionStartView.as_view(), name="session-start"),
    path(
        "api/license/session/heartbeat", sessions.HeartbeatView.as_view(), name="session-heartbeat"
    ),
    path("api/license/session/end", sessions.SessionEndView.as_view(), name="session-end"),
    path("api/version/check", versions.VersionCheckView.as_view(), name="version-check"),
    path("api/version/latest", versions.LatestVersionView.as_view(), name="version-latest"),
    # Compatibility aliases for the seed's client examples (hardware_id).
    path("api/v1/activate", client.LegacyActivateView.as_view(), name="v1-activate"),
    path("api/v1/validate", client.LegacyValidateView.as_view(), name="v1-validate"),
    # Catalogue (admin).
    path("api/licensing/products", catalogue.ProductListView.as_view(), name="products-api"),
    path(
        "api/licensing/products/<int:pk>", catalogue.ProductDetailView.as_view(), name="product-api"
    ),
    path("api/licensing/releases", catalogue.ReleaseListView.as_view(), name="releases-api"),
    path(
        "api/licensing/releases/<int:pk>", catalogue.ReleaseDetailView.as_view(), name="release-api"
    ),
    # Panel.
    path("licensing/products", panel.products_page, name="products"),
    # Staff side (issue 8): staff API and panel pages.
    path("", include("licensing.api.staff.urls")),
    path("", include("licensing.panel.urls")),
]
