import pytest
from hypothesis import given
from hypothesis import strategies as st

from licensing.versions import InvalidVersion, Version, parse, parse_lenient

# Pure functions, but the platform's autouse fixture clears the (database) cache after each test.
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lower", "higher"),
    [
        ("1.9.2", "1.10.0"),
        ("1.0.0", "2.0.0"),
        ("2.0.0-rc.1", "2.0.0"),
        ("1.0.0-alpha", "1.0.0-alpha.1"),
        ("1.0.0-alpha.1", "1.0.0-alpha.beta"),
        ("1.0.0-beta.2", "1.0.0-beta.11"),
        ("1.0.0-rc.1", "1.0.0"),
        ("0.9.9", "1.0.0-alpha"),
    ],
)
def test_versions_order_as_semver_says(lower, higher):
    assert parse(lower) < parse(higher)
    assert parse(higher) > parse(lower)


def test_build_metadata_is_ignored_for_ordering():
    assert parse("1.2.3+build.7") == parse("1.2.3")


@pytest.mark.parametrize("text", ["1.2", "01.2.3", "1.2.3.4", "", "abc", "1.2.3-"])
def test_strict_parse_rejects_non_semver(text):
    with pytest.raises(InvalidVersion):
        parse(text)


@pytest.mark.parametrize(
    ("text", "expected"), [("1.2", "1.2.0"), ("v2", "2.0.0"), ("V1.0.1", "1.0.1")]
)
def test_clients_may_send_short_versions(text, expected):
    assert str(parse_lenient(text)) == expected


@given(st.integers(0, 999), st.integers(0, 999), st.integers(0, 999))
def test_round_trip_of_release_versions(major, minor, patch):
    version = Version(major, minor, patch)
    assert parse(str(version)) == version
    assert not version.is_prerelease
