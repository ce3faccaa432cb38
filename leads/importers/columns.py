"""The leads file format, shared by the export and the import: one row per contact (an
institution without contacts has one row with empty contact columns); institution columns repeat
on each of its rows.

Detail cells (``emails``, ``phones``, ``addresses``, ``other_details``) hold one entry per line;
an entry is ``value`` or ``label: value`` (``: value`` when an unlabelled value itself contains
``": "``). Text that a spreadsheet would run as a formula (``= + - @``) is written with a leading
``'`` in CSV, which the import removes again.
"""

from datetime import date, datetime

COLUMNS = (
    "name",
    "type",
    "status",
    "country",
    "city",
    "website",
    "source",
    "owner",
    "next_follow_up",
    "tags",
    "first_name",
    "last_name",
    "position",
    "primary",
    "emails",
    "phones",
    "addresses",
    "other_details",
)

INSTITUTION_COLUMNS = COLUMNS[:10]
CONTACT_COLUMNS = ("first_name", "last_name", "position", "primary")
DETAIL_COLUMNS = {
    "emails": "email",
    "phones": "phone",
    "addresses": "address",
    "other_details": "other",
}

ALIASES = {
    "institution": "name",
    "institution name": "name",
    "institution_name": "name",
    "organisation": "name",
    "organization": "name",
    "company": "name",
    "institution type": "type",
    "follow up": "next_follow_up",
    "follow-up": "next_follow_up",
    "next follow-up": "next_follow_up",
    "first name": "first_name",
    "firstname": "first_name",
    "last name": "last_name",
    "lastname": "last_name",
    "surname": "last_name",
    "title": "position",
    "primary contact": "primary",
    "email": "emails",
    "e-mail": "emails",
    "e-mails": "emails",
    "phone": "phones",
    "telephone": "phones",
    "address": "addresses",
    "other": "other_details",
}

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
TRUE_WORDS = frozenset({"yes", "y", "true", "1", "x", "primary"})


def column_for(header: object) -> str | None:
    """The column a header names (case and spaces ignored), or None for unknown headers."""
    text = str(header or "").strip().lower()
    if text in COLUMNS:
        return text
    text = text.replace("_", " ")
    if text.replace(" ", "_") in COLUMNS:
        return text.replace(" ", "_")
    return ALIASES.get(text)


def encode_details(entries: list[tuple[str, str]]) -> str:
    """``[(value, label)]`` → the cell text."""
    lines = []
    for value, label in entries:
        if label:
            lines.append(f"{label}: {value}")
        elif ": " in value:
            lines.append(f": {value}")
        else:
            lines.append(value)
    return "\n".join(lines)


def decode_details(cell: str) -> list[tuple[str, str]]:
    """The cell text → ``[(value, label)]``."""
    entries = []
    for line in str(cell or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if ": " in line:
            label, value = line.split(": ", 1)
            entries.append((value.strip(), label.strip()))
        else:
            entries.append((line, ""))
    return entries


def protect_formula(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def unprotect_formula(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES) else text


def cell_text(value: object) -> str:
    """A spreadsheet cell as text: dates as ISO dates, whole numbers without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unprotect_formula(str(value).strip())
