"""The demo estate's MATLAB page in Chromium: the usage chart by site is drawn with data (not
the "No data" placeholder), next to the seat figures and top users."""

import re

import pytest

from monitoring import demo
from monitoring.models import Application
from monitoring.services.polling import poll_all

pytestmark = pytest.mark.django_db(transaction=True)

#: Days of demo history: enough for a week's chart, quick to seed.
DAYS = 8


def test_application_page_draws_the_usage_chart_by_site(browser_page):
    demo.seed(days=DAYS)  # what ``manage.py seed_demo`` runs, with fewer days of history
    poll_all()  # the first poll builds the rollups
    matlab = Application.objects.get(name="MATLAB")

    page = browser_page
    page.goto("/panel/monitoring/applications")
    assert "MATLAB" in page.locator("table[data-testid=applications]").inner_text()
    page.click("table[data-testid=applications] a:has-text('MATLAB')")
    page.wait_for_url(f"**/applications/{matlab.pk}")
    page.select_option("[data-testid=usage-range] select[name=days]", "7")
    page.select_option("[data-testid=usage-range] select[name=interval]", "hour")
    page.click("[data-testid=usage-range] button:has-text('Show')")
    page.wait_for_url("**interval=hour**")

    chart = page.locator("[data-testid=usage-chart] svg[data-chart=line]")
    assert int(chart.get_attribute("data-points")) > 100
    assert "No data for this period" not in chart.inner_html()
    total = chart.locator("path").first.get_attribute("d")
    assert len(re.findall(r"[ML]\d", total)) >= 7 * 24  # one point per hour of the week
    heights = {float(y) for y in re.findall(r"[ML][\d.]+,([\d.]+)", total)}
    assert len(heights) > 2  # the line moves: real usage, not a flat zero
    legend = chart.inner_html()
    sites = matlab.deployments.values_list("server__site__name", flat=True)
    assert all(f"{site} (peak)" in legend for site in sites)
    assert page.locator("[data-testid=recommended-seats]").inner_text().strip().isdigit()
    assert page.locator("table[data-testid=top-users] tbody tr").count() > 1
