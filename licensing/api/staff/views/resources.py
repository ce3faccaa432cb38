"""Resource pools: a license's resources, allocate/release/quarantine/restore, availability,
statistics, the pool REST and the CSV import."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from licensing import staff_queries
from licensing.api.staff import serializers as s
from licensing.api.staff.filters import ResourceFilter
from licensing.models import License, Resource
from licensing.services import resource_import, resources
from limon_site.api.schema import errors
from limon_site.errors import ValidationFailed

TAGS = ["licensing staff: resources"]
ALL_OR_NOTHING = (
    "All or nothing: unknown ids are 400 `UNKNOWN_RESOURCES` (`details.unknown_ids`); resources "
    "in the wrong state are 409 `RESOURCE_CONFLICT` listing them in `details.conflicts`."
)
MAX_CSV_BYTES = 2 * 1024 * 1024


def _plural(count: int) -> str:
    return f"{count} resource{'s' if count != 1 else ''}"


class LicenseResourcesView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Resources allocated to a license",
        responses={200: s.LicenseResourcesSerializer, **errors(401, 403, 404)},
    )
    def get(self, request, license_id: int):
        license = get_object_or_404(License, pk=license_id)
        rows = license.resources.order_by("type", "identifier")
        return Response(s.LicenseResourcesSerializer({"resources": rows}).data)


class AllocateView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Allocate resources to a license",
        description=(
            "With or without `resource_type` (then every resource must be of that type). "
            + ALL_OR_NOTHING
            + " Two staff members allocating the same resource at once: exactly one wins."
        ),
        request=s.AllocateRequestSerializer,
        responses={200: s.AllocateResponseSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request):
        data = s.AllocateRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        allocated = resources.allocate_resources(
            license_id=values["license_id"],
            resource_ids=values["resource_ids"],
            resource_type=values["resource_type"] or None,
            actor=request.user,
        )
        count = len(allocated)
        return Response(
            {
                "success": True,
                "allocated": count,
                "message": f"{_plural(count)} allocated successfully",
            }
        )


class ReleaseView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Release allocated resources back to their pools",
        description=ALL_OR_NOTHING,
        request=s.ReleaseRequestSerializer,
        responses={200: s.ReleaseResponseSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request):
        data = s.ReleaseRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        released = resources.release_resources(
            resource_ids=data.validated_data["resource_ids"],
            license_id=data.validated_data.get("license_id"),
            actor=request.user,
        )
        count = len(released)
        return Response(
            {
                "success": True,
                "released": count,
                "message": f"{_plural(count)} released successfully",
            }
        )


class QuarantineView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Quarantine resources (allocated ones are released first)",
        description="With `days` they return to the pool automatically. " + ALL_OR_NOTHING,
        request=s.QuarantineRequestSerializer,
        responses={200: s.QuarantineResponseSerializer, **errors(400, 401, 403, 409)},
    )
    def post(self, request):
        data = s.QuarantineRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        held = resources.quarantine_resources(
            resource_ids=values["resource_ids"],
            days=values.get("days"),
            note=values["note"],
            actor=request.user,
        )
        count = len(held)
        return Response(
            {
                "success": True,
                "quarantined": count,
                "message": f"{_plural(count)} quarantined successfully",
            }
        )


class RestoreView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Return quarantined resources to the pool",
        description=ALL_OR_NOTHING,
        request=s.ResourceIdsSerializer,
        responses={200: s.RestoreResponseSerializer, **errors(400, 401, 403, 409)},
    )
    def post(self, request):
        data = s.ResourceIdsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        restored = resources.restore_resources(
            resource_ids=data.validated_data["resource_ids"], actor=request.user
        )
        count = len(restored)
        return Response(
            {
                "success": True,
                "restored": count,
                "message": f"{_plural(count)} restored successfully",
            }
        )


class CheckAvailabilityView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Are `count` resources of a type free?",
        parameters=[
            OpenApiParameter("type", str, required=True, description="domain, ipv4, server …"),
            OpenApiParameter("count", int, description="Number of resources needed (default 1)"),
        ],
        responses={200: s.CheckAvailabilityResponseSerializer, **errors(400, 401, 403)},
    )
    def get(self, request):
        query = s.AvailabilityQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        resource_type = resources.resource_type_of(query.validated_data["type"])
        check = staff_queries.check_availability(resource_type, query.validated_data["count"])
        return Response(
            {
                "available": check.enough,
                "count": len(check.resources),
                "requested": check.requested,
                "total_available": check.available_total,
                "resources": s.OfferedResourceSerializer(check.resources, many=True).data,
            }
        )


class AvailabilityView(APIView):
    api_scope = "read"

    @extend_schema(
        tags=TAGS,
        summary="Availability of each pool",
        description=(
            "Keyed by pool (`domains`, `ipv4`, `phone_numbers`; `servers` and `workstations` "
            "once they hold resources). `status` is `critical` below the `resource_pools` "
            "setting `critical_percent` available (default 20) or when nothing is left, `low` "
            "below `low_percent` (default 50), else `ok`. Readable with the analytics token."
        ),
        responses={200: s.PoolAvailabilityMapSerializer, **errors(401, 403)},
    )
    def get(self, request):
        return Response(staff_queries.pool_availability())


class StatsView(APIView):
    api_scope = "read"

    @extend_schema(
        tags=TAGS,
        summary="Resource statistics by type",
        responses={200: s.ResourceStatsSerializer, **errors(401, 403)},
    )
    def get(self, request):
        return Response(s.ResourceStatsSerializer(staff_queries.resource_stats()).data)


def _resources():
    return Resource.objects.select_related("license")


@extend_schema_view(
    get=extend_schema(tags=TAGS, responses={200: s.ResourceSerializer, **errors(400, 401, 403)}),
    post=extend_schema(
        tags=TAGS,
        description="Add one resource (syntax-checked); 409 `DUPLICATE_RESOURCE` if present.",
        responses={201: s.ResourceSerializer, **errors(400, 401, 403, 409)},
    ),
)
class ResourceListView(generics.ListCreateAPIView):
    queryset = Resource.objects.none()
    serializer_class = s.ResourceSerializer
    filterset_class = ResourceFilter

    def get_queryset(self):
        return _resources().order_by("type", "identifier")

    def perform_create(self, serializer):
        serializer.instance = resources.add_resource(
            actor=self.request.user, **serializer.validated_data
        )


@extend_schema_view(
    get=extend_schema(
        tags=TAGS, responses={200: s.ResourceDetailSerializer, **errors(401, 403, 404)}
    ),
    delete=extend_schema(
        tags=TAGS,
        description="409 `RESOURCE_ALLOCATED` while it is allocated.",
        responses={204: None, **errors(401, 403, 404, 409)},
    ),
)
class ResourceDetailView(generics.RetrieveDestroyAPIView):
    queryset = Resource.objects.none()
    serializer_class = s.ResourceDetailSerializer

    def get_queryset(self):
        return _resources().prefetch_related("history")

    def perform_destroy(self, instance):
        resources.delete_resource(resource=instance, actor=self.request.user)


def read_csv_upload(upload=None, text: str | None = None) -> str:
    """The CSV text of an upload (UTF-8, 2 MB at most) or of a ``csv`` field."""
    if upload is None:
        return text or ""
    if upload.size > MAX_CSV_BYTES:
        raise ValidationFailed("The CSV file is larger than 2 MB", code="CSV_TOO_LARGE")
    try:
        return upload.read().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed("The CSV file must be UTF-8 text", code="CSV_NOT_UTF8") from exc


class ResourceImportView(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        tags=TAGS,
        summary="Import pool resources from CSV",
        description=(
            "Header `type,identifier[,notes]` (`type` may be omitted when the `type` field names "
            "one type for the file). IPv4 addresses, domain names and E.164 phone numbers are "
            "checked; rows already in the pool are skipped. Any invalid row: 400 "
            "`CSV_INVALID_ROWS` with every problem in `details.errors` (line, identifier, "
            "message) and nothing imported. `dry_run` only validates."
        ),
        request={
            "multipart/form-data": s.ResourceImportRequestSerializer,
            "application/json": s.ResourceImportRequestSerializer,
        },
        responses={200: s.ResourceImportReportSerializer, **errors(400, 401, 403, 409)},
    )
    def post(self, request):
        data = s.ResourceImportRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        report = resource_import.import_resources_csv(
            text=read_csv_upload(values.get("file"), values.get("csv")),
            default_type=values["type"] or None,
            dry_run=values["dry_run"],
            actor=request.user,
        )
        if not report.ok:
            raise ValidationFailed(
                f"{len(report.errors)} invalid row(s); nothing was imported",
                code="CSV_INVALID_ROWS",
                details=report.as_dict(),
            )
        return Response(report.as_dict())
