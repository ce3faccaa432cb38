"""Import (upload → preview → confirm, all or nothing, idempotent) and export (CSV/XLSX of the
current filter), and the round trip between them."""

import csv
import io
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from leads import services
from leads.importers.columns import COLUMNS
from leads.models import Activity, Contact, ContactDetail, Institution
from tests.factories import StaffFactory
from tests.leads.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


def csv_file(rows: list[dict], name="leads.csv", columns=COLUMNS) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(), content_type="text/csv")


def preview(client, upload):
    response = client.post("/leads/import", {"file": upload})
    assert response.status_code == 200, response.content.decode()[:2000]
    return response


def token_of(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


def counts(response) -> dict[str, int]:
    text = response.content.decode()
    return {
        k: int(re.search(rf'data-testid="count-{k}">(\d+)<', text).group(1))
        for k in ("new", "updated", "unchanged", "invalid")
    }


def confirm(client, response):
    return client.post("/leads/import", {"token": token_of(response), "action": "confirm"})


def export(client, **query) -> bytes:
    response = client.get("/leads/export", query)
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.getvalue()


def test_preview_lists_new_updated_and_invalid_rows_with_reasons(staff_client):
    InstitutionFactory(name="Known University", country="DE", city="Bonn", status="new")
    upload = csv_file(
        [
            {"name": "Fresh Institute", "country": "FR", "first_name": "Marie", "emails": "m@x.fr"},
            {"name": "known university", "country": "de", "status": "contacted"},
            {"name": "", "country": "DE"},
            {"name": "Bad Mail", "country": "DE", "last_name": "Roe", "emails": "not-mail"},
            {"name": "Bad Type", "type": "charity"},
            {"name": "No Contact Name", "phones": "+49301234567"},
        ]
    )

    response = preview(staff_client, upload)
    page = response.content.decode()

    assert counts(response) == {"new": 1, "updated": 1, "unchanged": 0, "invalid": 4}
    assert "status: new → contacted" in page
    assert "name: an institution name is required" in page
    assert "not a valid e-mail address" in page
    assert "type: must be one of" in page
    assert "contact details need a first_name or last_name" in page
    assert "Fix the 4 invalid rows" in page
    assert Institution.objects.count() == 1  # a preview writes nothing


def test_a_file_with_invalid_rows_imports_nothing_even_if_confirmed(staff_client):
    response = preview(
        staff_client,
        csv_file([{"name": "Good One", "country": "DE"}, {"name": "Bad", "country": "ZZZ"}]),
    )
    confirm(staff_client, response)
    assert not Institution.objects.exists()


def test_confirm_imports_everything_and_a_rerun_changes_nothing(staff_client):
    StaffFactory(username="sam")
    rows = [
        {
            "name": "Fresh Institute",
            "type": "university",
            "status": "qualified",
            "country": "FR",
            "city": "Lyon",
            "owner": "sam",
            "next_follow_up": "2030-01-15",
            "tags": "hpc, cae",
            "first_name": "Marie",
            "last_name": "Curie",
            "position": "Director",
            "emails": "Work: marie@fresh.example\nmarie.private@example.com",
            "phones": "Office: 01 23 45 67 89",
        },
        {"name": "Fresh Institute", "country": "FR", "first_name": "Pierre", "last_name": "Curie"},
        {"name": "Lonely GmbH", "country": "DE"},
    ]

    first = preview(staff_client, csv_file(rows))
    assert counts(first) == {"new": 3, "updated": 0, "unchanged": 0, "invalid": 0}
    done = confirm(staff_client, first)
    assert done.status_code == 302

    fresh = Institution.objects.get(name="Fresh Institute")
    assert (fresh.status, fresh.owner.username, fresh.tags) == ("qualified", "sam", "cae,hpc")
    assert fresh.next_follow_up == date(2030, 1, 15)
    marie = Contact.objects.get(first_name="Marie")
    assert marie.is_primary and not Contact.objects.get(first_name="Pierre").is_primary
    assert set(marie.details.values_list("type", "value", "label")) == {
        ("email", "marie@fresh.example", "Work"),
        ("email", "marie.private@example.com", ""),
        ("phone", "+33123456789", "Office"),
    }

    again = preview(staff_client, csv_file(rows))
    assert counts(again) == {"new": 0, "updated": 0, "unchanged": 3, "invalid": 0}
    confirm(staff_client, again)
    assert (Institution.objects.count(), Contact.objects.count()) == (2, 2)
    assert ContactDetail.objects.count() == 3


def test_a_changed_file_updates_matching_rows_without_clearing_empty_cells(staff_client):
    institution = InstitutionFactory(name="Acme", country="DE", city="Bonn", status="new")
    services.create_contact(institution=institution, first_name="Ann", last_name="Lee")

    response = preview(
        staff_client,
        csv_file(
            [
                {
                    "name": "ACME",
                    "country": "DE",
                    "status": "won",
                    "first_name": "ann",
                    "last_name": "lee",
                    "emails": "ann@acme.example",
                }
            ]
        ),
    )
    assert counts(response)["updated"] == 1
    confirm(staff_client, response)

    institution.refresh_from_db()
    assert (institution.status, institution.city) == ("won", "Bonn")
    assert Contact.objects.get().details.get().value == "ann@acme.example"
    assert Activity.objects.filter(institution=institution, type="status_change").count() == 1


def test_rows_disagreeing_about_the_same_institution_are_invalid(staff_client):
    response = preview(
        staff_client,
        csv_file(
            [
                {"name": "Twice", "country": "DE", "type": "company"},
                {"name": "twice", "country": "DE", "type": "university"},
            ]
        ),
    )
    assert counts(response)["invalid"] == 1
    assert "differs from line 2" in response.content.decode()


def test_headers_are_matched_loosely_and_unknown_ones_reported(staff_client):
    upload = csv_file(
        [{"Institution": "Loose Headers", "Country": "NL", "E-mail": "x", "Favourite": "tea"}],
        columns=["Institution", "Country", "E-mail", "Favourite"],
    )
    response = preview(staff_client, upload)
    assert "Ignored columns: Favourite" in response.content.decode()
    assert counts(response)["invalid"] == 1  # an e-mail without a contact name


def test_semicolon_csv_in_windows_1252_is_read(staff_client):
    data = "name;country;city\r\nCafé Müller;DE;Köln\r\n".encode("cp1252")
    response = preview(staff_client, SimpleUploadedFile("excel.csv", data))
    confirm(staff_client, response)
    assert Institution.objects.get().city == "Köln"


def test_xlsx_upload_is_read_with_dates_and_numbers(staff_client):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["name", "country", "next_follow_up", "first_name", "phones"])
    sheet.append(["Sheet Institute", "US", date(2031, 2, 3), "Tom", 2025550143])
    out = io.BytesIO()
    workbook.save(out)

    response = preview(staff_client, SimpleUploadedFile("leads.xlsx", out.getvalue()))
    confirm(staff_client, response)

    institution = Institution.objects.get()
    assert institution.next_follow_up == date(2031, 2, 3)
    assert ContactDetail.objects.get().value == "+12025550143"


