"""Version endpoints (seed 001): update check and latest release."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from licensing import queries
from licensing.api import serializers as s
from licensing.api.views.client import SIGNED, ClientView
from licensing.models import License, Product
from licensing.services import _checks
from limon_site.api.schema import errors
from limon_site.errors import NotFound, ValidationFailed


def resolve_product(*, license_key: str | None, product: str | None) -> Product:
    """The product a version question is about: the license's, or ``product`` (id or name), or
    the only product there is."""
    if license_key:
        license = License.objects.select_related("product").filter(key=license_key).first()
        if license is None:
            raise _checks.license_not_found(license_key)
        return license.product
    if product:
        query = Product.objects.filter(pk=int(product)) if product.isdigit() else None
        found = (query.first() if query is not None else None) or Product.objects.filter(
            name__iexact=product
        ).first()
        if found is None:
            raise NotFound(
                f"Product {product!r} not found",
                code="PRODUCT_NOT_FOUND",
                details={"product": product},
            )
        return found
    products = list(Product.objects.all()[:2])
    if len(products) == 1:
        return products[0]
    raise ValidationFailed(
        "Say which product: pass license_key or product",
        details={"fields": {"product": ["Required when several products exist."]}},
    )


class VersionCheckView(ClientView):
    @extend_schema(
        tags=["versions"],
        request=s.VersionCheckRequestSerializer,
        responses={200: s.VersionCheckResponseSerializer, **errors(400, 401, 403, 404)},
        description=(
            "Is there a newer release than `current_version`? Semantic versions (1.10.0 > 1.9.2, "
            "pre-releases below releases). `is_mandatory` when any newer release is mandatory or "
            "the current version is below the product minimum. " + SIGNED
        ),
    )
    def post(self, request):
        data = s.VersionCheckRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        product = resolve_product(
            license_key=values.get("license_key"), product=values.get("product")
        )
        info = queries.update_info(product, values["current_version"])
        return Response(
            s.VersionCheckResponseSerializer(
                {
                    "update_available": info.update_available,
                    "latest_version": info.latest_version,
                    "download_url": info.download_url,
                    "release_notes": info.release_notes,
                    "is_mandatory": info.is_mandatory,
                    "current_version": info.current_version,
                    "minimum_version": info.minimum_version,
                    "release_date": info.release_date,
                }
            ).data
        )


class LatestVersionView(ClientView):
    @extend_schema(
        tags=["versions"],
        parameters=[
            OpenApiParameter("product", str, description="Product id or name"),
            OpenApiParameter("license_key", str, description="Or: the product of this license"),
        ],
        responses={200: s.LatestVersionResponseSerializer, **errors(400, 401, 403, 404)},
        description="The release offered as latest for the product. " + SIGNED,
    )
    def get(self, request):
        product = resolve_product(
            license_key=(request.query_params.get("license_key") or "").strip().upper() or None,
            product=(request.query_params.get("product") or "").strip() or None,
        )
        release = queries.latest_release(product)
        if release is None:
            raise NotFound(
                f"{product.name} has no published release yet",
                code="NO_RELEASE",
                details={"product": product.name},
            )
        return Response(
            s.LatestVersionResponseSerializer(
                {
                    "version": release.version,
                    "release_date": release.release_date,
                    "download_url": release.download_url,
                    "release_notes": release.release_notes,
                    "is_mandatory": release.is_mandatory,
                    "product": product.name,
                    "minimum_version": product.minimum_version,
                }
            ).data
        )
