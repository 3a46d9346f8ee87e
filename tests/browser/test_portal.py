"""Real browser: the public portal, reached from the main menu without logging in, leads on and passes axe."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_no_axe_violations
from tests.funding.factories import browser_world_decision

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def approved_decision(real_data):
    return browser_world_decision()


def test_the_portal_shows_advice_and_decisions_to_anyone_and_passes_axe(live_server, page, approved_decision):
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Openbaar").click()
    page.wait_for_url(f"{live_server.url}/openbaar/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Openbaar")
    assert page.get_by_role("link", name="Openbaar", exact=True).get_attribute("aria-current") == "page"

    figures = page.locator(".ka-key-figures")
    assert "1 gepubliceerd advies in openbare rondes" in " ".join(figures.inner_text().split())
    assert "€ 100.000" in figures.inner_text().replace("\xa0", " ")

    decisions = page.get_by_role("table", name="Beschikkingen met hun tranches per jaar, nieuwste eerst (hoogstens 25)")
    row = decisions.get_by_role("row").filter(has_text=approved_decision.reference)
    tranches = [text.replace("\xa0", " ") for text in row.get_by_role("listitem").all_inner_texts()]
    assert tranches == ["2026: € 60.000", "2027: € 40.000"]
    advice = page.get_by_role("table", name="Adviezen, nieuwste eerst (hoogstens 10)")
    expect(advice.get_by_role("link", name="Kansen voor Oost-Groningen")).to_be_visible()
    assert_no_axe_violations(page)

    # On to the decision and to the advice with the submitted agenda.
    row.get_by_role("link", name=approved_decision.reference).click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Beschikking {approved_decision.reference}"
    page.go_back()
    advice.get_by_role("link", name="Kansen voor Oost-Groningen").click()
    expect(page.get_by_role("heading", name="Advies")).to_be_visible()
    expect(page.get_by_text("Goed plan.")).to_be_visible()
