from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from limon_site import search
from limon_site.api.schema import errors


class SearchResultSerializer(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.CharField()
    title = serializers.CharField()
    subtitle = serializers.CharField()
    url = serializers.CharField()


class GlobalSearchResponseSerializer(serializers.Serializer):
    results = SearchResultSerializer(many=True)
    total = serializers.IntegerField()


class GlobalSearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, default="")
    type = serializers.CharField(required=False, allow_blank=True, default="")
    limit = serializers.IntegerField(
        required=False, default=20, min_value=1, max_value=search.MAX_LIMIT
    )


class GlobalSearchView(APIView):
    """Search customers, licenses, devices, institutions, contacts … in one box (staff)."""

    api_scope = "admin"

    @extend_schema(
        tags=["search"],
        parameters=[
            OpenApiParameter("q", str, description="At least 2 characters"),
            OpenApiParameter("type", str, description="Restrict to one result type"),
            OpenApiParameter("limit", int, description="1 to 100, default 20"),
        ],
        responses={200: GlobalSearchResponseSerializer, **errors(400, 401, 403)},
    )
    def get(self, request):
        params = GlobalSearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        found = search.search(
            params.validated_data["q"],
            result_type=params.validated_data["type"] or None,
            limit=params.validated_data["limit"],
        )
        return Response({"results": [r.as_dict() for r in found], "total": len(found)})
