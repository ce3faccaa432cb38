"""``/api/admin/api-keys``: list, create (clear key returned once), retrieve, revoke."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from limon_site import api_keys
from limon_site.api import serializers as s
from limon_site.api.schema import errors
from limon_site.models import ApiKey


@extend_schema(tags=["administration"])
class ApiKeyListView(generics.ListAPIView):
    api_scope = "admin"
    serializer_class = s.ApiKeySerializer
    queryset = ApiKey.objects.select_related("created_by")
    filterset_fields = ["scope"]

    @extend_schema(
        request=s.ApiKeyCreateSerializer,
        responses={201: s.ApiKeyCreatedSerializer, **errors(400, 401, 403)},
    )
    def post(self, request):
        data = s.ApiKeyCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = request.user if getattr(request.user, "pk", None) else None
        key, clear = api_keys.create_api_key(
            **data.validated_data, created_by=user, actor=request.user
        )
        body = s.ApiKeySerializer(key).data
        body["key"] = clear
        return Response(body, status=201)


@extend_schema(tags=["administration"])
class ApiKeyDetailView(generics.RetrieveAPIView):
    api_scope = "admin"
    serializer_class = s.ApiKeySerializer
    queryset = ApiKey.objects.select_related("created_by")

    @extend_schema(responses={200: s.ApiKeySerializer, **errors(401, 403, 404)})
    def delete(self, request, pk: int):
        """Revokes the key (kept for the audit trail)."""
        key = get_object_or_404(ApiKey, pk=pk)
        key = api_keys.revoke_api_key(prefix=key.prefix, actor=request.user)
        return Response(s.ApiKeySerializer(key).data)


class ApiKeyRevokeView(APIView):
    api_scope = "admin"

    @extend_schema(
        tags=["administration"],
        request=None,
        responses={200: s.ApiKeySerializer, **errors(401, 403, 404)},
    )
    def post(self, request, pk: int):
        key = get_object_or_404(ApiKey, pk=pk)
        key = api_keys.revoke_api_key(prefix=key.prefix, actor=request.user)
        return Response(s.ApiKeySerializer(key).data)
