"""``/api/admin/webhooks``: admin API key or staff, and the Professional tier (seed 000)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from limon_site.api.permissions import ScopePermission, requires_license_feature
from limon_site.api.schema import errors
from limon_site.webhooks import services
from limon_site.webhooks.api import serializers as s
from limon_site.webhooks.events import registered_events
from limon_site.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

TAGS = ["webhooks"]


class WebhookApiMixin:
    api_scope = "admin"
    permission_classes = [ScopePermission, requires_license_feature("webhooks")]


def _with_secret(created: services.CreatedEndpoint) -> dict:
    data = s.WebhookEndpointSerializer(created.endpoint).data
    data["secret"] = created.secret
    return data


class WebhookListView(WebhookApiMixin, generics.ListCreateAPIView):
    queryset = WebhookEndpoint.objects.all()
    serializer_class = s.WebhookEndpointSerializer

    @extend_schema(tags=TAGS, responses={200: s.WebhookEndpointSerializer, **errors(401, 403)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS,
        request=s.WebhookEndpointCreateSerializer,
        responses={201: s.WebhookEndpointWithSecretSerializer, **errors(400, 401, 403)},
        description="Create an endpoint. The response carries the signing secret once.",
    )
    def post(self, request, *args, **kwargs):
        serializer = s.WebhookEndpointCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = services.create_endpoint(actor=request.user, **serializer.validated_data)
        return Response(_with_secret(created), status=status.HTTP_201_CREATED)


class WebhookDetailView(WebhookApiMixin, generics.RetrieveUpdateDestroyAPIView):
    queryset = WebhookEndpoint.objects.all()
    serializer_class = s.WebhookEndpointSerializer

    @extend_schema(tags=TAGS, responses={200: s.WebhookEndpointSerializer, **errors(401, 403, 404)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS, responses={200: s.WebhookEndpointSerializer, **errors(400, 401, 403, 404)}
    )
    def put(self, request, *args, **kwargs):
        return super().put(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS,
        responses={200: s.WebhookEndpointSerializer, **errors(400, 401, 403, 404)},
        description="Setting `is_active` to true re-enables a disabled endpoint.",
    )
    def patch(self, request, *args, **kwargs):
        return super().patch(request, *args, **kwargs)

    @extend_schema(tags=TAGS, responses={204: None, **errors(401, 403, 404)})
    def delete(self, request, *args, **kwargs):
        return super().delete(request, *args, **kwargs)

    def perform_update(self, serializer):
        serializer.instance = services.update_endpoint(
            endpoint=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.delete_endpoint(endpoint=instance, actor=self.request.user)


class WebhookDeliveryListView(WebhookApiMixin, generics.ListAPIView):
    serializer_class = s.WebhookDeliverySerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return WebhookDelivery.objects.none()
        endpoint = get_object_or_404(WebhookEndpoint, pk=self.kwargs["pk"])
        queryset = endpoint.deliveries.all()
        wanted = self.request.query_params.get("status")
        if wanted:
            queryset = queryset.filter(status=wanted)
        return queryset

    @extend_schema(
        tags=TAGS,
        parameters=[
            OpenApiParameter("status", str, enum=[choice for choice, _ in DeliveryStatus.choices])
        ],
        responses={200: s.WebhookDeliverySerializer, **errors(401, 403, 404)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class WebhookTestView(WebhookApiMixin, APIView):
    @extend_schema(
        tags=TAGS,
        request=None,
        responses={202: s.WebhookDeliverySerializer, **errors(401, 403, 404)},
        description="Queue a `webhook.test` event for this endpoint; follow it in `deliveries`.",
    )
    def post(self, request, pk: int):
        endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
        delivery = services.send_test_event(endpoint=endpoint, actor=request.user)
        delivery.refresh_from_db()
        return Response(s.WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


class WebhookRotateSecretView(WebhookApiMixin, APIView):
    @extend_schema(
        tags=TAGS,
        request=None,
        responses={200: s.WebhookEndpointWithSecretSerializer, **errors(401, 403, 404)},
        description="Replace the signing secret; the new one is shown once.",
    )
    def post(self, request, pk: int):
        endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
        return Response(_with_secret(services.rotate_secret(endpoint=endpoint, actor=request.user)))


class WebhookRedeliverView(WebhookApiMixin, APIView):
    @extend_schema(
        tags=TAGS,
        request=None,
        responses={202: s.WebhookDeliverySerializer, **errors(401, 403, 404)},
    )
    def post(self, request, pk: int):
        delivery = get_object_or_404(WebhookDelivery, pk=pk)
        delivery = services.redeliver(delivery=delivery, actor=request.user)
        return Response(s.WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


class WebhookEventListView(WebhookApiMixin, APIView):
    @extend_schema(
        tags=TAGS, responses={200: s.WebhookEventSerializer(many=True), **errors(401, 403)}
    )
    def get(self, request):
        return Response(
            [
                {"name": event.name, "description": event.description, "example": event.example}
                for event in registered_events().values()
            ]
        )
