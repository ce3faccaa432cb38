"""``/api/v1/config/*`` endpoints owned by the platform: SMTP, system info, about, YAML
export/import. Apps add their own sections (e.g. ``monitoring``)."""

from django.conf import settings
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import FileUploadParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from limon_site import config, health, mail, product_license
from limon_site.api.schema import errors
from limon_site.errors import ValidationFailed


class SmtpSerializer(serializers.Serializer):
    host = serializers.CharField(allow_blank=True, required=False)
    port = serializers.IntegerField(min_value=1, max_value=65535, required=False)
    username = serializers.CharField(allow_blank=True, required=False)
    password = serializers.CharField(allow_blank=True, required=False, write_only=True)
    use_tls = serializers.BooleanField(required=False)
    use_ssl = serializers.BooleanField(required=False)
    from_email = serializers.EmailField(required=False)
    timeout_seconds = serializers.IntegerField(min_value=1, max_value=120, required=False)


class SmtpConfigView(APIView):
    api_scope = "admin"

    @extend_schema(tags=["configuration"], responses={200: SmtpSerializer, **errors(401, 403)})
    def get(self, request):
        return Response(config.redacted("smtp"))

    @extend_schema(
        tags=["configuration"],
        request=SmtpSerializer,
        responses={200: SmtpSerializer, **errors(400, 401, 403)},
    )
    def put(self, request):
        data = SmtpSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        config.update("smtp", data.validated_data, actor=request.user)
        return Response(config.redacted("smtp"))


class SmtpTestView(APIView):
    api_scope = "admin"

    @extend_schema(
        tags=["configuration"],
        request=inline_serializer("SmtpTest", {"to": serializers.EmailField()}),
        responses={
            200: inline_serializer(
                "SmtpTestResult",
                {"sent": serializers.BooleanField(), "to": serializers.EmailField()},
            ),
            **errors(400, 401, 403, 502),
        },
    )
    def post(self, request):
        to = serializers.EmailField().run_validation(request.data.get("to"))
        mail.send(
            to=[to],
            subject="LiMon test e-mail",
            body="This is a test message from LiMon. SMTP works.",
        )
        return Response({"sent": True, "to": to})


class SystemConfigView(APIView):
    api_scope = "admin"

    @extend_schema(
        tags=["configuration"],
        responses=inline_serializer(
            "SystemInfo",
            {
                "company": serializers.CharField(),
                "license": serializers.DictField(),
                "sections": serializers.ListField(child=serializers.CharField()),
            },
        ),
    )
    def get(self, request):
        return Response(
            {
                "company": config.get("system")["company_name"],
                "license": product_license.current_status().as_dict(),
                "sections": sorted(config.sections()),
            }
        )


class AboutView(APIView):
    api_scope = "admin"

    @extend_schema(
        tags=["configuration"],
        responses=inline_serializer(
            "About",
            {
                "installation_id": serializers.UUIDField(),
                "version": serializers.CharField(),
                "schema_version": serializers.DictField(child=serializers.CharField()),
                "database_engine": serializers.CharField(),
            },
        ),
    )
    def get(self, request):
        return Response(
            {
                "installation_id": product_license.current_status().installation_id,
                "version": settings.LIMON_VERSION,
                "schema_version": health.applied_migrations(),
                "database_engine": health.database_check().get("engine", "unknown"),
            }
        )


class ConfigExportView(APIView):
    api_scope = "admin"

    @extend_schema(
        tags=["configuration"],
        request=None,
        responses={(200, "application/yaml"): bytes, **errors(401, 403)},
    )
    def post(self, request):
        response = HttpResponse(config.export_yaml(), content_type="application/yaml")
        response["Content-Disposition"] = 'attachment; filename="config.yml"'
        return response


class ConfigImportView(APIView):
    """Accepts the YAML as a multipart ``file``, a raw ``application/yaml`` body, or JSON
    ``{"yaml": "..."}``. All sections are validated and applied in one transaction."""

    api_scope = "admin"
    parser_classes = (MultiPartParser, JSONParser, FileUploadParser)

    @extend_schema(
        tags=["configuration"],
        request={
            "multipart/form-data": inline_serializer(
                "ConfigUpload", {"file": serializers.FileField()}
            ),
            "application/json": inline_serializer("ConfigYaml", {"yaml": serializers.CharField()}),
        },
        responses={200: OpenApiTypes.OBJECT, **errors(400, 401, 403)},
    )
    def post(self, request):
        upload = request.data.get("file") if hasattr(request.data, "get") else None
        if upload is not None:
            text = upload.read(1_000_001).decode("utf-8", errors="replace")
        elif hasattr(request.data, "get") and isinstance(request.data.get("yaml"), str):
            text = request.data["yaml"]
        else:
            raise ValidationFailed('Send the YAML as a \'file\' upload or as {"yaml": "..."}')
        if len(text) > 1_000_000:
            raise ValidationFailed("Configuration files are limited to 1 MB")
        applied = config.import_yaml(text, actor=request.user)
        return Response({name: config.redacted(name) for name in applied})
