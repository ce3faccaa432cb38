"""Licenses: toggle, bulk actions, quick edit, key generation, and full REST with filters."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from licensing import staff_queries
from licensing.api.staff import serializers as s
from licensing.api.staff.filters import LicenseFilter
from licensing.services import licenses, licenses_admin
from limon_site.api.schema import errors

TAGS = ["licensing staff: licenses"]
ALL_OR_NOTHING = (
    "All or nothing, in one transaction: an unknown id is 400 `UNKNOWN_LICENSES` listing the "
    "unknown ids (`details.unknown_ids`) and nothing changes."
)


def _plural(count: int) -> str:
    return f"{count} license{'s' if count != 1 else ''}"


class ToggleView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Toggle a license's active status",
        request=None,
        responses={200: s.ToggleResponseSerializer, **errors(401, 403, 404)},
    )
    def post(self, request, license_id: int):
        license = licenses_admin.toggle_license(license_id=license_id, actor=request.user)
        state = "activated" if license.is_active else "deactivated"
        return Response(
            {
                "success": True,
                "is_active": license.is_active,
                "message": f"License {state} successfully",
            }
        )


class _BulkActiveView(APIView):
    active: bool

    def post(self, request):
        data = s.LicenseIdsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = licenses_admin.set_licenses_active(
            license_ids=data.validated_data["license_ids"], active=self.active, actor=request.user
        )
        state = "activated" if self.active else "deactivated"
        return Response(
            {
                "success": True,
                "count": result.count,
                "changed": result.changed,
                "message": f"{_plural(result.count)} {state} successfully",
            }
        )


class BulkActivateView(_BulkActiveView):
    active = True

    @extend_schema(
        tags=TAGS,
        summary="Activate several licenses",
        description=ALL_OR_NOTHING,
        request=s.LicenseIdsSerializer,
        responses={200: s.BulkCountResponseSerializer, **errors(400, 401, 403)},
    )
    def post(self, request):
        return super().post(request)


class BulkDeactivateView(_BulkActiveView):
    active = False

    @extend_schema(
        tags=TAGS,
        summary="Deactivate several licenses",
        description=ALL_OR_NOTHING,
        request=s.LicenseIdsSerializer,
        responses={200: s.BulkCountResponseSerializer, **errors(400, 401, 403)},
    )
    def post(self, request):
        return super().post(request)


class BulkDeleteView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Delete several licenses",
        description=ALL_OR_NOTHING
        + " Devices and sessions are deleted with the licenses; allocated resources go back to "
        "their pools.",
        request=s.LicenseIdsSerializer,
        responses={200: s.BulkDeleteResponseSerializer, **errors(400, 401, 403)},
    )
    def post(self, request):
        data = s.LicenseIdsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        deleted = licenses_admin.delete_licenses(
            license_ids=data.validated_data["license_ids"], actor=request.user
        )
        return Response(
            {
                "success": True,
                "deleted": deleted,
                "message": f"{_plural(deleted)} deleted successfully",
            }
        )


class QuickEditView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Change validity end and limits",
        description=(
            "Fields left out stay unchanged; `valid_until: null` makes the license open-ended. "
            "Lowering `max_activations` below the number of active devices is 409 "
            "`ACTIVE_DEVICES_EXCEED_LIMIT` (listing the devices that would go) unless "
            '`"force": true`, which deactivates the oldest devices (their sessions end) and '
            "lists them in `deactivated_devices`."
        ),
        request=s.QuickEditRequestSerializer,
        responses={200: s.QuickEditResponseSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request, license_id: int):
        data = s.QuickEditRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        change = licenses_admin.quick_edit_license(
            license_id=license_id,
            valid_until=values.get("valid_until"),
            clear_valid_until="valid_until" in values and values["valid_until"] is None,
            max_activations=values.get("max_activations"),
            max_users=values.get("max_users"),
            force=values["force"],
            actor=request.user,
        )
        message = "License updated successfully"
        if change.deactivated:
            message += f"; {len(change.deactivated)} device(s) deactivated"
        return Response(
            {
                "success": True,
                "message": message,
                "deactivated_devices": s.DeactivatedDeviceSerializer(
                    change.deactivated, many=True
                ).data,
            }
        )


class GenerateKeyView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Generate a new, unused license key",
        description=(
            "Cryptographically random (`secrets`), 16 characters from an alphabet without "
            "look-alikes (no 0/O, 1/I/L, U), checked against every existing key."
        ),
        request=None,
        responses={200: s.LicenseKeySerializer, **errors(401, 403)},
    )
    def post(self, request):
        return Response({"license_key": licenses.generate_license_key()})


def _licenses():
    return staff_queries.licenses_with_device_counts().select_related("customer", "product")


def _editable(validated: dict) -> dict:
    return {k: v for k, v in validated.items() if k not in ("force", "key")}


@extend_schema_view(
    get=extend_schema(tags=TAGS, responses={200: s.LicenseSerializer, **errors(400, 401, 403)}),
    post=extend_schema(
        tags=TAGS,
        description="Without `key` a unique key is generated; a taken key is 409 `DUPLICATE_KEY`.",
        responses={201: s.LicenseSerializer, **errors(400, 401, 403, 409)},
    ),
)
class LicenseListView(generics.ListCreateAPIView):
    queryset = _licenses().none()
    serializer_class = s.LicenseSerializer
    filterset_class = LicenseFilter

    def get_queryset(self):
        return _licenses().order_by("-created_at", "-id")

    def perform_create(self, serializer):
        license = licenses.create_license(
            key=serializer.validated_data.get("key", ""),
            actor=self.request.user,
            **_editable(serializer.validated_data),
        )
        serializer.instance = _licenses().get(pk=license.pk)


@extend_schema_view(
    get=extend_schema(tags=TAGS, responses={200: s.LicenseSerializer, **errors(401, 403, 404)}),
    put=extend_schema(
        tags=TAGS, responses={200: s.LicenseSerializer, **errors(400, 401, 403, 404, 409)}
    ),
    patch=extend_schema(
        tags=TAGS,
        description="Lowering `max_activations` below the active devices: see quick-edit.",
        responses={200: s.LicenseSerializer, **errors(400, 401, 403, 404, 409)},
    ),
    delete=extend_schema(
        tags=TAGS,
        description="Deletes devices and sessions too; allocated resources go back to the pool.",
        responses={204: None, **errors(401, 403, 404)},
    ),
)
class LicenseDetailView(generics.RetrieveUpdateDestroyAPIView):
    queryset = _licenses().none()
    serializer_class = s.LicenseSerializer

    def get_queryset(self):
        return _licenses()

    def perform_update(self, serializer):
        licenses_admin.change_license(
            license_id=serializer.instance.pk,
            changes=_editable(serializer.validated_data),
            force=serializer.validated_data.get("force", False),
            actor=self.request.user,
        )
        serializer.instance = _licenses().get(pk=serializer.instance.pk)

    def perform_destroy(self, instance):
        licenses_admin.delete_license(license_id=instance.pk, actor=self.request.user)
