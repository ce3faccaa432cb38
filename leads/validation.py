"""Normalising what people type: e-mails (syntax), phones (E.164), countries, tags, names.

Each function returns the normalised value or raises ``ValueError`` with a message fit for a
user; services turn that into ``ValidationFailed`` naming the field, the importer into a row
reason. One implementation for the API, the panel and the importer.
"""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from leads.models import DetailType

_SPACES = re.compile(r"\s+")
COUNTRY_CODES = frozenset(phonenumbers.SUPPORTED_REGIONS)


def clean_text(value: object) -> str:
    """Trimmed text with runs of whitespace collapsed (names, cities, labels)."""
    return _SPACES.sub(" ", str(value or "")).strip()


def normalise_email(value: str) -> str:
    value = str(value or "").strip()
    try:
        validate_email(value)
    except ValidationError:
        raise ValueError(f"{value!r} is not a valid e-mail address") from None
    local, _, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


def normalise_phone(value: str, *, region: str = "") -> str:
    """E.164 (``+4930123456``). National numbers need ``region`` (the institution's country).

    Accepts every *possible* number (right length for its country) rather than only numbers in
    ranges the library knows, so new ranges and test numbers are not refused."""
    raw = str(value or "").strip()
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    try:
        number = phonenumbers.parse(raw, region.upper() or None)
    except phonenumbers.NumberParseException:
        hint = "" if raw.startswith("+") or region else " (start with + and the country code)"
        raise ValueError(f"{value!r} is not a phone number{hint}") from None
    if not phonenumbers.is_possible_number(number):
        raise ValueError(f"{value!r} is not a possible phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_detail(detail_type: str, value: str, *, region: str = "") -> str:
    if detail_type == DetailType.EMAIL:
        return normalise_email(value)
    if detail_type == DetailType.PHONE:
        return normalise_phone(value, region=region)
    if detail_type not in DetailType.values:
        raise ValueError(f"unknown detail type {detail_type!r}")
    # One line: an address typed over several lines is kept as "street, city".
    text = ", ".join(clean_text(line) for line in str(value or "").splitlines() if line.strip())
    if not text:
        raise ValueError("a value is required")
    return text


def normalise_country(value: str) -> str:
    code = str(value or "").strip().upper()
    if code and code not in COUNTRY_CODES:
        raise ValueError(f"{value!r} is not an ISO 3166 two-letter country code")
    return code


def normalise_website(value: str) -> str:
    url = str(value or "").strip()
    if not url:
        return ""
    if "://" not in url:
        url = "https://" + url
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValueError(f"{value!r} is not a valid web address") from None
    return url


def normalise_tags(value: str | list[str] | None) -> str:
    """Tags are stored lower-case, de-duplicated, sorted and comma-separated."""
    items = value.split(",") if isinstance(value, str) else list(value or [])
    tags = sorted({clean_text(item).lower() for item in items if clean_text(item)})
    return ",".join(tags)


def name_key(name: str, country: str) -> tuple[str, str]:
    """What makes an institution unique: its name, case-insensitively, and its country."""
    return clean_text(name).lower(), (country or "").upper()
