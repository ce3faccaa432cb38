"""A URLconf with a view that fails, for the 500-envelope tests."""

from django.urls import include, path
from rest_framework.views import APIView


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
