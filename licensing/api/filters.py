import django_filters

from licensing.models import Product, Release


class ProductFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Product
        fields = ["name", "is_active", "single_session"]


class ReleaseFilter(django_filters.FilterSet):
    class Meta:
        model = Release
        fields = ["product", "is_mandatory"]
