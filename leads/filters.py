"""One filter for institutions, used by the API list, the overview page and the export, so
``?status=qualified&search=berlin`` means the same everywhere."""

import django_filters
from django.db.models import Q
from django.utils import timezone

from leads import queries
from leads.models import CLOSED_STATUSES, Institution, InstitutionType, PipelineStatus


class InstitutionFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_search", label="Search (name, city, contact name or e-mail)"
    )
    type = django_filters.ChoiceFilter(choices=InstitutionType.choices)
    status = django_filters.ChoiceFilter(choices=PipelineStatus.choices)
    owner = django_filters.CharFilter(field_name="owner__username", label="Owner (username)")
    owner_id = django_filters.NumberFilter(field_name="owner_id")
    country = django_filters.CharFilter(method="filter_country")
    tag = django_filters.CharFilter(method="filter_tag")
    follow_up_due = django_filters.BooleanFilter(
        method="filter_follow_up_due",
        label="Follow-up due (today or overdue, open leads only)",
    )
    follow_up_before = django_filters.DateFilter(field_name="next_follow_up", lookup_expr="lte")
    ordering = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("created_at", "created_at"),
            ("updated_at", "updated_at"),
            ("next_follow_up", "next_follow_up"),
            ("status", "status"),
            ("country", "country"),
        )
    )

    class Meta:
        model = Institution
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        return queries.search_institutions(queryset, value)

    def filter_country(self, queryset, name, value):
        return queryset.filter(country=value.strip().upper())

    def filter_tag(self, queryset, name, value):
        tag = value.strip().lower()
        if not tag:
            return queryset
        return queryset.filter(
            Q(tags=tag)
            | Q(tags__startswith=f"{tag},")
            | Q(tags__endswith=f",{tag}")
            | Q(tags__contains=f",{tag},")
        )

    def filter_follow_up_due(self, queryset, name, value):
        due = queryset.filter(next_follow_up__lte=timezone.localdate()).exclude(
            status__in=CLOSED_STATUSES
        )
        return due if value else queryset.exclude(pk__in=due.values("pk"))
