"""Real browser: a page that follows background work updates itself, without a reload and without <meta refresh>."""

import pytest
from playwright.sync_api import expect

from regions.models import ImportJob
from tests.browser.helpers import log_in
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_import_page_shows_the_end_of_the_job_by_itself(real_data, live_server, page):
    steward = make_user("steward", role="data_steward")
    job = ImportJob.objects.create(
        source_key="cbs-85618-kwb-2023", file_path="x", file_name="kwb.csv", created_by=steward
    )
    log_in(page, live_server, "steward")
    page.goto(f"{live_server.url}/regios/importeren/{job.pk}/")
    expect(page.get_by_text("In de wachtrij")).to_be_visible()
    assert page.locator('meta[http-equiv="refresh"]').count() == 0
    # with JavaScript the reload link is not needed
    expect(page.get_by_role("link", name="Vernieuwen")).to_be_hidden()
    page.evaluate("window.__same_page = true")

    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DONE, message="342 waarden geïmporteerd.")

    expect(page.get_by_text("342 waarden geïmporteerd.")).to_be_visible(timeout=10_000)
    expect(page.locator("#import-status strong")).to_have_text("Klaar")
    assert page.evaluate("window.__same_page") is True  # updated in place, not reloaded
    assert page.locator("#import-status").get_attribute("data-live") is None
