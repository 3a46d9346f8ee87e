"""Real browser: the national picture and a decision fit a 390 px phone and a 1280 px screen, in Dutch and English;
the map spans the content width with its legend of classes, and the wide tables scroll in their own box."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import serious_violations
from tests.funding.factories import browser_world_decision

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 1280)


@pytest.fixture
def approved_decision(real_data):
    return browser_world_decision()


def open_at(page, live_server, url: str, *, width: int, language: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}{url}")


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("width", WIDTHS)
def test_the_national_picture_fits_and_its_map_is_readable(live_server, page, approved_decision, width, language):
    open_at(page, live_server, "/financiering/landelijk/", width=width, language=language)
    assert page_width(page) == width

    # The map figure spans the content, its drawing takes most of it.
    content = page.locator("main").bounding_box()
    figure = page.locator("figure.nat-map").bounding_box()
    # The map is an SVG image of its own; the page's script puts it inline (tests/browser/test_national_map.py).
    expect(page.locator("figure.nat-map svg[role=img]")).to_be_visible()
    drawing = page.locator("figure.nat-map svg[role=img]").bounding_box()
    assert figure["width"] >= content["width"] - 64
    assert drawing["width"] >= min(content["width"] - 64, 560)

    # The legend: no commitment, four classes in euros per inhabitant, the hatching.
    legend = page.locator(".nat-map__legend-item")
    assert legend.evaluate_all("items => items.map(item => item.dataset.class)") == ["0", "1", "2", "3", "4", "hatch"]
    assert all("€" in text for text in legend.all_inner_texts()[1:5])

    # Pointing at a municipality names it below the map.
    area = page.locator("path.nat-map__area:not(.nat-map__area--0)").first
    area.hover(force=True)
    title = area.locator("title").text_content()
    assert title.split(":")[0] and "€" in title
    expect(page.locator("[data-map-readout]")).to_have_text(title)

    # The wide tables scroll inside their own box; the last column ("Totaal") is there to scroll to.
    total = "Totaal" if language == "nl" else "Total"
    for box in page.locator(".ka-table-scroll").all():
        assert box.evaluate("b => getComputedStyle(b).overflowX") == "auto"
    programme_table = page.locator('[aria-labelledby="programme-years-caption"]')
    expect(programme_table.get_by_role("columnheader", name=total)).to_be_attached()
    assert page_width(page) == width
    if width == 1280:
        assert serious_violations(page) == []


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("width", WIDTHS)
def test_a_decision_fits_with_its_tranche_chart(live_server, page, approved_decision, width, language):
    open_at(page, live_server, f"/financiering/beschikkingen/{approved_decision.pk}/", width=width, language=language)
    assert page_width(page) == width
    chart = page.locator("figure.ka-chart")
    expect(chart).to_be_visible()
    assert chart.locator("svg.ka-chart__svg rect.ka-chart__s2").count() == 2  # two tranches, both still to pay
    assert page_width(page) == width
    if width == 1280:
        assert serious_violations(page) == []
