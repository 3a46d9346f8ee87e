"""Real browser: the national picture draws every municipality, has its table alternative and passes axe.

The map is an SVG image of its own (funding.national_views.national_map, with the Content-Security-Policy on):
the page's script puts the same file inline, so each municipality is named on hover; without JavaScript the
image itself shows.
"""

import pytest
from playwright.sync_api import expect

from funding.national_views import MAP_FILLS
from tests.browser.helpers import serious_violations
from tests.funding.factories import browser_world_decision

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URL = "/financiering/landelijk/"


@pytest.fixture
def approved_decision(real_data):
    return browser_world_decision()


def csp_violations(page) -> list[str]:
    found = []
    page.on(
        "console", lambda message: found.append(message.text) if "Content Security Policy" in message.text else None
    )
    return found


def test_the_national_map_has_every_municipality_a_table_and_passes_axe(live_server, page, approved_decision):
    violations = csp_violations(page)
    page.goto(f"{live_server.url}{URL}")
    assert page.get_by_role("heading", level=1).inner_text() == "Het landelijk beeld"
    # The script has put the map's SVG inline in place of its image.
    svg = page.locator("figure.nat-map svg[role=img]")
    expect(svg).to_have_count(1)
    expect(page.locator("figure.nat-map img")).to_have_count(0)
    assert svg.locator("path.nat-map__area").count() == 342
    # The five municipalities of Oost-Groningen have money: they are not in the "none" class.
    assert svg.locator("path.nat-map__area:not(.nat-map__area--0)").count() == 5
    assert "per inwoner" in svg.locator("path.nat-map__area >> nth=0").locator("title").text_content()
    # Drawn in the page's colours (its style sheet wins over the image's own presentation attributes).
    funded = svg.locator("path.nat-map__area:not(.nat-map__area--0)").first
    colour = MAP_FILLS[int(funded.get_attribute("class").rsplit("--", 1)[1])]
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    assert funded.evaluate("p => getComputedStyle(p).fill") == f"rgb({red}, {green}, {blue})"

    # The table alternative: every municipality, a page at a time.
    table_name = "Achterstand en euro per inwoner per gemeente"
    table = page.get_by_role("table", name=table_name)
    expect(table).to_be_visible()
    assert table.locator("tbody tr").count() == 50
    pager = page.get_by_role("navigation", name="Pagina's van de tabel per gemeente")
    expect(pager).to_contain_text("Pagina 1 van 7")
    pager.get_by_role("link", name="Volgende").click()
    expect(page.get_by_role("navigation", name="Pagina's van de tabel per gemeente")).to_contain_text("Pagina 2 van 7")
    expect(page.get_by_role("table", name=table_name).locator("tbody tr")).to_have_count(50)
    expect(page.get_by_role("table", name="Toegezegd per programma en betaaljaar (euro)")).to_be_visible()
    assert serious_violations(page) == []
    assert violations == []


def test_without_javascript_the_map_is_an_image_that_renders_under_the_csp(live_server, browser, approved_decision):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    violations = csp_violations(page)
    try:
        page.goto(f"{live_server.url}{URL}")
        image = page.locator("figure.nat-map img.nat-map__image")
        expect(image).to_have_count(1)
        assert "Kaart van Nederland" in image.get_attribute("alt")
        response = page.request.get(f"{live_server.url}{image.get_attribute('src')}")
        assert response.status == 200 and response.headers["content-type"] == "image/svg+xml; charset=utf-8"
        # Decoded: the image has the SVG's own size, not the broken-image icon's.
        page.wait_for_function("() => document.querySelector('img.nat-map__image').complete", timeout=10_000)
        assert image.evaluate("img => img.naturalWidth") == 400
        box = image.bounding_box()
        assert box["width"] > 300 and box["height"] > 300
        assert violations == []
    finally:
        context.close()
