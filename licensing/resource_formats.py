"""Syntax of pool resources, as pure functions (no Django): each ``normalize_<type>`` returns the
canonical form stored in the pool or raises ``InvalidIdentifier`` with a message fit for a
per-row import report.

- ``domain``: a host name of at least two labels, letters/digits/hyphens, labels 1 to 63 characters,
  253 in all, stored lower-case; international names are stored in their ``xn--`` form.
- ``ipv4``: a dotted quad (no leading zeros, no CIDR).
- ``phone_number``: E.164 — ``+``, country code, subscriber number; at most 15 digits. Spaces,
  dashes, dots and parentheses are dropped and a leading ``00`` becomes ``+``.
- ``server`` / ``workstation``: an inventory name such as ``SRV-001``.
"""

import ipaddress
import re

LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
TLD_RE = re.compile(r"^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$")
E164_RE = re.compile(r"^\+[1-9]\d{6,14}$")
PHONE_SEPARATORS_RE = re.compile(r"[\s\-.()/]")
INVENTORY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class InvalidIdentifier(ValueError):
    pass


def normalize_domain(value: str) -> str:
    name = (value or "").strip().rstrip(".").lower()
    if not name:
        raise InvalidIdentifier("A domain is required")
    try:
        name = name.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise InvalidIdentifier(f"{value!r} is not a valid domain name") from exc
    labels = name.split(".")
    if len(name) > 253 or len(labels) < 2:
        raise InvalidIdentifier(f"{value!r} is not a valid domain name (e.g. example.com)")
    if not all(LABEL_RE.match(label) for label in labels) or not TLD_RE.match(labels[-1]):
        raise InvalidIdentifier(f"{value!r} is not a valid domain name (e.g. example.com)")
    return name


def normalize_ipv4(value: str) -> str:
    text = (value or "").strip()
    try:
        return str(ipaddress.IPv4Address(text))
    except ValueError as exc:
        raise InvalidIdentifier(f"{value!r} is not an IPv4 address (e.g. 192.0.2.10)") from exc


def normalize_phone_number(value: str) -> str:
    text = PHONE_SEPARATORS_RE.sub("", (value or "").strip())
    if text.startswith("00"):
        text = "+" + text[2:]
    if not E164_RE.match(text):
        raise InvalidIdentifier(
            f"{value!r} is not an E.164 phone number (+, country code and number, "
            "at most 15 digits, e.g. +4930123456)"
        )
    return text


def normalize_inventory_name(value: str) -> str:
    text = (value or "").strip()
    if not INVENTORY_RE.match(text):
        raise InvalidIdentifier(
            f"{value!r} is not a valid name (letters, digits, '.', '_' and '-', at most 64)"
        )
    return text


NORMALIZERS = {
    "domain": normalize_domain,
    "ipv4": normalize_ipv4,
    "phone_number": normalize_phone_number,
    "server": normalize_inventory_name,
    "workstation": normalize_inventory_name,
}


def normalize(resource_type: str, value: str) -> str:
    try:
        normalizer = NORMALIZERS[resource_type]
    except KeyError:
        raise InvalidIdentifier(
            f"Unknown resource type {resource_type!r}; use one of {', '.join(NORMALIZERS)}"
        ) from None
    return normalizer(value)
