"""License keys: ``XXXX-XXXX-XXXX-XXXX`` from an unambiguous alphabet (no 0/O, 1/I/L, U)."""

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
KEY_RE = re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$")


def normalize(key: str) -> str:
    return (key or "").strip().upper()


def is_well_formed(key: str) -> bool:
    return bool(KEY_RE.match(normalize(key)))


def random_key() -> str:
    """80 bits of randomness (30^16); uniqueness is checked by ``generate_unique_key``."""
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(4)) for _ in range(4))


def generate_unique_key(exists) -> str:
    """A key for which ``exists(key)`` is false (the unique constraint is the final guard)."""
    for _ in range(20):
        key = random_key()
        if not exists(key):
            return key
    raise RuntimeError("could not generate a unique license key")  # pragma: no cover
