"""``/api/admin/*`` for the monitoring configuration: sites, servers (with lifecycle and CSV
import), applications, deployments, feature mappings, license history and entity counts.

Admin key (or staff session) only: ``api_scope`` is left at its default, ``admin``.
Views validate shapes and call one ``monitoring.services.catalog`` function each."""

from django.db.models import Count, Q
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from limon_site.api.schema import errors
from limon_site.errors import ValidationFailed
from monitoring.api import filters
from monitoring.api.serializers import (
    AdminStatsSerializer,
    ApplicationSerializer,
    DeploymentSerializer,
    FeatureMappingSerializer,
    InventoryChangeSerializer,
    PollRunSerializer,
    ServerImportResultSerializer,
    ServerImportSerializer,
    ServerSerializer,
    SiteSerializer,
)
from monitoring.models import (
    Application,
    Department,
    Deployment,
    Feature,
    FeatureMapping,
    InventoryChange,
    LicenseServer,
    LicenseUser,
    Site,
)
from monitoring.services import catalog, polling

TAGS = ["monitoring administration"]
#: CSV imports larger than this are refused (a few thousand servers fit easily).
MAX_IMPORT_BYTES = 1_000_000


def _list_schema(serializer):
    return extend_schema_view(
        get=extend_schema(
            tags=TAGS, responses={200: serializer(many=True), **errors(400, 401, 403)}
        ),
        post=extend_schema(tags=TAGS, responses={201: serializer, **errors(400, 401, 403, 409)}),
    )


def _detail_schema(serializer, delete_conflicts=True):
    delete_errors = (401, 403, 404, 409) if delete_conflicts else (401, 403, 404)
    return extend_schema_view(
        get=extend_schema(tags=TAGS, responses={200: serializer, **errors(401, 403, 404)}),
        put=extend_schema(
            tags=TAGS, responses={200: serializer, **errors(400, 401, 403, 404, 409)}
        ),
        patch=extend_schema(
            tags=TAGS, responses={200: serializer, **errors(400, 401, 403, 404, 409)}
        ),
        delete=extend_schema(tags=TAGS, responses={204: None, **errors(*delete_errors)}),
    )


class _ServiceListView(generics.ListCreateAPIView):
    """List + create through ``create`` (a catalog service)."""

    create_service = None

    def perform_create(self, serializer):
        serializer.instance = type(self).create_service(
            actor=self.request.user, **serializer.validated_data
        )


