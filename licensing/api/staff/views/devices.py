"""A license's devices: list, register (same limits as a client activation), deactivate."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from licensing.api.staff import serializers as s
from licensing.models import License
from licensing.services import devices
from limon_site.api.schema import errors

TAGS = ["licensing staff: devices"]


class DeviceListView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Devices of a license (active first, then deactivated ones as history)",
        responses={200: s.DevicesSerializer, **errors(401, 403, 404)},
    )
    def get(self, request, license_id: int):
        license = get_object_or_404(License, pk=license_id)
        rows = license.activations.order_by("-is_active", "-activated_at", "-id")
        return Response(s.DevicesSerializer({"devices": rows}).data)


class RegisterDeviceView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Register a device on a license",
        description=(
            "The rules of a client activation: 409 `ACTIVATION_LIMIT_REACHED` when the license "
            "is full, 403 when it is inactive or expired, 429 when seats cycle too fast. The "
            "same device again answers 200 with its existing id; a new one 201."
        ),
        request=s.RegisterDeviceRequestSerializer,
        responses={
            201: s.RegisterDeviceResponseSerializer,
            200: s.RegisterDeviceResponseSerializer,
            **errors(400, 401, 403, 404, 409, 429),
        },
    )
    def post(self, request, license_id: int):
        data = s.RegisterDeviceRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = devices.register_license_device(
            license_id=license_id, actor=request.user, **data.validated_data
        )
        return Response(
            {
                "success": True,
                "device_id": result.activation.pk,
                "message": "Device registered successfully"
                if result.created
                else "Device was already registered",
            },
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )


class DeactivateDeviceView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Deactivate a device (frees its seat, ends its sessions)",
        request=None,
        responses={200: s.SuccessSerializer, **errors(401, 403, 404, 409)},
    )
    def post(self, request, license_id: int, device_id: int):
        devices.deactivate_license_device(
            license_id=license_id, device_id=device_id, actor=request.user
        )
        return Response({"success": True, "message": "Device deactivated successfully"})
