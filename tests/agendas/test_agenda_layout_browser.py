"""Real browser: no agenda page is wider than the window at 1280 and 390 px, the budget grid fits at 1280
px and scrolls in its own box on a phone, and the mention suggestions work with the keyboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.agendas.factories import make_agenda, make_measure, make_priority
from tests.browser.conftest import browser_type_launch_args, serve_static_files  # noqa: F401  (fixtures)
from tests.browser.helpers import log_in, serious_violations
from tests.factories import make_coalition, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_WORD = "Arbeidsmarktregio" * 6
LONG_LINK = "https://example.org/" + "heel-lang-pad/" * 12


@pytest.fixture
def agenda_with_measure(real_data):
    alice, bob = make_user("alice"), make_user("bob")
    make_user("victor")  # no member: never suggested
    coalition = make_coalition(coordinator=alice, editor=bob)
    agenda = make_agenda(coalition, alice, start_year=2027, end_year=2040, vision=f"Zie {LONG_LINK}")
    priority = make_priority(agenda, alice, title=LONG_WORD, description=f"Lees {LONG_LINK} en {LONG_WORD}.")
    budget = {(year, source): 1_250_000 for year in range(2027, 2031) for source in ("rijk", "eu_erdf", "other")}
    measure = make_measure(agenda, priority, alice, title=LONG_WORD, budget=budget)
    return agenda, priority, measure


def pages(agenda, priority, measure) -> list[str]:
    base = f"/agendas/{agenda.pk}"
    return [
        "/agendas/",
        f"{base}/",
        f"{base}/bewerken/",
        f"{base}/maatregelen/nieuw/",
        f"{base}/maatregelen/{measure.pk}/",
        f"{base}/prioriteiten/{priority.pk}/",
        f"{base}/prioriteiten/{priority.pk}/bewerken/",
        f"{base}/maatregelen/{measure.pk}/verwijderen/",
        f"{base}/prioriteiten/{priority.pk}/verwijderen/",
        f"{base}/geschiedenis/",
        f"{base}/geschiedenis/vergelijk/?van=1&tot=3",
        f"/agendas/nieuw/{agenda.coalition.slug}/",
    ]


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def budget_box(page) -> dict:
    return page.locator(".ka-budget").first.evaluate(
        "box => ({client: box.clientWidth, scroll: box.scrollWidth, cls: box.className})"
    )


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_agenda_page_is_wider_than_the_window(live_server, browser, agenda_with_measure, language):
    agenda, priority, measure = agenda_with_measure
    for width in (1280, 390):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        log_in(page, live_server, "bob")
        context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        for path in pages(agenda, priority, measure):
            page.goto(live_server.url + path)
            assert page_width(page) == width, f"{path} at {width} px ({language})"
            if ".ka-budget" in page.content() and page.locator(".ka-budget").count():
                box = budget_box(page)
                assert "ka-table-scroll" in box["cls"]
                if width == 1280:
                    # The whole grid, total column included, is visible without scrolling.
                    assert box["scroll"] <= box["client"], f"{path}: the budget grid is cut off at 1280 px"
                else:
                    assert box["scroll"] > box["client"]  # it scrolls in its own box
        context.close()


def test_on_a_phone_the_year_stays_in_view_while_the_grid_scrolls(live_server, browser, agenda_with_measure):
    agenda, _priority, measure = agenda_with_measure
    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    log_in(page, live_server, "bob")
    page.goto(f"{live_server.url}/agendas/{agenda.pk}/maatregelen/{measure.pk}/")
    box = page.locator(".ka-budget")
    year = page.locator("#budget-row-2027 > th")
    before = year.bounding_box()["x"]
    box.evaluate("box => { box.scrollLeft = 400; }")
    assert box.evaluate("box => box.scrollLeft") > 0
    assert abs(year.bounding_box()["x"] - before) < 1
    # The caption stays readable in the visible part of the box.
    caption = page.locator(".ka-budget caption").bounding_box()
    assert caption["x"] + caption["width"] <= 390
    context.close()


def test_typing_at_suggests_members_and_the_keyboard_picks_one(live_server, page, agenda_with_measure):
    agenda, _priority, _measure = agenda_with_measure
    log_in(page, live_server, "bob")
    page.goto(f"{live_server.url}/agendas/{agenda.pk}/")
    box = page.get_by_label("Uw reactie")
    box.click()
    box.press_sequentially("Wat vind jij, @al")
    listbox = page.get_by_role("listbox", name="Leden van de coalitie")
    expect(listbox).to_be_visible()
    options = listbox.get_by_role("option")
    expect(options).to_have_text(["Alice @alice"])
    assert box.get_attribute("aria-activedescendant") == options.first.get_attribute("id")
    assert serious_violations(page) == []
    page.keyboard.press("Enter")
    assert box.input_value() == "Wat vind jij, @alice "
    expect(listbox).to_be_hidden()

    box.press_sequentially("en @")
    expect(options).to_have_count(2)  # alice and bob: victor is no member
    page.keyboard.press("ArrowDown")
    expect(listbox.get_by_role("option", selected=True)).to_have_text("Bob @bob")
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    assert box.input_value() == "Wat vind jij, @alice en @"

    # Unknown: the server says so at the box, and keeps the text.
    box.press_sequentially("niemand")
    page.get_by_role("button", name="Reactie plaatsen").click()
    expect(page.locator("#id_comment_body_error")).to_contain_text("Onbekende vermelding: @niemand.")
    assert page.get_by_label("Uw reactie").input_value() == "Wat vind jij, @alice en @niemand"

    page.get_by_label("Uw reactie").fill("Wat vind jij, @alice?")
    page.get_by_role("button", name="Reactie plaatsen").click()
    expect(page.locator(".ka-comment .ka-mention")).to_have_text("@Alice")