def test_a_file_without_a_name_column_is_refused(staff_client):
    upload = SimpleUploadedFile("x.csv", b"city,country\nBonn,DE\n")
    response = staff_client.post("/leads/import", {"file": upload})
    assert response.status_code == 400
    assert "name" in response.content.decode()


def test_a_preview_belongs_to_its_user(staff_client):
    from django.test import Client

    response = preview(staff_client, csv_file([{"name": "Mine", "country": "DE"}]))
    other = Client()
    other.force_login(StaffFactory(username="intruder"))
    other.post("/leads/import", {"token": token_of(response), "action": "confirm"})
    assert not Institution.objects.exists()
    confirm(staff_client, response)
    assert Institution.objects.filter(name="Mine").exists()


def test_a_preview_is_used_once(staff_client):
    response = preview(staff_client, csv_file([{"name": "Once", "country": "DE"}]))
    confirm(staff_client, response)
    again = confirm(staff_client, response)
    assert again["Location"] == "/leads/import"


def test_ten_thousand_rows_import_and_a_rerun_creates_nothing(staff_client):
    rows = [
        {
            "name": f"Institution {n:05d}",
            "type": "company",
            "country": "DE",
            "city": "Berlin",
            "first_name": "Contact",
            "last_name": f"Number {n}",
            "emails": f"contact{n}@example.com",
            "phones": f"+49 30 {1000000 + n}",
        }
        for n in range(10_000)
    ]
    upload = csv_file(rows)
    first = preview(staff_client, upload)
    assert counts(first) == {"new": 10_000, "updated": 0, "unchanged": 0, "invalid": 0}
    confirm(staff_client, first)
    assert (Institution.objects.count(), Contact.objects.count()) == (10_000, 10_000)
    assert ContactDetail.objects.count() == 20_000

    again = preview(staff_client, csv_file(rows))
    assert counts(again)["unchanged"] == 10_000
    confirm(staff_client, again)
    assert (Institution.objects.count(), ContactDetail.objects.count()) == (10_000, 20_000)


