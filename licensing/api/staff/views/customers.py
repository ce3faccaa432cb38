"""Customers: the Select2 search, a customer's licenses and quick statistics, and full REST."""

from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from licensing import staff_queries
from licensing.api.staff import serializers as s
from licensing.api.staff.filters import CustomerFilter
from licensing.models import Customer
from licensing.services import customers
from limon_site.api.schema import errors

TAGS = ["licensing staff: customers"]
SELECT2_PAGE_SIZE = 20


class CustomerOptionsView(APIView):
    """Search customers for a Select2-style picker (20 per page)."""

    @extend_schema(
        tags=TAGS,
        parameters=[
            OpenApiParameter("q", str, description="Name, e-mail or contact contains"),
            OpenApiParameter("page", int, description="Page number (default: 1)"),
        ],
        responses={200: s.CustomerOptionsSerializer, **errors(401, 403)},
    )
    def get(self, request):
        queryset = CustomerFilter(
            {"q": request.query_params.get("q", "")}, Customer.objects.order_by("name", "id")
        ).qs
        try:
            page_number = max(1, int(request.query_params.get("page", 1)))
        except ValueError:
            page_number = 1
        paginator = Paginator(queryset, SELECT2_PAGE_SIZE)
        if page_number > paginator.num_pages:
            return Response({"results": [], "pagination": {"more": False}})
        page = paginator.page(page_number)
        return Response(
            {
                "results": [{"id": c.pk, "text": c.text} for c in page.object_list],
                "pagination": {"more": page.has_next()},
            }
        )


class CustomerLicensesView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="A customer's licenses",
        responses={200: s.CustomerLicensesSerializer, **errors(401, 403, 404)},
    )
    def get(self, request, customer_id: int):
        customer = get_object_or_404(Customer, pk=customer_id)
        licenses = staff_queries.customer_licenses(customer)
        return Response(s.CustomerLicensesSerializer({"licenses": licenses}).data)


class CustomerQuickStatsView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="License and activation counts of a customer",
        description="`total_users` sums the max users of the customer's active licenses.",
        responses={200: s.QuickStatsSerializer, **errors(401, 403, 404)},
    )
    def get(self, request, customer_id: int):
        customer = get_object_or_404(Customer, pk=customer_id)
        return Response(staff_queries.customer_quick_stats(customer))


def _customers():
    return Customer.objects.annotate(license_count=Count("licenses")).order_by("name", "id")


@extend_schema_view(
    get=extend_schema(tags=TAGS, responses={200: s.CustomerSerializer, **errors(401, 403)}),
    post=extend_schema(tags=TAGS, responses={201: s.CustomerSerializer, **errors(400, 401, 403)}),
)
class CustomerListView(generics.ListCreateAPIView):
    queryset = Customer.objects.none()
    serializer_class = s.CustomerSerializer
    filterset_class = CustomerFilter

    def get_queryset(self):
        return _customers()

    def perform_create(self, serializer):
        customer = customers.create_customer(actor=self.request.user, **serializer.validated_data)
        serializer.instance = _customers().get(pk=customer.pk)


@extend_schema_view(
    get=extend_schema(tags=TAGS, responses={200: s.CustomerSerializer, **errors(401, 403, 404)}),
    put=extend_schema(
        tags=TAGS, responses={200: s.CustomerSerializer, **errors(400, 401, 403, 404)}
    ),
    patch=extend_schema(
        tags=TAGS, responses={200: s.CustomerSerializer, **errors(400, 401, 403, 404)}
    ),
    delete=extend_schema(
        tags=TAGS,
        description="409 `CUSTOMER_HAS_LICENSES` while the customer holds licenses.",
        responses={204: None, **errors(401, 403, 404, 409)},
    ),
)
class CustomerDetailView(generics.RetrieveUpdateDestroyAPIView):
    queryset = Customer.objects.none()
    serializer_class = s.CustomerSerializer

    def get_queryset(self):
        return _customers()

    def perform_update(self, serializer):
        customers.update_customer(
            customer=serializer.instance, actor=self.request.user, **serializer.validated_data
        )
        serializer.instance = _customers().get(pk=serializer.instance.pk)

    def perform_destroy(self, instance):
        customers.delete_customer(customer=instance, actor=self.request.user)
