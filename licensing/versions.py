"""Semantic versions (semver.org 2.0): parsing and ordering. Pure functions, no Django.

``1.10.0 > 1.9.2``; a pre-release sorts below its release (``2.0.0-rc.1 < 2.0.0``); build
metadata (``+build.5``) is ignored for ordering. Clients may send a short form (``1.2`` or
``v1.2.3``), which ``parse_lenient`` accepts; releases must use the strict form.
"""

import re
from dataclasses import dataclass
from functools import total_ordering

_STRICT = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?"
    r"(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$"
)
_LENIENT = re.compile(
    r"^[vV]?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$"
)


class InvalidVersion(ValueError):
    pass


@total_ordering
@dataclass(frozen=True)
class Version:
    major: int
    minor: int
    patch: int
    prerelease: tuple[str, ...] = ()

    def __str__(self) -> str:
        core = f"{self.major}.{self.minor}.{self.patch}"
        return f"{core}-{'.'.join(self.prerelease)}" if self.prerelease else core

    def _key(self):
        # A release (no pre-release) sorts above every pre-release of the same core.
        pre = tuple(
            (0, int(part), "") if part.isdigit() else (1, 0, part) for part in self.prerelease
        )
        return (self.major, self.minor, self.patch, 0 if self.prerelease else 1, pre)

    def __lt__(self, other: "Version") -> bool:
        return self._key() < other._key()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Version) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    @property
    def is_prerelease(self) -> bool:
        return bool(self.prerelease)


def parse(text: str) -> Version:
    """Strict semantic version (``MAJOR.MINOR.PATCH[-pre][+build]``)."""
    match = _STRICT.match((text or "").strip())
    if not match:
        raise InvalidVersion(f"{text!r} is not a semantic version (MAJOR.MINOR.PATCH)")
    major, minor, patch, pre, _ = match.groups()
    return Version(int(major), int(minor), int(patch), tuple(pre.split(".")) if pre else ())


def parse_lenient(text: str) -> Version:
    """What clients send: also ``v1.2.3``, ``1.2`` and ``1``."""
    text = (text or "").strip()
    try:
        return parse(text)
    except InvalidVersion:
        pass
    match = _LENIENT.match(text)
    if not match:
        raise InvalidVersion(f"{text!r} is not a version number")
    major, minor, patch, pre = match.groups()
    prerelease = tuple(pre.split(".")) if pre else ()
    return Version(int(major), int(minor or 0), int(patch or 0), prerelease)


def is_valid(text: str) -> bool:
    try:
        parse(text)
    except InvalidVersion:
        return False
    return True
