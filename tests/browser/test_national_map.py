"""Real browser: the national picture draws every municipality, has its table alternative and passes axe."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import serious_violations
from tests.funding.factories import browser_world_decision

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def approved_decision(real_data):
    return browser_world_decision()


def test_the_national_map_has_every_municipality_a_table_and_passes_axe(live_server, page, approved_decision):
    page.goto(f"{live_server.url}/financiering/landelijk/")
    assert page.get_by_role("heading", level=1).inner_text() == "Het landelijk beeld"
    svg = page.locator("figure.nat-map svg[role=img]")
    assert svg.count() == 1
    assert svg.locator("path.nat-map__area").count() == 342
    # The five municipalities of Oost-Groningen have money: they are not in the "none" class.
    assert svg.locator("path.nat-map__area:not(.nat-map__area--0)").count() == 5
    assert "per inwoner" in svg.locator("path.nat-map__area >> nth=0").locator("title").text_content()

    # The table alternative: all 342 municipalities, opened from its summary.
    page.get_by_text("Tabel: stapeling van achterstanden en toegezegd per inwoner, per gemeente").click()
    table = page.get_by_role("table", name="Achterstand en euro per inwoner per gemeente")
    expect(table).to_be_visible()
    assert table.locator("tbody tr").count() == 342
    expect(page.get_by_role("table", name="Toegezegd per programma en betaaljaar (euro)")).to_be_visible()
    assert serious_violations(page) == []
