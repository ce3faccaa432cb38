"""A license administrator imports a real debug log in the browser, watches the progress reach
100 % and finds the denials on the chart."""

import pytest

from monitoring.models import Event, ImportState, LogImport
from tests.monitoring.factories import LicenseServerFactory

pytestmark = pytest.mark.django_db(transaction=True)

# A corpus log with checkouts and denials (FlexNet lmgrd, several vendor daemons).
LOG = "lmgrd-log/ImSukh__FlexLM-Log-Parser__debug.log.txt"


def test_upload_a_log_watch_it_finish_and_see_the_denials_chart(browser_page, corpus_dir):
    page = browser_page
    server = LicenseServerFactory(name="flex-imsukh", timezone="UTC")
    page.click("nav.sidebar a:has-text('Log import')")
    page.select_option("select[name=server_id]", str(server.pk))
    page.set_input_files("[data-testid=log-files]", str(corpus_dir / LOG))
    page.click("button:has-text('Import')")

    progress = page.locator("[data-testid=log-import-progress]")
    page.wait_for_selector("[data-testid=log-import-progress][data-state=done]")
    # the page renders "100 %", the status poll then writes the API's "100.0 %"
    assert float(progress.locator("[data-progress-percent]").inner_text().rstrip(" %")) == 100
    assert float(progress.locator("[role=progressbar]").get_attribute("aria-valuenow")) == 100
    batch = LogImport.objects.get(server=server)
    assert batch.state == ImportState.DONE and batch.sessions_created > 0
    history = page.locator(f"[data-testid=log-import-{batch.pk}]").inner_text()
    assert "Done" in history and LOG.split("/")[1] in history

    denials = Event.objects.filter(server=server, type="denied").count()
    assert denials > 0
    page.click("a.button:has-text('Denials')")
    chart = page.locator("[data-testid=denials-chart] svg.chart").first
    chart.wait_for()
    assert int(chart.get_attribute("data-points")) > 0
    assert "True denials" in page.locator("[data-testid=denials-chart]").inner_text()
