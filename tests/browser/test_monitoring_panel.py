"""An administrator's round in the browser: create a site and a server, find the server in
the list, decommission it (the confirm dialog accepted) and see it marked."""

import pytest

from monitoring.models import LicenseServer, Site

pytestmark = pytest.mark.django_db(transaction=True)


def test_create_site_and_server_then_decommission(browser_page):
    page = browser_page
    page.click("nav.sidebar a:has-text('Sites')")
    page.click("a:has-text('New site')")
    page.fill("input[name=name]", "Grenoble")
    page.fill("input[name=code]", "gre")
    page.fill("input[name=timezone]", "Europe/Paris")
    page.click("button:has-text('Create site')")
    page.wait_for_url("**/panel/monitoring/sites")
    assert "Grenoble" in page.locator("table[data-testid=sites]").inner_text()
    site = Site.objects.get(name="Grenoble")

    page.goto("/panel/monitoring/servers/new")
    page.fill("input[name=name]", "flex-gre")
    page.select_option("select[name=kind]", "flexlm")
    page.fill("input[name=address]", "27000@lic-gre.example.com")
    page.select_option("select[name=site]", str(site.pk))
    page.click("button:has-text('Create server')")
    page.wait_for_url("**/panel/monitoring/servers/*")
    server = LicenseServer.objects.get(name="flex-gre")

    page.click("nav.sidebar a:has-text('License servers')")
    row = page.locator(f"tr[data-testid=server-{server.pk}]")
    assert "27000@lic-gre.example.com" in row.inner_text()
    assert "Grenoble" in row.inner_text()
    assert row.locator("[data-testid=server-status]").inner_text() == "unknown"

    row.locator("a:has-text('flex-gre')").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=decommission]")
    page.wait_for_selector("[data-testid=reactivate]")
    assert "no longer polled" in page.locator(".messages").inner_text()
    server.refresh_from_db()
    assert not server.is_active

    page.goto("/panel/monitoring/servers")
    status = page.locator(f"tr[data-testid=server-{server.pk}] [data-testid=server-status]")
    assert status.inner_text() == "decommissioned"
