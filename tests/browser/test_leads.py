"""A salesperson's round in the browser: create a lead, add a contact with an e-mail, add and
edit a note (version 2 shows), export CSV."""

import pytest

from leads.models import Institution, Note

pytestmark = pytest.mark.django_db(transaction=True)


def test_create_lead_contact_note_edit_and_export(browser_page, tmp_path):
    page = browser_page
    page.goto("/leads/create")
    page.fill("input[name=name]", "Playwright University")
    page.select_option("select[name=type]", "university")
    page.fill("input[name=country]", "de")
    page.fill("input[name=city]", "Berlin")
    page.click("button:has-text('Create lead')")
    page.wait_for_url("**/leads/*")
    institution = Institution.objects.get(name="Playwright University")
    assert page.url.endswith(f"/leads/{institution.pk}")

    contact_form = page.locator("form[data-testid=add-contact]")
    contact_form.locator("input[name=first_name]").fill("Ada")
    contact_form.locator("input[name=last_name]").fill("Lovelace")
    contact_form.locator("input[name=email]").fill("ada@playwright.example")
    contact_form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    contacts = page.locator("table[data-testid=contacts]")
    assert "Ada Lovelace" in contacts.inner_text()
    assert "ada@playwright.example" in contacts.inner_text()

    page.locator("form[data-testid=add-note] textarea[name=content]").fill("First meeting")
    page.click("form[data-testid=add-note] button[type=submit]")
    page.wait_for_load_state()
    note = Note.objects.get()
    card = page.locator(f"[data-testid=note-{note.pk}]")
    assert card.locator("[data-testid=note-version]").inner_text() == "version 1"

    card.locator("summary:has-text('Edit')").click()
    card.locator("textarea[name=content]").fill("First meeting went well")
    card.locator("button:has-text('Save as version 2')").click()
    page.wait_for_load_state()
    card = page.locator(f"[data-testid=note-{note.pk}]")
    assert card.locator("[data-testid=note-version]").inner_text() == "version 2"
    assert "went well" in card.inner_text()

    card.locator("a:has-text('history')").click()
    assert page.locator("[data-testid=version-1]").is_visible()
    assert "First meeting" in page.locator("[data-testid=version-1]").inner_text()

    page.goto("/leads/")
    with page.expect_download() as download_info:
        page.click("[data-testid=export-csv]")
    target = tmp_path / "leads.csv"
    download_info.value.save_as(target)
    text = target.read_text(encoding="utf-8-sig")
    assert "Playwright University" in text
    assert "ada@playwright.example" in text
