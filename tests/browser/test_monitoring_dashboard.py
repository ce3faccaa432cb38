"""The demo estate's monitoring dashboard in Chromium: the landing page of the monitoring
section, with KPI tiles showing the polled estate and the 7-day usage chart drawn with data
(not the "No data" placeholder)."""

import re

import pytest
from django.core.management import call_command

from monitoring import demo

pytestmark = pytest.mark.django_db(transaction=True)

#: Days of demo history: enough for the week's chart, quicker to seed than ``seed_demo``'s 90.
DAYS = 8


def _tile(page, name: str) -> str:
    return page.locator(f"[data-testid=kpi-{name}] .tile-value").inner_text().strip()


def test_dashboard_shows_the_demo_estate_with_its_usage_chart(browser_page):
    demo.seed(days=DAYS)  # what ``manage.py seed_demo`` runs, with fewer days of history
    call_command("poll_servers")  # the first poll opens live sessions and builds the rollups

    page = browser_page
    page.goto("/panel/monitoring/")
    page.wait_for_url("**/panel/monitoring/dashboard")

    online, total = (int(n) for n in _tile(page, "servers").split(" / "))
    assert total == 6 and 0 < online <= total
    assert int(_tile(page, "sessions")) > 0
    assert 0 < int(_tile(page, "users")) <= int(_tile(page, "sessions"))

    chart = page.locator("[data-testid=usage-chart] svg[data-chart=line]")
    assert "No data for this period" not in chart.inner_html()
    assert int(chart.get_attribute("data-points")) == 2 * 7 * 24  # peak and average per hour
    peak = chart.locator("path").first.get_attribute("d")
    heights = {float(y) for y in re.findall(r"[ML][\d.]+,([\d.]+)", peak)}
    assert len(heights) > 2  # the line moves: real usage, not a flat zero
    assert page.locator("table[data-testid=top-saturated] tbody tr .saturation").count() > 0
