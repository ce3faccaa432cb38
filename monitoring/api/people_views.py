"""The people part of the read API: users, departments, usage per group and chargeback.

Public while ``LIMON_PUBLIC_READ`` is on (``api_scope = "monitoring_read"``). Figures come from
``monitoring.queries_people`` (the daily rollup); lists are paginated and run a fixed number of
queries whatever the page size. Periods are whole local days, ``from`` and ``to`` included.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.response import Response

from limon_site.api.schema import errors
from monitoring.api import people_serializers as ps
from monitoring.api.filters_people import (
    ChargebackQuerySerializer,
    DepartmentFilter,
    PeriodQuerySerializer,
    UsageQuerySerializer,
    UserFilter,
    window_days,
)
from monitoring.models import Department, LicenseUser
from monitoring.queries_chargeback import chargeback
from monitoring.queries_people import (
    department_activity,
    department_users,
    departments_overview,
    user_activity,
    users_overview,
)
from monitoring.queries_usage import usage
from monitoring.usage_period import NO_DEPARTMENT

TAGS = ["Monitoring data"]
USERNAME = OpenApiParameter("username", str, OpenApiParameter.PATH, description="Login name")
DEPARTMENT = OpenApiParameter(
    "name", str, OpenApiParameter.PATH, description="Department name; '(none)' for no department"
)


class _ReadView(generics.GenericAPIView):
    api_scope = "monitoring_read"


def _period(request, serializer_class=PeriodQuerySerializer) -> dict:
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


def _user(username: str) -> LicenseUser:
    user = LicenseUser.objects.filter(username=username).first()
    if user is None:
        raise Http404
    return user


def _department(name: str) -> str:
    if name != NO_DEPARTMENT and not Department.objects.filter(name=name).exists():
        raise Http404
    return name


class _UserList(_ReadView, generics.ListAPIView):
    serializer_class = ps.UserSerializer
    filterset_class = UserFilter

    def get_queryset(self):
        return users_overview(window_days(self.request.query_params))

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "window_days": window_days(self.request.query_params),
        }


@extend_schema_view(
    get=extend_schema(tags=TAGS, responses={200: ps.UserSerializer(many=True), **errors(400, 401)})
)
class UserListView(_UserList):
    """Users with department, directory fields (title, office, manager when synced), source,
    first / last seen, last synced, and over the last ``days`` days (30 by default) sessions
    and license-hours; sessions held now. Filters: ``q``, ``department`` (name or id,
    ``(none)``), ``source``, ``days`` (seen in the last N days), ``ordering`` (``username``,
    ``last_seen_at``, ``first_seen_at``, ``sessions``, ``license_hours``)."""


class UserDetailView(_ReadView):
    """One user's profile: department, directory fields, last seen, last synced and the
    figures of the last ``days`` days (30 by default)."""

    serializer_class = ps.UserSerializer

    @extend_schema(
        tags=TAGS,
        parameters=[USERNAME, OpenApiParameter("days", int, description="Window (default 30)")],
        responses={200: ps.UserSerializer, **errors(401, 404)},
    )
    def get(self, request, username: str):
        days = _period(request).get("days") or window_days({})
        user = users_overview(days).filter(username=username).first()
        if user is None:
            raise Http404
        context = {**self.get_serializer_context(), "window_days": days}
        return Response(ps.UserSerializer(user, context=context).data)


class UserActivityView(_ReadView):
    """Stats (sessions, license-hours, distinct features, days active), top features by
    license-hours, days since last use per feature, one point per day and the 20 latest
    sessions of a user over ``from`` … ``to`` (default the last ``days``, 30, days)."""

    serializer_class = ps.UserActivitySerializer

    @extend_schema(
        tags=TAGS,
        parameters=[USERNAME, PeriodQuerySerializer],
        responses={200: ps.UserActivitySerializer, **errors(400, 401, 404)},
    )
    def get(self, request, username: str):
        user = _user(username)
        period = _period(request)["period"]
        return Response(ps.UserActivitySerializer(user_activity(user, period)).data)


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        parameters=[PeriodQuerySerializer],
        responses={200: ps.DepartmentSerializer(many=True), **errors(400, 401)},
    )
)
class DepartmentListView(_ReadView, generics.ListAPIView):
    """Departments by name, then ``(none)`` (users without a department), with users, active
    users, sessions, license-hours, share of all license-hours (percent) and chargeback
    amount over ``from`` … ``to`` (default the last 30 days). Filter: ``q``."""

    serializer_class = ps.DepartmentSerializer
    filterset_class = DepartmentFilter

    def get_queryset(self):
        return Department.objects.order_by("name")

    def list(self, request, *args, **kwargs):
        departments = self.filter_queryset(self.get_queryset())
        period = _period(request)["period"]
        q = request.query_params.get("q", "").lower()
        rows = departments_overview(period, departments, include_none=q in NO_DEPARTMENT)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(ps.DepartmentSerializer(page, many=True).data)


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        parameters=[DEPARTMENT],
        responses={200: ps.UserSerializer(many=True), **errors(400, 401, 404)},
    )
)
class DepartmentUsersView(_UserList):
    """The department's users (``(none)``: users without one), as ``/users`` with its
    filters."""

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return LicenseUser.objects.none()
        name = _department(self.kwargs["name"])
        return super().get_queryset().filter(department_users(name))


class DepartmentActivityView(_ReadView):
    """A department's daily series (sessions, license-hours, distinct users), top features
    and top users over ``from`` … ``to`` (default the last 30 days)."""

    serializer_class = ps.DepartmentActivitySerializer

    @extend_schema(
        tags=TAGS,
        parameters=[DEPARTMENT, PeriodQuerySerializer],
        responses={200: ps.DepartmentActivitySerializer, **errors(400, 401, 404)},
    )
    def get(self, request, name: str):
        name = _department(name)
        period = _period(request)["period"]
        return Response(ps.DepartmentActivitySerializer(department_activity(name, period)).data)


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        parameters=[UsageQuerySerializer],
        responses={200: ps.UsageRowSerializer(many=True), **errors(400, 401)},
    )
)
class UsageView(_ReadView, generics.ListAPIView):
    """Sessions, license-hours, distinct users and peak concurrency per ``group_by`` group
    (``feature``, ``user``, ``server``, ``day``) over ``from`` … ``to`` (whole local days),
    most license-hours first (days in date order). Peak: a feature's highest hourly peak; a
    user's most seats of one feature held at once; for a server or a day, the peak of its
    busiest feature."""

    serializer_class = ps.UsageRowSerializer
    filter_backends: list = []

    def list(self, request, *args, **kwargs):
        values = _period(request, UsageQuerySerializer)
        page = self.paginate_queryset(usage(values["group_by"], values["period"]))
        return self.get_paginated_response(ps.UsageRowSerializer(page, many=True).data)


class ChargebackView(_ReadView):
    """Each department's share of license-hours over ``from`` … ``to`` and what it costs:
    with ``application_id``, of the application's keystone features and its cost (each
    deployment's annual cost, else cost per seat * seats, prorated to the period); without,
    of every feature, the amount summing every application's chargeback."""

    serializer_class = ps.ChargebackSerializer

    @extend_schema(
        tags=TAGS,
        parameters=[ChargebackQuerySerializer],
        responses={200: ps.ChargebackSerializer, **errors(400, 401)},
    )
    def get(self, request):
        values = _period(request, ChargebackQuerySerializer)
        result = chargeback(values["period"], values.get("application_id"))
        return Response(ps.ChargebackSerializer(result).data)
