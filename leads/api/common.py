"""Bits every leads API view shares."""

from django.db.models import Model, QuerySet

from limon_site.errors import NotFound

TAGS = ["leads"]


def get_or_404(source: type[Model] | QuerySet, pk, queryset: QuerySet | None = None):
    """The object, or the 404 envelope naming what was not found. ``source`` is a model or a
    queryset."""
    if queryset is None:
        queryset = source if isinstance(source, QuerySet) else source.objects.all()
    found = queryset.filter(pk=pk).first()
    if found is None:
        label = str(queryset.model._meta.verbose_name)
        raise NotFound(f"{label.capitalize()} {pk} not found", details={"id": pk})
    return found
