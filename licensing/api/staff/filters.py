"""One FilterSet per list, shared by the REST list endpoints and the panel's list pages, so
``?status=active&expiring_within=30`` means the same in both."""

import django_filters
from django.db.models import Q

from licensing.models import (
    Anomaly,
    AnomalyType,
    Customer,
    License,
    LicenseType,
    Product,
    Resource,
    ResourceStatus,
    ResourceType,
)

LICENSE_STATUSES = [
    ("active", "Active"),
    ("inactive", "Inactive"),
    ("expired", "Expired"),
    ("pending", "Not yet valid"),
]


class CustomerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Search")

    class Meta:
        model = Customer
        fields = ["q"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(email__icontains=value)
            | Q(contact_name__icontains=value)
            | Q(phone__icontains=value)
        )


class LicenseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Key or customer")
    customer = django_filters.ModelChoiceFilter(queryset=Customer.objects.all(), empty_label="Any")
    product = django_filters.ModelChoiceFilter(queryset=Product.objects.all(), empty_label="Any")
    status = django_filters.ChoiceFilter(
        choices=LICENSE_STATUSES, method="filter_status", empty_label="Any"
    )
    type = django_filters.ChoiceFilter(choices=LicenseType.choices, empty_label="Any")
    expiring_within = django_filters.NumberFilter(
        method="filter_expiring", label="Expiring within (days)", min_value=0
    )

    class Meta:
        model = License
        fields = ["q", "customer", "product", "status", "type", "expiring_within"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(key__icontains=value) | Q(customer__name__icontains=value) | Q(notes__icontains=value)
        )

    def filter_status(self, queryset, name, value):
        return queryset.with_status(value) if value else queryset

    def filter_expiring(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.expiring_within(int(value))


class ResourceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="identifier", lookup_expr="icontains", label="Search")
    type = django_filters.ChoiceFilter(choices=ResourceType.choices, empty_label="Any")
    status = django_filters.ChoiceFilter(choices=ResourceStatus.choices, empty_label="Any")
    license = django_filters.NumberFilter(field_name="license_id")

    class Meta:
        model = Resource
        fields = ["q", "type", "status", "license"]


class AnomalyFilter(django_filters.FilterSet):
    type = django_filters.ChoiceFilter(choices=AnomalyType.choices, empty_label="Any")
    resolved = django_filters.BooleanFilter()
    license = django_filters.NumberFilter(field_name="license_id")

    class Meta:
        model = Anomaly
        fields = ["type", "resolved", "license"]
