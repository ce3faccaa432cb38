"""Client endpoints of the license server (seed 001): activate, verify, info, deactivate, the
signed offline license file and the public key. Thin: validate → service → serialize."""

from datetime import UTC, datetime, time, timedelta

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from licensing import crypto, events
from licensing.api import serializers as s
from licensing.api.signing import SignedResponseMixin
from licensing.models import Activation, License
from licensing.services import _checks, activations, verification
from limon_site.api.schema import errors
from limon_site.errors import Forbidden, ValidationFailed

TAGS = ["license client"]
SIGNED = (
    "Signed: `X-Limon-Signature` (Ed25519) over timestamp, nonce, method, path and body hash; "
    "see `GET /api/license/public-key`."
)


class ClientView(SignedResponseMixin, APIView):
    api_scope = "client"


def _activate_response(result: activations.ActivationResult) -> Response:
    message = (
        "License activated successfully"
        if result.created
        else "License is already activated on this device"
    )
    body = {"message": message, "activation": s.ActivationSerializer(result.activation).data}
    return Response(body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)


class ActivateView(ClientView):
    request_serializer = s.ActivateRequestSerializer

    @extend_schema(
        tags=TAGS,
        request=s.ActivateRequestSerializer,
        responses={
            201: s.ActivateResponseSerializer,
            200: s.ActivateResponseSerializer,
            **errors(400, 401, 403, 404, 409, 429),
        },
        description=(
            "Activate a license on a device. 201 for a new activation, 200 when this "
            "hardware_hash is already active (idempotent). 404 `LICENSE_NOT_FOUND`, 403 "
            "`LICENSE_INACTIVE` / `LICENSE_EXPIRED`, 409 `ACTIVATION_LIMIT_REACHED`, 429 "
            "`ACTIVATION_RATE_LIMITED`. " + SIGNED
        ),
    )
    def post(self, request):
        data = self.request_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = activations.activate_license(
            key=data.validated_data["license_key"],
            hardware_hash=data.validated_data["hardware_hash"],
            machine_name=data.validated_data["machine_name"],
            app_version=data.validated_data["app_version"],
            actor=request.user,
        )
        return _activate_response(result)


class LegacyActivateView(ActivateView):
    request_serializer = s.LegacyActivateRequestSerializer

    @extend_schema(
        tags=TAGS,
        request=s.LegacyActivateRequestSerializer,
        responses={
            201: s.ActivateResponseSerializer,
            200: s.ActivateResponseSerializer,
            **errors(400, 401, 403, 404, 409, 429),
        },
        description="Compatibility alias of `/api/license/activate` accepting `hardware_id`.",
    )
    def post(self, request):
        return super().post(request)


def verify_body(result: verification.VerifyResult) -> dict:
    return s.VerifyResponseSerializer(
        {
            "valid": result.valid,
            "message": result.message,
            "reason": result.reason,
            "license": result.license,
            "activation": result.activation,
            "update_available": result.update_available,
            "latest_version": result.latest_version,
            "is_mandatory": result.is_mandatory,
            "minimum_version": result.minimum_version,
        }
    ).data


class VerifyView(ClientView):
    request_serializer = s.VerifyRequestSerializer

    @extend_schema(
        tags=TAGS,
        request=s.VerifyRequestSerializer,
        responses={200: s.VerifyResponseSerializer, **errors(400, 401, 403, 429)},
        description=(
            "Is the license valid on this device at this version? Always 200 for a well-formed "
            "request: `valid: false` carries a machine-readable `reason`. " + SIGNED
        ),
    )
    def post(self, request):
        data = self.request_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = verification.verify_license(
            key=data.validated_data["license_key"],
            hardware_hash=data.validated_data["hardware_hash"],
            app_version=data.validated_data["app_version"],
        )
        return Response(verify_body(result))


class LegacyValidateView(VerifyView):
    request_serializer = s.LegacyValidateRequestSerializer

    @extend_schema(
        tags=TAGS,
        request=s.LegacyValidateRequestSerializer,
        responses={200: s.VerifyResponseSerializer, **errors(400, 401, 403, 429)},
        description="Compatibility alias of `/api/license/verify` accepting `hardware_id`.",
    )
    def post(self, request):
        return super().post(request)