def _varied_data():
    owner = StaffFactory(username="sam")
    acme = services.create_institution(
        name="=Acme, Inc.",
        type="company",
        status="proposal",
        country="US",
        city="Denver",
        website="acme.example",
        source="trade fair",
        owner=owner,
        next_follow_up=date(2030, 5, 6),
        tags=["cae", "pilot"],
    )
    jane = services.create_contact(
        institution=acme,
        first_name="Jane",
        last_name="Roe",
        position="CIO",
        details=[
            {"type": "email", "value": "jane@acme.example", "label": "Work"},
            {"type": "email", "value": "jr@example.com", "label": ""},
            {"type": "phone", "value": "+1 202 555 0143", "label": ""},
            {"type": "address", "value": "Attn: Jane, 1 Main St", "label": ""},
            {"type": "other", "value": "@janeroe", "label": "Social"},
        ],
    )
    services.create_contact(institution=acme, first_name="Bob", last_name="", position="")
    services.add_note(contact=jane, content="not exported", actor="x")
    services.create_institution(name="Université Lumière", type="university", country="FR")
    services.create_institution(name="No Country Lab")


def test_csv_export_round_trips_through_import_unchanged(staff_client):
    _varied_data()
    exported = export(staff_client, format="csv")

    same_db = preview(staff_client, SimpleUploadedFile("export.csv", exported))
    assert counts(same_db) == {"new": 0, "updated": 0, "unchanged": 4, "invalid": 0}

    Institution.objects.all().delete()
    fresh = preview(staff_client, SimpleUploadedFile("export.csv", exported))
    assert counts(fresh)["invalid"] == 0
    confirm(staff_client, fresh)

    assert export(staff_client, format="csv") == exported


def test_xlsx_export_round_trips_through_import_unchanged(staff_client):
    _varied_data()
    csv_before = export(staff_client, format="csv")
    xlsx = export(staff_client, format="xlsx")
    assert xlsx.startswith(b"PK")

    Institution.objects.all().delete()
    response = preview(staff_client, SimpleUploadedFile("export.xlsx", xlsx))
    assert counts(response)["invalid"] == 0
    confirm(staff_client, response)

    assert export(staff_client, format="csv") == csv_before


def test_export_protects_spreadsheet_formulas(staff_client):
    _varied_data()
    text = export(staff_client, format="csv").decode("utf-8-sig")
    assert "'=Acme, Inc." in text
    assert "'+12025550143" in text


def test_export_follows_the_current_filter(staff_client):
    InstitutionFactory(name="Wanted", status="won")
    InstitutionFactory(name="Unwanted", status="lost")
    text = export(staff_client, format="csv", status="won").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["name"] for row in rows] == ["Wanted"]


def test_csv_export_is_streamed(staff_client):
    InstitutionFactory()
    response = staff_client.get("/leads/export", {"format": "csv"})
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
