"""Admin REST for the catalogue: products (client configurations) and releases."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics

from licensing.api.catalogue_serializers import ProductSerializer, ReleaseSerializer
from licensing.api.filters import ProductFilter, ReleaseFilter
from licensing.models import Product, Release
from licensing.services import catalogue
from limon_site.api.schema import errors

TAGS = ["licensing catalogue"]


def _list_schema(serializer):
    return extend_schema_view(
        get=extend_schema(tags=TAGS, responses={200: serializer(many=True), **errors(401, 403)}),
        post=extend_schema(tags=TAGS, responses={201: serializer, **errors(400, 401, 403, 409)}),
    )


def _detail_schema(serializer):
    return extend_schema_view(
        get=extend_schema(tags=TAGS, responses={200: serializer, **errors(401, 403, 404)}),
        put=extend_schema(
            tags=TAGS, responses={200: serializer, **errors(400, 401, 403, 404, 409)}
        ),
        patch=extend_schema(
            tags=TAGS, responses={200: serializer, **errors(400, 401, 403, 404, 409)}
        ),
        delete=extend_schema(tags=TAGS, responses={204: None, **errors(401, 403, 404, 409)}),
    )


@_list_schema(ProductSerializer)
class ProductListView(generics.ListCreateAPIView):
    queryset = Product.objects.all()
    serializer_class = ProductSerializer
    filterset_class = ProductFilter

    def perform_create(self, serializer):
        serializer.instance = catalogue.create_product(
            actor=self.request.user, **serializer.validated_data
        )


@_detail_schema(ProductSerializer)
class ProductDetailView(generics.RetrieveUpdateDestroyAPIView):
    queryset = Product.objects.all()
    serializer_class = ProductSerializer

    def perform_update(self, serializer):
        serializer.instance = catalogue.update_product(
            product=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        catalogue.delete_product(product=instance, actor=self.request.user)


@_list_schema(ReleaseSerializer)
class ReleaseListView(generics.ListCreateAPIView):
    queryset = Release.objects.select_related("product")
    serializer_class = ReleaseSerializer
    filterset_class = ReleaseFilter

    def perform_create(self, serializer):
        values = dict(serializer.validated_data)
        make_current = values.pop("is_current", False)
        serializer.instance = catalogue.create_release(
            make_current=make_current, actor=self.request.user, **values
        )


@_detail_schema(ReleaseSerializer)
class ReleaseDetailView(generics.RetrieveUpdateDestroyAPIView):
    queryset = Release.objects.select_related("product")
    serializer_class = ReleaseSerializer

    def perform_update(self, serializer):
        values = dict(serializer.validated_data)
        make_current = values.pop("is_current", None)
        release = catalogue.update_release(
            release=serializer.instance,
            make_current=make_current,
            actor=self.request.user,
            **values,
        )
        release.product.refresh_from_db()
        serializer.instance = release

    def perform_destroy(self, instance):
        catalogue.delete_release(release=instance, actor=self.request.user)
