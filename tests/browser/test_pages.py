"""Real browser: log in, open a region page, and check accessibility with axe-core."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_no_axe_violations, log_in
from tests.factories import make_coalition, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_logs_in_and_opens_a_region_page(real_data, live_server, page):
    alice = make_user("alice")
    make_coalition(coordinator=alice)
    log_in(page, live_server, "alice")
    expect(page.get_by_text("Ingelogd als Alice")).to_be_visible()

    page.get_by_role("link", name="Regio's").first.click()
    page.get_by_label("Zoek op naam of CBS-code").fill("Oost-Groningen")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("link", name="Oost-Groningen").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Oost-Groningen"
    expect(page.get_by_role("img", name="Kaart van Nederland met Oost-Groningen gemarkeerd")).to_be_visible()
    assert page.locator("svg path.is-member").count() == 5
    expect(page.get_by_text("Stapeling van achterstanden")).to_be_visible()
    assert_no_axe_violations(page)


@pytest.mark.parametrize("path", ["/", "/regios/", "/regios/GM0114/", "/gegevens/", "/account/login/"])
def test_public_pages_have_no_axe_violations(real_data, live_server, page, path):
    page.goto(f"{live_server.url}{path}")
    assert_no_axe_violations(page)


def test_the_coalition_page_has_no_axe_violations(real_data, live_server, page):
    alice = make_user("alice")
    make_coalition(coordinator=alice)
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/coalities/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Coalitie oost-groningen").click()
    expect(page.get_by_role("cell", name="Coördinator")).to_be_visible()
    assert_no_axe_violations(page)


def test_the_language_switch_shows_english(real_data, live_server, page):
    page.goto(f"{live_server.url}/regios/")
    page.get_by_label("Taal").select_option("en")
    page.get_by_role("button", name="Wijzig taal").click()
    assert page.locator("html").get_attribute("lang") == "en"