class _ServiceDetailView(generics.RetrieveUpdateDestroyAPIView):
    """Retrieve / PUT / PATCH / DELETE through the catalog's update and delete services."""

    update_service = None
    delete_service = None

    def perform_update(self, serializer):
        serializer.instance = type(self).update_service(
            serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        type(self).delete_service(instance, actor=self.request.user)


@_list_schema(SiteSerializer)
class SiteListView(_ServiceListView):
    queryset = Site.objects.annotate(server_count=Count("servers")).order_by("name")
    serializer_class = SiteSerializer
    filterset_class = filters.SiteFilter
    create_service = staticmethod(catalog.create_site)


@_detail_schema(SiteSerializer)
class SiteDetailView(_ServiceDetailView):
    queryset = Site.objects.annotate(server_count=Count("servers")).order_by("name")
    serializer_class = SiteSerializer
    update_service = staticmethod(catalog.update_site)
    delete_service = staticmethod(catalog.delete_site)


@_list_schema(ServerSerializer)
class ServerListView(_ServiceListView):
    queryset = LicenseServer.objects.select_related("site")
    serializer_class = ServerSerializer
    filterset_class = filters.ServerFilter
    create_service = staticmethod(catalog.create_server)


@_detail_schema(ServerSerializer)
class ServerDetailView(_ServiceDetailView):
    queryset = LicenseServer.objects.select_related("site")
    serializer_class = ServerSerializer
    update_service = staticmethod(catalog.update_server)
    delete_service = staticmethod(catalog.delete_server)


class _ServerLifecycleView(generics.GenericAPIView):
    queryset = LicenseServer.objects.select_related("site")
    serializer_class = ServerSerializer
    service = None

    @extend_schema(
        tags=TAGS, request=None, responses={200: ServerSerializer, **errors(401, 403, 404)}
    )
    def post(self, request, pk):
        server = type(self).service(self.get_object(), actor=request.user)
        return Response(ServerSerializer(server).data)


class ServerDecommissionView(_ServerLifecycleView):
    """Stop polling the server; its features, sessions and history are kept."""

    service = staticmethod(catalog.decommission_server)


class ServerReactivateView(_ServerLifecycleView):
    """Poll a decommissioned server again from the next cycle."""

    service = staticmethod(catalog.reactivate_server)


class ServerPollView(generics.GenericAPIView):
    """Test reachability: poll the server now and answer what was found (the poll is recorded
    like a scheduled one). A failed poll is still 200, with ``ok`` false and the error."""

    queryset = LicenseServer.objects.select_related("site")
    serializer_class = PollRunSerializer

    @extend_schema(
        tags=TAGS, request=None, responses={200: PollRunSerializer, **errors(401, 403, 404, 409)}
    )
    def post(self, request, pk):
        run = polling.poll_now(self.get_object(), actor=request.user)
        return Response(PollRunSerializer(run).data)


class ServerImportView(APIView):
    """Batch import: ``port@host`` lines, or CSV with a header of ``name,address,kind,site``.
    All rows are created or none; the report lists every row."""

    parser_classes = (MultiPartParser, FormParser, JSONParser)

    @extend_schema(
        tags=TAGS,
        request={
            "multipart/form-data": ServerImportSerializer,
            "application/json": ServerImportSerializer,
        },
        responses={
            201: ServerImportResultSerializer,
            400: OpenApiResponse(
                errors(400)[400].response,
                description="Invalid rows: `details.rows` is the per-row report, nothing imported",
            ),
            **errors(401, 403, 413),
        },
    )
    def post(self, request):
        data = ServerImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload, text = data.validated_data.get("file"), data.validated_data.get("csv")
        if upload is not None:
            raw = upload.read(MAX_IMPORT_BYTES + 1)
            text = raw.decode("utf-8-sig", errors="replace")
        if text is None:
            raise ValidationFailed(
                'Send the CSV as a \'file\' upload or as {"csv": "..."}',
                details={"fields": {"file": ["This field is required."]}},
            )
        if len(text) > MAX_IMPORT_BYTES:
            raise ValidationFailed(
                "Server imports are limited to 1 MB", code="PAYLOAD_TOO_LARGE", status=413
            )
        report = catalog.import_servers_csv(
            text, actor=request.user, site=data.validated_data.get("site")
        )
        return Response(report, status=status.HTTP_201_CREATED)


@_list_schema(ApplicationSerializer)
class ApplicationListView(_ServiceListView):
    queryset = (
        Application.objects.select_related("keystone_feature")
        .annotate(deployment_count=Count("deployments"))
        .order_by("name")
    )
    serializer_class = ApplicationSerializer
    filterset_class = filters.ApplicationFilter
    create_service = staticmethod(catalog.create_application)


@_detail_schema(ApplicationSerializer, delete_conflicts=False)
class ApplicationDetailView(_ServiceDetailView):
    queryset = (
        Application.objects.select_related("keystone_feature")
        .annotate(deployment_count=Count("deployments"))
        .order_by("name")
    )
    serializer_class = ApplicationSerializer
    update_service = staticmethod(catalog.update_application)
    delete_service = staticmethod(catalog.delete_application)


@_list_schema(DeploymentSerializer)
class DeploymentListView(_ServiceListView):
    queryset = Deployment.objects.select_related("application", "server")
    serializer_class = DeploymentSerializer
    filterset_class = filters.DeploymentFilter
    create_service = staticmethod(catalog.create_deployment)


@_detail_schema(DeploymentSerializer, delete_conflicts=False)
class DeploymentDetailView(_ServiceDetailView):
    queryset = Deployment.objects.select_related("application", "server")
    serializer_class = DeploymentSerializer
    update_service = staticmethod(catalog.update_deployment)
    delete_service = staticmethod(catalog.delete_deployment)


@_list_schema(FeatureMappingSerializer)
class FeatureMappingListView(_ServiceListView):
    queryset = FeatureMapping.objects.all()
    serializer_class = FeatureMappingSerializer
    filterset_class = filters.FeatureMappingFilter
    create_service = staticmethod(catalog.create_mapping)


@_detail_schema(FeatureMappingSerializer, delete_conflicts=False)
class FeatureMappingDetailView(_ServiceDetailView):
    queryset = FeatureMapping.objects.all()
    serializer_class = FeatureMappingSerializer
    update_service = staticmethod(catalog.update_mapping)
    delete_service = staticmethod(catalog.delete_mapping)


@extend_schema_view(
    get=extend_schema(
        tags=TAGS, responses={200: InventoryChangeSerializer(many=True), **errors(400, 401, 403)}
    )
)
class LicenseHistoryListView(generics.ListAPIView):
    """Inventory changes written by polling (read-only)."""

    queryset = InventoryChange.objects.select_related("server")
    serializer_class = InventoryChangeSerializer
    filterset_class = filters.InventoryChangeFilter


@extend_schema_view(
    get=extend_schema(
        tags=TAGS, responses={200: InventoryChangeSerializer, **errors(401, 403, 404)}
    )
)
class LicenseHistoryDetailView(generics.RetrieveAPIView):
    queryset = InventoryChange.objects.select_related("server")
    serializer_class = InventoryChangeSerializer


class StatsView(APIView):
    """Counts of every configuration entity (``users``: license users seen on the servers)."""

    @extend_schema(tags=TAGS, responses={200: AdminStatsSerializer, **errors(401, 403)})
    def get(self, request):
        servers = LicenseServer.objects.aggregate(
            total=Count("id"), active=Count("id", filter=Q(is_active=True))
        )
        return Response(
            {
                "sites": Site.objects.count(),
                "servers": servers["total"],
                "servers_active": servers["active"],
                "servers_decommissioned": servers["total"] - servers["active"],
                "applications": Application.objects.count(),
                "deployments": Deployment.objects.count(),
                "feature_mappings": FeatureMapping.objects.count(),
                "features": Feature.objects.count(),
                "users": LicenseUser.objects.count(),
                "departments": Department.objects.count(),
            }
        )
