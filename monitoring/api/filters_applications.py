"""The applications FilterSet of ``/api/v1/applications`` and the applications panel page:
:class:`~monitoring.api.filters.ApplicationFilter` with a strict ``is_critical`` (``true`` or
``false``; anything else is 400 naming the field instead of being ignored)."""

import django_filters

from monitoring.api.filters import ApplicationFilter

BOOLEAN_CHOICES = (("true", "Yes"), ("false", "No"))


class ApplicationMetricsFilter(ApplicationFilter):
    is_critical = django_filters.ChoiceFilter(
        choices=BOOLEAN_CHOICES, method="_is_critical", label="Critical", empty_label="Any"
    )

    def _is_critical(self, queryset, name, value):
        return queryset.filter(is_critical=value == "true")
