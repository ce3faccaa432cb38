"""Filters of the leads API lists other than institutions (those share ``leads.filters``)."""

import django_filters

from leads import queries
from leads.models import Activity, ActivityType, Contact, Note


class ContactFilter(django_filters.FilterSet):
    institution_id = django_filters.NumberFilter(field_name="institution_id")
    search = django_filters.CharFilter(method="filter_search", label="Name or e-mail")

    class Meta:
        model = Contact
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        return queryset.filter(pk__in=queries.search_contacts(value).values("pk"))


class NoteFilter(django_filters.FilterSet):
    institution_id = django_filters.NumberFilter(field_name="institution_id")
    contact_id = django_filters.NumberFilter(field_name="contact_id")
    include_deleted = django_filters.BooleanFilter(
        method="filter_include_deleted", label="Include soft-deleted notes"
    )

    class Meta:
        model = Note
        fields: list[str] = []

    def filter_include_deleted(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("include_deleted"):
            queryset = queryset.filter(deleted_at__isnull=True)
        return super().filter_queryset(queryset)


class ActivityFilter(django_filters.FilterSet):
    institution_id = django_filters.NumberFilter(field_name="institution_id")
    contact_id = django_filters.NumberFilter(field_name="contact_id")
    type = django_filters.ChoiceFilter(choices=ActivityType.choices)
    since = django_filters.IsoDateTimeFilter(field_name="occurred_at", lookup_expr="gte")
    until = django_filters.IsoDateTimeFilter(field_name="occurred_at", lookup_expr="lte")

    class Meta:
        model = Activity
        fields: list[str] = []
