"""A URLconf with test-only views: one that fails (500 envelope), one behind a license gate."""

from django.urls import include, path
from rest_framework.response import Response
from rest_framework.views import APIView

from limon_site.api.permissions import ScopePermission, requires_license_feature


class CrashView(APIView):
    api_scope = "public"

    def get(self, request):
        raise RuntimeError("secret internal detail")


def plain_crash(request):
    raise RuntimeError("secret internal detail")


urlpatterns = [
    path("api/crash", CrashView.as_view()),
    path("api/plain-crash", plain_crash),
    path("", include("limon_site.urls")),
]


class GatedView(APIView):
    """Stands for any endpoint behind a LiMon product-license feature."""

    api_scope = "admin"
    permission_classes = [ScopePermission, requires_license_feature("intelligence")]

    def get(self, request):
        return Response({"ok": True})


urlpatterns.insert(0, path("api/gated", GatedView.as_view()))
