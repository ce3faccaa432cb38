"""Global search providers: the platform's ``/api/global-search`` and the panel's header search
ask these for institutions and contacts."""

from django.urls import reverse

from leads import queries
from leads.models import DetailType
from limon_site.registry import SearchResult


def institutions(query: str, limit: int) -> list[SearchResult]:
    found = queries.search_institutions(queries.institutions(), query).order_by("name")[:limit]
    return [
        SearchResult(
            type="institution",
            id=institution.pk,
            title=institution.name,
            subtitle=" · ".join(
                part for part in (institution.city, institution.country, institution.status) if part
            ),
            url=reverse("leads:detail", args=[institution.pk]),
        )
        for institution in found
    ]


def contacts(query: str, limit: int) -> list[SearchResult]:
    found = (
        queries.search_contacts(query)
        .prefetch_related("details")
        .order_by("last_name", "first_name")[:limit]
    )
    results = []
    for contact in found:
        email = next((d.value for d in contact.details.all() if d.type == DetailType.EMAIL), "")
        results.append(
            SearchResult(
                type="contact",
                id=contact.pk,
                title=contact.full_name,
                subtitle=" · ".join(p for p in (contact.institution.name, email) if p),
                url=reverse("leads:contact", args=[contact.pk]),
            )
        )
    return results
