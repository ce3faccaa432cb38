"""Filters of the people endpoints (users, departments, usage, chargeback), shared by the API
and the panel pages so that ``?department=R%26D&days=30`` means the same in both. A bad value
is a 400 naming the field (FilterSets through DjangoFilterBackend, query serializers through
``is_valid(raise_exception=True)``)."""

from __future__ import annotations

from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from monitoring.models import Application, Department, LicenseUser, UserSource
from monitoring.queries_usage import USAGE_GROUPS
from monitoring.usage_period import DEFAULT_DAYS, NO_DEPARTMENT, Period

#: The longest period a query may span, in days.
MAX_DAYS = 3660


@extend_schema_field(OpenApiTypes.INT)
class _IntegerFilter(django_filters.Filter):
    field_class = forms.IntegerField


class UserFilter(django_filters.FilterSet):
    """``q``: username, display name or e-mail contains; ``department``: a department's name
    or id, ``(none)`` for users without one; ``source``; ``days``: seen in the last N days
    (also the window of the ``sessions`` and ``license_hours`` figures, 30 by default)."""

    q = django_filters.CharFilter(method="_search", label="Search")
    department = django_filters.CharFilter(method="_department", label="Department")
    source = django_filters.ChoiceFilter(choices=UserSource.choices, empty_label="Any")
    days = _IntegerFilter(
        method="_seen_within", label="Seen in the last N days", min_value=1, max_value=MAX_DAYS
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("username", "username"),
            ("last_seen_at", "last_seen_at"),
            ("first_seen_at", "first_seen_at"),
            ("period_sessions", "sessions"),
            ("license_seconds", "license_hours"),
        )
    )

    class Meta:
        model = LicenseUser
        fields = ["q", "department", "source", "days"]

    def _search(self, queryset, name, value):
        return queryset.filter(
            Q(username__icontains=value)
            | Q(display_name__icontains=value)
            | Q(email__icontains=value)
        )

    def _department(self, queryset, name, value):
        if value == NO_DEPARTMENT:
            return queryset.filter(department__isnull=True)
        match = Q(department__name__iexact=value)
        if value.isdigit():
            match |= Q(department_id=int(value))
        return queryset.filter(match)

    def _seen_within(self, queryset, name, value):
        return queryset.filter(last_seen_at__gte=timezone.now() - timedelta(days=value))


def window_days(params) -> int:
    """The ``days`` of a users query as a window for its figures (30 when absent or bad: a
    bad value is reported by the FilterSet)."""
    value = params.get("days", "")
    return int(value) if value.isdigit() and 0 < int(value) <= MAX_DAYS else DEFAULT_DAYS


class DepartmentFilter(django_filters.FilterSet):
    """``q``: name or cost center contains."""

    q = django_filters.CharFilter(method="_search", label="Search")

    class Meta:
        model = Department
        fields = ["q"]

    def _search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(cost_center__icontains=value))


class PeriodQuerySerializer(serializers.Serializer):
    """Whole local days ``from`` … ``to`` (both included). ``to`` defaults to today, ``from``
    to ``days`` (30) days before ``to``."""

    to = serializers.DateField(required=False, help_text="Last local day (default today)")
    days = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_DAYS, help_text="Length when no 'from'"
    )

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField(required=False, help_text="First local day")
        return fields

    def validate(self, attrs):
        if attrs.get("from") and attrs.get("to") and attrs["from"] > attrs["to"]:
            raise serializers.ValidationError({"to": ["Must not be before 'from'."]})
        period = Period.of(attrs.get("from"), attrs.get("to"), attrs.get("days"))
        if period.first > period.last:
            raise serializers.ValidationError({"from": ["Must not be after 'to'."]})
        if period.days > MAX_DAYS:
            raise serializers.ValidationError({"from": [f"At most {MAX_DAYS} days."]})
        attrs["period"] = period
        return attrs


class UsageQuerySerializer(PeriodQuerySerializer):
    group_by = serializers.ChoiceField(choices=list(USAGE_GROUPS), default="feature")


class ChargebackQuerySerializer(PeriodQuerySerializer):
    application_id = serializers.PrimaryKeyRelatedField(
        queryset=Application.objects.all(),
        required=False,
        allow_null=True,
        help_text="Charge this application (its keystone features); default every one",
    )


def period_from(params, serializer_class=PeriodQuerySerializer):
    """``(validated values, errors)`` of a query serializer for a panel page; on errors the
    values hold the default period so the page still renders."""
    query = serializer_class(data=params)
    if query.is_valid():
        return query.validated_data, {}
    fallback = serializer_class(data={})
    fallback.is_valid()
    return fallback.validated_data, query.errors
