"""The staff side in a real browser: create a customer, issue a license (customer picker and key
generator), bulk-deactivate two licenses, allocate a resource, find the license through the
global search."""

import re

from playwright.sync_api import expect

from licensing import keys
from licensing.models import License, Resource
from tests.licensing.factories import LicenseFactory, ProductFactory, ResourceFactory


def test_staff_runs_the_license_business_from_the_panel(browser_page):
    page = browser_page
    ProductFactory(name="Account Forger")
    other = LicenseFactory(customer__name="Globex GmbH")
    resource = ResourceFactory(type="ipv4", identifier="192.0.2.44")

    # A customer.
    page.goto("/licensing/customers")
    page.click("text=New customer")
    page.fill("input[name=name]", "Wonka Industries")
    page.fill("input[name=email]", "willy@wonka.test")
    page.click("button:has-text('Create customer')")
    expect(page.locator("h1")).to_have_text("Wonka Industries")
    expect(page.locator(".messages")).to_contain_text("Customer Wonka Industries created.")

    # A license for them: the picker searches /api/customers, the key comes from the generator.
    page.goto("/licensing/licenses/new")
    offered = page.input_value("input[name=key]")
    page.click("button:has-text('Generate')")
    expect(page.locator("input[name=key]")).not_to_have_value(offered)
    key = page.input_value("input[name=key]")
    assert keys.is_well_formed(key)
    page.get_by_test_id("customer-picker").press_sequentially("wonk", delay=30)
    page.locator(".picker-menu li", has_text="Wonka Industries - willy@wonka.test").click()
    page.select_option("select[name=product]", label="Account Forger")
    page.fill("input[name=max_activations]", "3")
    page.click("button:has-text('Issue license')")
    expect(page.get_by_test_id("license-key")).to_have_text(key)
    license = License.objects.get(key=key)
    assert license.customer.name == "Wonka Industries"

    # Bulk-deactivate the new license and Globex's.
    page.goto("/licensing/licenses")
    for license_key in (key, other.key):
        page.locator(f"tr[data-key='{license_key}'] input[type=checkbox]").check()
    page.get_by_test_id("bulk-action").select_option("deactivate")
    page.get_by_test_id("bulk-apply").click()
    expect(page.locator(".messages")).to_contain_text("2 licenses deactivated.")
    for license_key in (key, other.key):
        expect(page.locator(f"tr[data-key='{license_key}'] [data-status]")).to_have_text("inactive")
    assert License.objects.filter(is_active=False).count() == 2

    # Allocate a pool resource to the license, choosing it with the license picker.
    page.goto("/licensing/resources")
    page.locator(f"tr[data-identifier='{resource.identifier}'] input[type=checkbox]").check()
    page.get_by_test_id("license-picker").press_sequentially(key[:7], delay=30)
    page.locator(".picker-menu li", has_text=key).click()
    page.get_by_test_id("allocate").click()
    expect(page.locator(".messages")).to_contain_text("1 resource allocated.")
    expect(page.locator(f"tr[data-identifier='{resource.identifier}']")).to_contain_text(key)
    assert Resource.objects.get(pk=resource.pk).license == license

    # Find the license again through the header search.
    page.fill("header .global-search input[name=q]", key[5:14])
    page.press("header .global-search input[name=q]", "Enter")
    results = page.get_by_test_id("search-results")
    expect(results).to_contain_text(key)
    expect(results).to_contain_text("Wonka Industries - Inactive")
    results.locator(f"a:has-text('{key}')").click()
    expect(page).to_have_url(re.compile(rf"/licensing/licenses/{license.pk}$"))
    expect(page.get_by_test_id("license-resources")).to_contain_text(resource.identifier)
    expect(page.get_by_test_id("audit-trail")).to_contain_text("resources.allocated")
