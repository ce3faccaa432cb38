"""Debug-log import API: upload (streamed to disk, queued to a django-q2 worker), progress
and history. Admin credential and LiMon's ``log_import`` license feature (or evaluation)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from limon_site.api.permissions import ScopePermission, requires_license_feature
from limon_site.api.schema import errors
from limon_site.errors import NotFound
from monitoring.models import ImportState, LogImport
from monitoring.services.log_upload import LogUploadHandler, start_import, upload_limit_bytes

TAGS = ["Log import"]
LICENSED = [ScopePermission, requires_license_feature("log_import")]


class LogImportSerializer(serializers.ModelSerializer):
    batch_id = serializers.IntegerField(source="id", read_only=True)
    server_id = serializers.IntegerField(read_only=True)
    percent = serializers.FloatField(read_only=True)
    estimated_seconds_left = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()

    class Meta:
        model = LogImport
        fields = [
            "batch_id", "server_id", "state", "percent", "bytes_done", "bytes_total", "lines",
            "sessions_created", "events_created", "malformed_count", "malformed_examples",
            "created_at", "started_at", "finished_at", "estimated_seconds_left", "error",
            "files", "timezone", "created_by",
        ]  # fmt: skip
        read_only_fields = fields

    def get_estimated_seconds_left(self, batch: LogImport) -> float | None:
        if batch.state != ImportState.RUNNING or not batch.started_at or not batch.bytes_done:
            return None
        elapsed = (timezone.now() - batch.started_at).total_seconds()
        left = max(batch.bytes_total - batch.bytes_done, 0)
        return round(elapsed / batch.bytes_done * left, 1)

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_files(self, batch: LogImport) -> list[dict]:
        return [
            {
                "name": f.original_name,
                "size": f.size,
                "state": f.state,
                "bytes_done": f.byte_offset,
                "lines": f.lines,
                "skipped_duplicate": f.skipped_duplicate,
            }
            for f in batch.files.all()
        ]


class LogImportStartView(APIView):
    """``files`` (one or more ``.log``/``.txt``; ``file`` also accepted), ``server_id`` and
    optionally ``timezone`` (the log clock's zone; default the server's).
    Files are streamed to disk with a size check; nothing of a refused request is kept."""

    permission_classes = LICENSED
    parser_classes = (MultiPartParser,)

    def initialize_request(self, request, *args, **kwargs):
        self.upload = LogUploadHandler(request, max_bytes=upload_limit_bytes)
        request.upload_handlers = [self.upload]
        return super().initialize_request(request, *args, **kwargs)

    def handle_exception(self, exc):
        self.upload.discard()
        return super().handle_exception(exc)

    @extend_schema(
        tags=TAGS,
        request={
            "multipart/form-data": inline_serializer(
                "LogImportUpload",
                {
                    "server_id": serializers.IntegerField(),
                    "timezone": serializers.CharField(required=False),
                    "files": serializers.ListField(child=serializers.FileField()),
                },
            )
        },
        responses={202: LogImportSerializer, **errors(400, 401, 403, 413)},
    )
    def post(self, request):
        request.data  # noqa: B018 (reads the body through the streaming handler)
        batch = start_import(
            upload=self.upload,
            server_id=request.data.get("server_id"),
            timezone_name=request.data.get("timezone") or "",
            created_by=getattr(request.user, "audit_label", None) or str(request.user),
        )
        body = LogImportSerializer(batch).data
        body["status_url"] = request.build_absolute_uri(f"/api/v1/log-import/status/{batch.pk}")
        return Response(body, status=status.HTTP_202_ACCEPTED)


class LogImportStatusView(APIView):
    permission_classes = LICENSED

    @extend_schema(tags=TAGS, responses={200: LogImportSerializer, **errors(401, 403, 404)})
    def get(self, request, pk: int):
        batch = LogImport.objects.filter(pk=pk).prefetch_related("files").first()
        if batch is None:
            raise NotFound("No such import batch")
        return Response(LogImportSerializer(batch).data)


class LogImportHistoryView(generics.ListAPIView):
    """Import batches, newest first."""

    permission_classes = LICENSED
    serializer_class = LogImportSerializer
    queryset = LogImport.objects.order_by("-created_at", "-id").prefetch_related("files")

    @extend_schema(tags=TAGS, responses={200: LogImportSerializer(many=True), **errors(401, 403)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
