"""Planning an import: validate every row and work out, against the database, what it would
create or change. The preview shows a plan; confirming computes it again and applies it.

Matching (what makes a re-run create nothing): an institution by name (case-insensitive) and
country; a contact by first + last name (case-insensitive) within its institution; a detail by
type + normalised value within its contact. Empty cells never clear stored values.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model

from leads import validation
from leads.importers.columns import DETAIL_COLUMNS, TRUE_WORDS, decode_details
from leads.models import Contact, ContactDetail, Institution, InstitutionType, PipelineStatus

Key = tuple[str, str]
INSTITUTION_FIELDS = (
    "type",
    "status",
    "city",
    "website",
    "source",
    "owner",
    "next_follow_up",
    "tags",
)
CHUNK = 500


@dataclass
class RowResult:
    line: int
    name: str
    country: str
    contact: str
    outcome: str = "unchanged"  # new | updated | unchanged | invalid
    reasons: list[str] = field(default_factory=list)


@dataclass
class PlannedContact:
    contact: Contact
    is_new: bool
    changed_fields: set[str] = field(default_factory=set)
    make_primary: bool = False
    new_details: list[ContactDetail] = field(default_factory=list)
    relabelled: list[ContactDetail] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    line: int = 0


@dataclass
class PlannedInstitution:
    institution: Institution
    is_new: bool
    changed_fields: set[str] = field(default_factory=set)
    old_status: str = ""
    values: dict[str, tuple[Any, int]] = field(default_factory=dict)  # field → (value, line)
    contacts: dict[tuple[str, str], PlannedContact] = field(default_factory=dict)
    had_contacts: bool = False
    had_primary: bool = False


@dataclass
class Plan:
    rows: list[RowResult]
    institutions: dict[Key, PlannedInstitution]

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def is_valid(self) -> bool:
        return not any(row.outcome == "invalid" for row in self.rows)

    def summary(self) -> dict[str, int]:
        return {
            outcome: self.count(outcome) for outcome in ("new", "updated", "unchanged", "invalid")
        }


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date (use YYYY-MM-DD)") from None


class _RowParser:
    """Turns one row's cells into clean institution, contact and detail values."""

    def __init__(self, owners: dict[str, Any], default_region: str):
        self.owners = owners
        self.default_region = default_region

    def institution_values(self, row: dict[str, str], errors: list[str]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for column in INSTITUTION_FIELDS:
            text = row.get(column, "")
            if not text:
                continue
            try:
                values[column] = self._institution_value(column, text)
            except ValueError as exc:
                errors.append(f"{column}: {exc}")
        return values

    def _institution_value(self, column: str, text: str) -> Any:
        if column == "type":
            text = text.lower()
            if text not in InstitutionType.values:
                raise ValueError(f"must be one of {', '.join(InstitutionType.values)}")
            return text
        if column == "status":
            text = text.lower()
            if text not in PipelineStatus.values:
                raise ValueError(f"must be one of {', '.join(PipelineStatus.values)}")
            return text
        if column == "website":
            return validation.normalise_website(text)
        if column == "owner":
            owner = self.owners.get(text.lower())
            if owner is None:
                raise ValueError(f"no staff member is called {text!r}")
            return owner
        if column == "next_follow_up":
            return _parse_date(text)
        if column == "tags":
            return validation.normalise_tags(text)
        return validation.clean_text(text)

    def contact_values(self, row: dict[str, str], errors: list[str]) -> dict[str, Any] | None:
        first = validation.clean_text(row.get("first_name", ""))
        last = validation.clean_text(row.get("last_name", ""))
        position = validation.clean_text(row.get("position", ""))
        primary = row.get("primary", "").strip().lower() in TRUE_WORDS
        has_details = any(row.get(column) for column in DETAIL_COLUMNS)
        if not (first or last):
            if has_details or position or primary:
                errors.append("contact details need a first_name or last_name")
            return None
        return {"first_name": first, "last_name": last, "position": position, "primary": primary}

    def details(self, row: dict[str, str], region: str, errors: list[str]) -> list[tuple]:
        found = []
        for column, detail_type in DETAIL_COLUMNS.items():
            for value, label in decode_details(row.get(column, "")):
                try:
                    clean = validation.normalise_detail(
                        detail_type, value, region=region or self.default_region
                    )
                except ValueError as exc:
                    errors.append(f"{column}: {exc}")
                    continue
                found.append((detail_type, clean, validation.clean_text(label)[:100]))
        return found


def plan_import(rows: list[dict[str, str]], *, default_region: str = "", lock=False) -> Plan:
    """Validate ``rows`` (``{column: text}``, line 2 onwards) and plan their effect."""
    owners = {
        user.get_username().lower(): user
        for user in get_user_model().objects.filter(is_staff=True, is_active=True)
    }
    parser = _RowParser(owners, default_region)
    existing_ids = {
        validation.name_key(name, country): pk
        for pk, name, country in Institution.objects.values_list("id", "name", "country")
    }
    parsed = []
    for index, row in enumerate(rows):
        line = index + 2
        errors: list[str] = []
        name = validation.clean_text(row.get("name", ""))
        try:
            country = validation.normalise_country(row.get("country", ""))
        except ValueError as exc:
            errors.append(f"country: {exc}")
            country = ""
        if not name:
            errors.append("name: an institution name is required")
        values = parser.institution_values(row, errors)
        contact = parser.contact_values(row, errors)
        details = parser.details(row, country, errors) if contact else []
        result = RowResult(
            line=line,
            name=name,
            country=country,
            contact=f"{contact['first_name']} {contact['last_name']}".strip() if contact else "",
        )
        parsed.append((result, name, country, values, contact, details, errors))

    wanted = {validation.name_key(p[1], p[2]) for p in parsed if p[1]}
    matched_ids = [existing_ids[key] for key in wanted if key in existing_ids]
    stored = _load_existing(matched_ids, lock=lock)
    plan = Plan(rows=[p[0] for p in parsed], institutions={})
    for result, name, country, values, contact, details, errors in parsed:
        if errors:
            result.outcome, result.reasons = "invalid", errors
            continue
        key = validation.name_key(name, country)
        target = plan.institutions.get(key)
        if target is None:
            target = _start_institution(key, name, country, existing_ids, stored)
            plan.institutions[key] = target
            if target.is_new:
                result.reasons.append("new institution")
        _merge_institution_values(target, values, result)
        if contact and result.outcome != "invalid":
            _merge_contact(target, contact, details, result, stored)
        if result.outcome != "invalid":
            creates = ("new institution", "new contact")
            if any(reason.startswith(creates) for reason in result.reasons):
                result.outcome = "new"
            elif result.reasons:
                result.outcome = "updated"
    return plan


@dataclass
class _Stored:
    institutions: dict[int, Institution]
    contacts: dict[int, list[Contact]]
    details: dict[int, list[ContactDetail]]


def _load_existing(ids: list[int], *, lock: bool) -> _Stored:
    institutions: dict[int, Institution] = {}
    contacts: dict[int, list[Contact]] = defaultdict(list)
    details: dict[int, list[ContactDetail]] = defaultdict(list)
    base = Institution.objects.select_for_update() if lock else Institution.objects
    for chunk in _chunks(ids):
        institutions.update({obj.pk: obj for obj in base.filter(pk__in=chunk)})
        for contact in Contact.objects.filter(institution_id__in=chunk).order_by("id"):
            contacts[contact.institution_id].append(contact)
    contact_ids = [c.pk for group in contacts.values() for c in group]
    for chunk in _chunks(contact_ids):
        for detail in ContactDetail.objects.filter(contact_id__in=chunk).order_by("id"):
            details[detail.contact_id].append(detail)
    return _Stored(institutions, contacts, details)


def _start_institution(key, name, country, existing_ids, stored: _Stored) -> PlannedInstitution:
    pk = existing_ids.get(key)
    if pk is None or pk not in stored.institutions:
        return PlannedInstitution(
            institution=Institution(name=name, country=country),
            is_new=True,
            old_status=PipelineStatus.NEW,
        )
    institution = stored.institutions[pk]
    planned = PlannedInstitution(
        institution=institution, is_new=False, old_status=institution.status
    )
    for contact in stored.contacts.get(pk, []):
        planned.had_contacts = True
        planned.had_primary = planned.had_primary or contact.is_primary
        contact_key = (contact.first_name.lower(), contact.last_name.lower())
        planned.contacts.setdefault(contact_key, PlannedContact(contact=contact, is_new=False))
    return planned


def _merge_institution_values(target: PlannedInstitution, values: dict, result: RowResult):
    institution = target.institution
    conflicts = []
    for key, value in values.items():
        if key in target.values:
            first_value, first_line = target.values[key]
            if first_value != value:
                conflicts.append(f"{key}: {_show(value)} differs from line {first_line}")
            continue
        target.values[key] = (value, result.line)
        current = institution.owner if key == "owner" else getattr(institution, key)
        if current != value:
            if not target.is_new:
                result.reasons.append(f"{key}: {_show(current)} → {_show(value)}")
            setattr(institution, key, value)
            target.changed_fields.add(key)
    if conflicts:
        result.outcome, result.reasons = "invalid", conflicts


def _show(value: Any) -> str:
    if value in (None, ""):
        return "—"
    if hasattr(value, "get_username"):
        return value.get_username()
    return str(value)


def _merge_contact(target, contact_values, details, result: RowResult, stored: _Stored):
    contact_key = (contact_values["first_name"].lower(), contact_values["last_name"].lower())
    planned = target.contacts.get(contact_key)
    if planned is None:
        contact = Contact(
            institution=target.institution,
            first_name=contact_values["first_name"],
            last_name=contact_values["last_name"],
            position=contact_values["position"],
        )
        planned = PlannedContact(contact=contact, is_new=True, values={}, line=result.line)
        target.contacts[contact_key] = planned
        result.reasons.append(f"new contact {result.contact}")
    elif planned.line and planned.line != result.line and planned.values:
        previous = planned.values
        if contact_values["position"] and previous.get("position") not in (
            "",
            None,
            contact_values["position"],
        ):
            result.outcome = "invalid"
            result.reasons = [f"position differs from line {planned.line} for the same contact"]
            return
    contact = planned.contact
    if not planned.line:
        planned.line = result.line
    planned.values.setdefault("position", contact_values["position"])
    if contact_values["position"] and contact.position != contact_values["position"]:
        if not planned.is_new:
            result.reasons.append(
                f"position: {_show(contact.position)} → {_show(contact_values['position'])}"
            )
        contact.position = contact_values["position"]
        planned.changed_fields.add("position")
    if contact_values["primary"] and not (contact.is_primary or planned.make_primary):
        others = [p for p in target.contacts.values() if p.make_primary and p is not planned]
        if others:
            result.outcome = "invalid"
            result.reasons = [f"a second primary contact (line {others[0].line} has one)"]
            return
        planned.make_primary = True
        if not planned.is_new:
            result.reasons.append("becomes the primary contact")
    known = {(d.type, d.value): d for d in stored.details.get(contact.pk, [])} if contact.pk else {}
    known.update({(d.type, d.value): d for d in planned.new_details})
    for detail_type, value, label in details:
        existing = known.get((detail_type, value))
        if existing is None:
            detail = ContactDetail(contact=contact, type=detail_type, value=value, label=label)
            planned.new_details.append(detail)
            known[(detail_type, value)] = detail
            if not planned.is_new:
                result.reasons.append(f"+ {detail_type} {value}")
        elif label and existing.label != label:
            existing.label = label
            if existing.pk and existing not in planned.relabelled:
                planned.relabelled.append(existing)
                result.reasons.append(f"{detail_type} {value}: label → {label}")
