import re

from playwright.sync_api import expect

from limon_site.models import ApiKey


def test_staff_logs_in_creates_a_key_sees_it_once_and_revokes_it(browser_page):
    page = browser_page
    expect(page.locator("h1")).to_have_text("Overview")
    expect(page.locator("nav.sidebar")).to_contain_text("Administration")

    page.click("text=Manage keys")
    page.fill("input[name=name]", "grafana")
    page.select_option("select[name=scope]", "read")
    page.click("button:has-text('Create key')")

    shown = page.get_by_test_id("new-key").inner_text().strip()
    assert re.fullmatch(r"AF-\d{4}-[A-Za-z0-9]{32}", shown)
    key = ApiKey.objects.get(name="grafana")
    assert shown.startswith(key.prefix) and shown not in (key.secret_hash, key.prefix)

    page.reload()
    expect(page.get_by_test_id("new-key")).to_have_count(0)
    row = page.locator(f"tr[data-prefix='{key.prefix}']")
    expect(row).to_contain_text("active")

    page.once("dialog", lambda dialog: dialog.accept())
    row.locator("button:has-text('Revoke')").click()
    expect(page.locator(f"tr[data-prefix='{key.prefix}']")).to_contain_text("revoked")
    key.refresh_from_db()
    assert key.revoked_at is not None
