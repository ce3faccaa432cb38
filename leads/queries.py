"""Read side of the CRM, shared by the API, the panel pages, the export and the global search."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.utils import timezone

from leads import conf
from leads.models import (
    CLOSED_STATUSES,
    Activity,
    Contact,
    ContactDetail,
    DetailType,
    Institution,
    InstitutionType,
    Note,
    PipelineStatus,
)


def institutions() -> QuerySet[Institution]:
    """Institutions with ``contact_count`` and their owner, as every list shows them."""
    return (
        Institution.objects.select_related("owner")
        .annotate(contact_count=Count("contacts", distinct=True))
        .order_by("name", "country", "id")
    )


def search_institutions(queryset: QuerySet[Institution], term: str) -> QuerySet[Institution]:
    """Match the name, the city, a contact's name or a contact's e-mail (case-insensitive)."""
    term = term.strip()
    if not term:
        return queryset
    contacts = Contact.objects.annotate(
        joined_name=Concat("first_name", Value(" "), "last_name")
    ).filter(
        Q(joined_name__icontains=term)
        | Q(first_name__icontains=term)
        | Q(last_name__icontains=term),
        institution=OuterRef("pk"),
    )
    emails = ContactDetail.objects.filter(
        contact__institution=OuterRef("pk"), type=DetailType.EMAIL, value__icontains=term
    )
    return queryset.filter(
        Q(name__icontains=term) | Q(city__icontains=term) | Exists(contacts) | Exists(emails)
    )


def search_contacts(term: str) -> QuerySet[Contact]:
    term = term.strip()
    emails = ContactDetail.objects.filter(
        contact=OuterRef("pk"), type=DetailType.EMAIL, value__icontains=term
    )
    return (
        Contact.objects.select_related("institution")
        .annotate(joined_name=Concat("first_name", Value(" "), "last_name"))
        .filter(
            Q(joined_name__icontains=term)
            | Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
            | Exists(emails)
        )
    )


def contacts_with_details() -> QuerySet[Contact]:
    return Contact.objects.select_related("institution").prefetch_related("details")


def contact_notes(contact: Contact) -> QuerySet[Note]:
    return Note.objects.live().filter(contact=contact)


def institution_notes(institution: Institution) -> QuerySet[Note]:
    return Note.objects.live().filter(institution=institution).prefetch_related("versions")


def timeline(institution: Institution, *, limit: int = 100) -> QuerySet[Activity]:
    return Activity.objects.filter(institution=institution).select_related("contact")[:limit]


def _percent(part: int, whole: int) -> float:
    """A percentage with one decimal, rounded half up (12.25 → 12.3)."""
    if not whole:
        return 0.0
    value = Decimal(part * 100) / Decimal(whole)
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _counts(field: str, choices: list[str]) -> dict[str, int]:
    counts = dict.fromkeys(choices, 0)
    for row in Institution.objects.values(field).annotate(n=Count("id")).order_by():
        counts[row[field]] = row["n"]
    return counts


def lead_stats(*, now=None) -> dict[str, Any]:
    """``conversion_rate`` = won ÷ (won + lost), in percent with one decimal; 0.0 while nothing
    is closed. ``recent_activities`` counts activities of the last ``recent_activity_days``."""
    now = now or timezone.now()
    days = conf.get()["recent_activity_days"]
    by_status = _counts("status", PipelineStatus.values)
    won, lost = by_status[PipelineStatus.WON], by_status[PipelineStatus.LOST]
    return {
        "total_institutions": sum(by_status.values()),
        "total_contacts": Contact.objects.count(),
        "recent_activities": Activity.objects.filter(
            occurred_at__gte=now - timedelta(days=days), occurred_at__lte=now
        ).count(),
        "recent_activity_days": days,
        "conversion_rate": _percent(won, won + lost),
        "by_type": _counts("type", InstitutionType.values),
        "by_status": by_status,
    }


def end_of_week(today: date) -> date:
    """The Sunday closing ``today``'s week."""
    return today + timedelta(days=6 - today.weekday())


def follow_ups_due(*, today: date | None = None, until: date | None = None) -> QuerySet:
    """Open leads whose next follow-up is due by ``until`` (default: the end of this week),
    overdue ones included, soonest first."""
    today = today or timezone.localdate()
    until = until or end_of_week(today)
    return (
        Institution.objects.select_related("owner")
        .exclude(status__in=CLOSED_STATUSES)
        .filter(next_follow_up__lte=until)
        .order_by("next_follow_up", "name")
    )


def export_rows_queryset(queryset: QuerySet[Institution]) -> QuerySet[Institution]:
    """What the export needs, in as few queries as possible per chunk."""
    return queryset.select_related("owner").prefetch_related(
        Prefetch(
            "contacts",
            queryset=Contact.objects.order_by("-is_primary", "id").prefetch_related(
                Prefetch("details", queryset=ContactDetail.objects.order_by("id"))
            ),
        )
    )