class DeactivateView(ClientView):
    @extend_schema(
        tags=TAGS,
        request=s.DeactivateRequestSerializer,
        responses={200: s.DeactivateResponseSerializer, **errors(400, 401, 403, 404)},
        description=(
            "Free this device's seat (ends its sessions). Counts towards the seat-cycling cap. "
            + SIGNED
        ),
    )
    def post(self, request):
        data = s.DeactivateRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        activation = activations.deactivate_device(
            key=data.validated_data["license_key"],
            hardware_hash=data.validated_data["hardware_hash"],
            actor=request.user,
        )
        return Response(
            {
                "message": "License deactivated on this device",
                "activation": s.DeactivatedActivationSerializer(activation).data,
            }
        )


def _license_or_404(key: str) -> License:
    license = License.objects.select_related("customer", "product").filter(key=key).first()
    if license is None:
        raise _checks.license_not_found(key)
    return license


class InfoView(ClientView):
    @extend_schema(
        tags=TAGS,
        responses={200: s.InfoResponseSerializer, **errors(401, 403, 404)},
        description="The license and its activations (active and past). " + SIGNED,
    )
    def get(self, request, license_key: str):
        license = _license_or_404(license_key.strip().upper())
        return Response(
            {
                "license": s.InfoLicenseSerializer(license).data,
                "activations": s.InfoActivationSerializer(
                    license.activations.order_by("-activated_at", "-id"), many=True
                ).data,
            }
        )


class LicenseFileView(ClientView):
    @extend_schema(
        tags=TAGS,
        parameters=[OpenApiParameter("hardware_hash", str, required=True)],
        responses={200: s.LicenseFileResponseSerializer, **errors(400, 401, 403, 404)},
        description=(
            "A signed offline license file for an activated device: valid until the earlier of "
            "the license's end and now + the product's grace days. Verify it with the public key."
        ),
    )
    def get(self, request, license_key: str):
        key = license_key.strip().upper()
        hardware_hash = request.query_params.get("hardware_hash", "").strip()
        if not hardware_hash:
            raise ValidationFailed(
                "hardware_hash is required",
                details={"fields": {"hardware_hash": ["This field is required."]}},
            )
        license = _license_or_404(key)
        now = timezone.now()
        refusal = _checks.license_unusable(license, timezone.localdate(now))
        if refusal:
            raise refusal
        activation = Activation.objects.filter(
            license=license, hardware_hash=hardware_hash, is_active=True
        ).first()
        if activation is None:
            raise Forbidden(
                "This license is not activated on this device",
                code="DEVICE_NOT_ACTIVATED",
                details={"license_key": key, "hardware_hash": hardware_hash},
            )
        grace_days = license.product.offline_grace_days
        expires_at = now + timedelta(days=grace_days)
        if license.valid_until:
            end_of_validity = timezone.make_aware(
                datetime.combine(license.valid_until + timedelta(days=1), time.min)
            )
            expires_at = min(expires_at, end_of_validity)
        key_id = crypto.signing_key().key_id
        payload = {
            "format": "limon-license-file/1",
            "license_id": license.pk,
            "license_key": license.key,
            "customer_name": license.customer.name,
            "product": license.product.name,
            "type": license.type,
            "valid_from": license.valid_from.isoformat(),
            "valid_until": license.valid_until.isoformat() if license.valid_until else None,
            "max_users": license.max_users,
            "activation_id": activation.pk,
            "hardware_hash": activation.hardware_hash,
            "machine_name": activation.machine_name,
            "issued_at": _iso(now),
            "expires_at": _iso(expires_at),
            "grace_days": grace_days,
            "key_id": key_id,
        }
        events.log_client_event(
            "license_file", "ok", license_id=license.pk, activation_id=activation.pk
        )
        return Response(
            {
                "license_file": crypto.sign_license_file(payload),
                "payload": payload,
                "key_id": key_id,
            }
        )


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


class PublicKeyView(SignedResponseMixin, APIView):
    api_scope = "public"

    @extend_schema(
        tags=TAGS,
        auth=[],
        responses={200: s.PublicKeyResponseSerializer, **errors(503)},
        description=(
            "The Ed25519 public key that verifies client answers and license files. Pin it in "
            "the desktop app (do not fetch it at run time from an untrusted network)."
        ),
    )
    def get(self, request):
        key = crypto.signing_key()
        return Response(
            {
                "algorithm": "Ed25519",
                "key_id": key.key_id,
                "public_key_pem": key.public_pem,
                "public_key_base64": key.public_base64,
                "signature_header": crypto.HEADER_SIGNATURE,
                "timestamp_header": crypto.HEADER_TIMESTAMP,
                "nonce_header": crypto.HEADER_NONCE,
                "message_format": (
                    "LIMON-SIG-1\\n{timestamp}\\n{nonce}\\n{METHOD}\\n{path?query}\\n"
                    "{sha256 hex of body}"
                ),
            }
        )
