"""FilterSets of the monitoring configuration lists, shared by the admin API and the panel
pages so that ``?site=3&is_active=true`` means the same in both."""

import django_filters
from django.db.models import Q

from monitoring.models import (
    Application,
    ChangeType,
    Deployment,
    DeploymentScope,
    Environment,
    FeatureMapping,
    InventoryChange,
    LicenseServer,
    MatchType,
    ServerKind,
    ServerStatus,
    Session,
    SessionStatus,
    Site,
)


class _SearchFilterSet(django_filters.FilterSet):
    """``q``: case-insensitive substring over ``search_fields``."""

    search_fields: tuple[str, ...] = ()
    q = django_filters.CharFilter(method="_search", label="Search")

    def _search(self, queryset, name, value):
        query = Q()
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": value})
        return queryset.filter(query)


class SiteFilter(_SearchFilterSet):
    search_fields = ("name", "code", "location")
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Site
        fields = ["name", "code"]


class _InServiceWidget(django_filters.widgets.BooleanWidget):
    """``is_active`` as the panel says it; the query string stays ``true``/``false``."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", "Any"), ("true", "In service"), ("false", "Decommissioned"))


class ServerFilter(_SearchFilterSet):
    search_fields = ("name", "address", "description")
    name = django_filters.CharFilter(lookup_expr="icontains")
    address = django_filters.CharFilter(lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(choices=ServerKind.choices, empty_label="Any")
    status = django_filters.ChoiceFilter(choices=ServerStatus.choices, empty_label="Any")
    site = django_filters.ModelChoiceFilter(queryset=Site.objects.all(), empty_label="Any")
    is_active = django_filters.BooleanFilter(
        label="In service",
        widget=_InServiceWidget(),
        help_text="true: polled; false: decommissioned",
    )
    #: The public API's names (seed contract) for ``kind`` and ``q``; the panel's form, which
    #: already shows those, leaves them out (``API_ALIASES``).
    type = django_filters.ChoiceFilter(field_name="kind", choices=ServerKind.choices)
    search = django_filters.CharFilter(method="_search", label="Search")
    API_ALIASES = ("type", "search")

    class Meta:
        model = LicenseServer
        fields = ["name", "address", "kind", "status", "site", "is_active"]


class ApplicationFilter(_SearchFilterSet):
    search_fields = ("name", "vendor", "category", "description")
    name = django_filters.CharFilter(lookup_expr="icontains")
    vendor = django_filters.CharFilter(lookup_expr="iexact")
    category = django_filters.CharFilter(lookup_expr="iexact")
    server = django_filters.ModelChoiceFilter(
        field_name="deployments__server",
        queryset=LicenseServer.objects.all(),
        label="Deployed on server",
        distinct=True,
    )

    class Meta:
        model = Application
        fields = ["name", "vendor", "category", "is_critical", "server"]


class DeploymentFilter(django_filters.FilterSet):
    site = django_filters.ModelChoiceFilter(field_name="server__site", queryset=Site.objects.all())
    scope = django_filters.ChoiceFilter(choices=DeploymentScope.choices)
    environment = django_filters.ChoiceFilter(choices=Environment.choices)

    class Meta:
        model = Deployment
        fields = ["application", "server", "site", "scope", "environment"]


class FeatureMappingFilter(_SearchFilterSet):
    search_fields = ("pattern", "display_name")
    match_type = django_filters.ChoiceFilter(choices=MatchType.choices)
    is_global = django_filters.BooleanFilter(
        field_name="server", lookup_expr="isnull", label="Applies to every server"
    )

    class Meta:
        model = FeatureMapping
        fields = ["match_type", "application", "server", "is_global"]


class InventoryChangeFilter(django_filters.FilterSet):
    """``from`` / ``to`` bound ``changed_at`` (inclusive; a date or an ISO date-time)."""

    change_type = django_filters.ChoiceFilter(choices=ChangeType.choices)
    feature_name = django_filters.CharFilter(lookup_expr="iexact")
    site = django_filters.ModelChoiceFilter(field_name="server__site", queryset=Site.objects.all())

    class Meta:
        model = InventoryChange
        fields = ["server", "feature", "feature_name", "change_type", "site"]


# ``from`` is a Python keyword, so these two are added by name rather than declared.
InventoryChangeFilter.base_filters["from"] = django_filters.DateTimeFilter(
    field_name="changed_at", lookup_expr="gte", label="Changed at or after"
)
InventoryChangeFilter.base_filters["to"] = django_filters.DateTimeFilter(
    field_name="changed_at", lookup_expr="lte", label="Changed at or before"
)


class SessionFilter(django_filters.FilterSet):
    """The universal session query. ``from`` / ``to`` keep sessions that overlap the range
    (started before ``to``, not ended before ``from``); ``ordering`` defaults to newest first."""

    status = django_filters.ChoiceFilter(choices=SessionStatus.choices)
    server_id = django_filters.NumberFilter(field_name="server_id")
    feature = django_filters.CharFilter(field_name="feature__name", lookup_expr="iexact")
    user = django_filters.CharFilter(field_name="user__username", lookup_expr="iexact")
    ordering = django_filters.OrderingFilter(
        fields=(("started_at", "started_at"), ("ended_at", "ended_at"), ("licenses", "licenses"))
    )

    class Meta:
        model = Session
        fields = ["status", "server_id", "feature", "user"]

    def _overlaps_from(self, queryset, name, value):
        return queryset.filter(Q(ended_at__isnull=True) | Q(ended_at__gte=value))


SessionFilter.base_filters["from"] = django_filters.IsoDateTimeFilter(
    method="_overlaps_from", label="Held at or after (ISO 8601)"
)
SessionFilter.base_filters["to"] = django_filters.IsoDateTimeFilter(
    field_name="started_at", lookup_expr="lt", label="Started before (ISO 8601)"
)
