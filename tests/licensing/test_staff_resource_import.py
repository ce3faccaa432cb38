"""Pool resource syntax (IPv4, domains, E.164) and the CSV import with its per-row report."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from licensing import resource_formats as formats
from licensing.models import Resource
from limon_site.models import AuditEvent
from tests.licensing.factories import ResourceFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("Example.COM", "example.com"),
        ("shop.example.co.uk.", "shop.example.co.uk"),
        ("bücher.de", "xn--bcher-kva.de"),
        ("a-b.example.org", "a-b.example.org"),
    ],
)
def test_domains_are_normalised(raw, stored):
    assert formats.normalize_domain(raw) == stored


@pytest.mark.parametrize(
    "raw",
    [
        "localhost",
        "-bad.example.com",
        "exa mple.com",
        "example.123",
        "a..b.com",
        "x" * 64 + ".com",
        "",
    ],
)
def test_invalid_domains_are_refused(raw):
    with pytest.raises(formats.InvalidIdentifier):
        formats.normalize_domain(raw)


@pytest.mark.parametrize("raw", ["192.0.2.1", " 10.0.0.255 "])
def test_ipv4_addresses_are_accepted(raw):
    assert formats.normalize_ipv4(raw) == raw.strip()


@pytest.mark.parametrize("raw", ["256.0.0.1", "192.0.2", "192.0.2.1/24", "01.2.3.4", "::1", "abc"])
def test_invalid_ipv4_addresses_are_refused(raw):
    with pytest.raises(formats.InvalidIdentifier):
        formats.normalize_ipv4(raw)


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("+49 30 1234567", "+49301234567"),
        ("0049 (30) 123-4567", "+49301234567"),
        ("+1.555.010.0199", "+15550100199"),
    ],
)
def test_phone_numbers_are_stored_in_e164(raw, stored):
    assert formats.normalize_phone_number(raw) == stored


@pytest.mark.parametrize(
    "raw", ["030 1234567", "+0301234567", "+49 30 1234 5678 9012", "+12", "phone"]
)
def test_non_e164_phone_numbers_are_refused(raw):
    with pytest.raises(formats.InvalidIdentifier):
        formats.normalize_phone_number(raw)


GOOD_CSV = (
    "type,identifier,notes\n"
    "domain,Example.com,main site\n"
    "ipv4,192.0.2.10,rack 4\n"
    "phone_number,+49 30 1234567,\n"
    "server,SRV-001,\n"
)


def upload(api, text: str, **fields):
    file = SimpleUploadedFile("pool.csv", text.encode(), content_type="text/csv")
    return api.post("/api/licensing/resources/import", {"file": file, **fields}, format="multipart")


def test_a_valid_csv_is_imported_with_normalised_identifiers(admin_api):
    response = upload(admin_api, GOOD_CSV)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["rows"], body["created"], body["skipped"], body["errors"]) == (4, 4, 0, [])
    assert body["by_type"] == {"domain": 1, "ipv4": 1, "phone_number": 1, "server": 1}
    assert set(Resource.objects.values_list("identifier", flat=True)) == {
        "example.com",
        "192.0.2.10",
        "+49301234567",
        "SRV-001",
    }
    assert Resource.objects.get(identifier="192.0.2.10").notes == "rack 4"
    assert AuditEvent.objects.filter(action="resources.imported").count() == 1


def test_invalid_rows_are_reported_by_line_and_nothing_is_imported(admin_api):
    text = (
        "type,identifier\n"
        "ipv4,192.0.2.1\n"
        "ipv4,192.0.2.300\n"
        "domain,not a domain\n"
        "phone_number,0301234567\n"
        "spaceship,USS-1\n"
        "ipv4,192.0.2.1\n"
    )
    response = upload(admin_api, text)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "CSV_INVALID_ROWS"
    errors = body["details"]["errors"]
    assert [(e["line"], e["identifier"]) for e in errors] == [
        (3, "192.0.2.300"),
        (4, "not a domain"),
        (5, "0301234567"),
        (6, "USS-1"),
        (7, "192.0.2.1"),
    ]
    assert "E.164" in errors[2]["message"]
    assert "Duplicate of line 2" in errors[4]["message"]
    assert not Resource.objects.exists()


def test_rows_already_in_the_pool_are_skipped_so_reimporting_is_harmless(admin_api):
    ResourceFactory(type="domain", identifier="example.com")
    first = upload(admin_api, GOOD_CSV).json()
    second = upload(admin_api, GOOD_CSV).json()
    assert (first["created"], first["skipped"]) == (3, 1)
    assert (second["created"], second["skipped"]) == (0, 4)
    assert Resource.objects.count() == 4


def test_a_dry_run_reports_without_importing(admin_api):
    body = upload(admin_api, GOOD_CSV, dry_run="true").json()
    assert body["dry_run"] is True and body["created"] == 0
    assert sum(body["by_type"].values()) == 4
    assert not Resource.objects.exists()


def test_one_type_for_a_file_without_type_column_and_semicolons(admin_api):
    body = upload(admin_api, "identifier;notes\n192.0.2.1;a\n192.0.2.2;b\n", type="ipv4").json()
    assert body["created"] == 2
    assert set(Resource.objects.values_list("type", flat=True)) == {"ipv4"}


def test_a_file_without_the_needed_columns_is_400(admin_api):
    assert upload(admin_api, "name\nfoo\n").json()["code"] == "CSV_HEADER_MISSING"
    assert upload(admin_api, "identifier\n192.0.2.1\n").json()["code"] == "CSV_HEADER_MISSING"


def test_csv_text_can_be_sent_as_json(admin_api):
    response = admin_api.post(
        "/api/licensing/resources/import", {"csv": GOOD_CSV, "dry_run": True}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["rows"] == 4


def test_a_non_utf8_file_is_refused(admin_api):
    file = SimpleUploadedFile("pool.csv", "type,identifier\ndomain,bücher.de\n".encode("latin-1"))
    response = admin_api.post("/api/licensing/resources/import", {"file": file}, format="multipart")
    assert response.json()["code"] == "CSV_NOT_UTF8"
