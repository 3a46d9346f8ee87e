"""Real browser: the coalition files a progress report (Dutch numbers, inline errors), an official returns it."""

import pytest
from playwright.sync_api import expect

from funding.models import ProgressReport
from tests.browser.helpers import log_in, serious_violations
from tests.funding.factories import browser_world_decision

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def approved_decision(real_data):
    return browser_world_decision()


def test_the_coalition_reports_and_an_official_returns_the_report(live_server, page, approved_decision):
    decision = approved_decision
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/financiering/beschikkingen/{decision.pk}/")
    page.get_by_role("link", name="Voortgangsrapportage indienen").click()
    assert serious_violations(page) == []

    # Without milestones: an inline error, nothing saved, the typed values kept.
    page.get_by_role("group", name="Gemeten waarde van de doelindicatoren").get_by_role("textbox").first.fill("47,5")
    page.get_by_label("Sportcoaches op school").fill("90.000")
    page.get_by_role("button", name="Rapportage indienen").click()
    page.get_by_text("Dit veld is vereist.").first.wait_for()
    assert serious_violations(page) == []
    assert not ProgressReport.objects.exists()
    assert page.get_by_label("Sportcoaches op school").input_value() == "90.000"

    page.get_by_label("Mijlpalen").fill("Tien scholen hebben een sportcoach.")
    page.get_by_role("button", name="Rapportage indienen").click()
    page.get_by_text("De voortgangsrapportage is ingediend", exact=False).wait_for()
    report = ProgressReport.objects.get()
    assert (report.indicators[0]["actual_value"], report.spending[0]["spent"]) == ("47.5", 90_000)

    page.context.clear_cookies()
    log_in(page, live_server, "proposer")
    page.goto(f"{live_server.url}/financiering/rapportages/{report.pk}/")
    expect(page.get_by_role("table", name="Gemeten waarde tegenover uitgangs- en streefwaarde")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_label("Opmerking").fill("Licht de uitgaven per school toe.")
    page.get_by_role("button", name="Terugsturen (met opmerking)").click()
    page.get_by_text("De rapportage is teruggestuurd.").wait_for()
    report.refresh_from_db()
    assert (report.status, report.review_comment) == ("returned", "Licht de uitgaven per school toe.")
    # The decision page shows what still blocks the next payment, and passes axe.
    expect(page.get_by_text("Voortgangsrapportages", exact=True)).to_be_visible()
    assert serious_violations(page) == []
