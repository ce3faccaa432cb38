"""Infrastructure endpoints (public) and platform administration (admin scope)."""

from django.conf import settings
from django.db import connection
from django.http import HttpResponseRedirect
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from limon_site import config, health, product_license
from limon_site.api import serializers as s
from limon_site.api.schema import errors
from limon_site.registry import registry


class RootView(APIView):
    api_scope = "public"
    throttle_classes = ()

    def dispatch(self, request, *args, **kwargs):
        accept = request.headers.get("Accept", "")
        if "text/html" in accept and "application/json" not in accept:
            return HttpResponseRedirect("/panel/")
        return super().dispatch(request, *args, **kwargs)

    @extend_schema(responses=s.RootSerializer, tags=["infrastructure"], auth=[])
    def get(self, request):
        return Response(
            {
                "status": "ok",
                "service": "LiMon",
                "version": settings.LIMON_VERSION,
                "timestamp": health.now_iso(),
            }
        )


class HealthView(APIView):
    api_scope = "public"
    throttle_classes = ()

    @extend_schema(
        operation_id="health_probe",
        responses={200: s.HealthSerializer, 503: s.HealthSerializer},
        tags=["infrastructure"],
        auth=[],
    )
    def get(self, request):
        healthy = health.database_check()["status"] == "up"
        return Response(
            {"status": "healthy" if healthy else "unhealthy", "timestamp": health.now_iso()},
            status=status.HTTP_200_OK if healthy else status.HTTP_503_SERVICE_UNAVAILABLE,
        )


class ApiHealthView(APIView):
    api_scope = "public"
    throttle_classes = ()

    @extend_schema(
        responses={200: s.ApiHealthSerializer, 503: s.ApiHealthSerializer},
        tags=["infrastructure"],
        auth=[],
    )
    def get(self, request):
        checks = {
            "database": health.database_check(),
            "cache": health.cache_check(),
            "task_queue": health.task_queue_check(),
        }
        healthy = checks["database"]["status"] == "up" and checks["cache"]["status"] == "up"
        return Response(
            {
                "status": "healthy" if healthy else "unhealthy",
                "timestamp": health.now_iso(),
                "version": settings.LIMON_VERSION,
                "checks": checks,
            },
            status=200 if healthy else 503,
        )


class CapabilitiesView(APIView):
    api_scope = "monitoring_read"

    @extend_schema(
        tags=["infrastructure"],
        responses=inline_serializer(
            "Capabilities",
            {
                "database_engine": serializers.CharField(),
                "broker": serializers.CharField(),
                "cache": serializers.CharField(),
                "license": s.ProductLicenseSerializer(),
                "features": serializers.DictField(child=serializers.BooleanField()),
                "ad_sync_configured": serializers.BooleanField(),
                "sites_present": serializers.BooleanField(),
                "public_read": serializers.BooleanField(),
            },
        ),
    )
    def get(self, request):
        from django.apps import apps

        license_state = product_license.current_status()
        try:
            sites_present = apps.get_model("monitoring", "Site").objects.exists()
        except LookupError:
            sites_present = False
        ad_section = config.sections().get("ad_sync")
        return Response(
            {
                "database_engine": connection.vendor,
                "broker": "redis" if settings.REDIS_URL else "orm",
                "cache": "redis" if settings.REDIS_URL else "database",
                "license": license_state.as_dict(),
                "features": {
                    name: name in license_state.features for name in product_license.KNOWN_FEATURES
                },
                "ad_sync_configured": bool(ad_section and config.get("ad_sync").get("server_uri")),
                "sites_present": sites_present,
                "public_read": settings.LIMON_PUBLIC_READ,
            }
        )


class SchemaVersionView(APIView):
    api_scope = "monitoring_read"

    @extend_schema(
        tags=["infrastructure"],
        responses=inline_serializer(
            "SchemaVersion",
            {
                "release": serializers.CharField(),
                "migrations": serializers.DictField(child=serializers.CharField()),
            },
        ),
    )
    def get(self, request):
        return Response(
            {"release": settings.LIMON_VERSION, "migrations": health.applied_migrations()}
        )


class ProductLicenseView(APIView):
    """LiMon's own license: installation id, status, tier, features."""

    api_scope = "admin"

    @extend_schema(
        tags=["administration"], responses={200: s.ProductLicenseSerializer, **errors(401, 403)}
    )
    def get(self, request):
        return Response(product_license.current_status().as_dict())

    @extend_schema(
        tags=["administration"],
        request=s.InstallLicenseSerializer,
        responses={200: s.ProductLicenseSerializer, **errors(400, 401, 403)},
    )
    def post(self, request):
        data = s.InstallLicenseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        state = product_license.install(key=data.validated_data["license_key"], actor=request.user)
        return Response(state.as_dict())


class AdminCommandListView(APIView):
    """Listing the commands needs no key (seed 000); running one does."""

    api_scope = "public"

    @extend_schema(tags=["administration"], responses=s.CommandSerializer(many=True), auth=[])
    def get(self, request):
        return Response(
            [
                {"name": c.name, "description": c.description, "parameters": c.parameters}
                for c in sorted(registry.admin_commands.values(), key=lambda c: c.name)
            ]
        )


class AdminCommandRunView(APIView):
    api_scope = "admin"

    @extend_schema(
        tags=["administration"],
        request=inline_serializer(
            "CommandParameters", {"parameters": serializers.DictField(required=False)}
        ),
        responses={200: s.CommandResultSerializer, **errors(400, 401, 403, 404)},
    )
    def post(self, request, name: str):
        from limon_site.errors import NotFound, ValidationFailed

        command = registry.admin_commands.get(name)
        if command is None:
            raise NotFound(
                f"Unknown command {name!r}",
                code="UNKNOWN_COMMAND",
                details={"available": sorted(registry.admin_commands)},
            )
        parameters = request.data.get("parameters", {}) if hasattr(request.data, "get") else {}
        if not isinstance(parameters, dict):
            raise ValidationFailed("parameters must be an object")
        result = command.run(parameters=parameters, actor=request.user)
        return Response({"command": name, "status": "ok", "result": result})
