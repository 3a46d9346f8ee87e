"""Real browser: the budget table adds up while you type, and the agenda pages pass axe."""

import pytest
from playwright.sync_api import expect

from tests.agendas.factories import make_agenda, make_measure, make_priority
from tests.browser.helpers import log_in, serious_violations
from tests.factories import make_coalition, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def agenda_with_measure(real_data):
    alice, bob = make_user("alice"), make_user("bob")
    coalition = make_coalition(coordinator=alice, editor=bob)
    agenda = make_agenda(coalition, alice)
    priority = make_priority(agenda, alice)
    # 100.000 from the Rijk and 50.000 from the province in 2026.
    measure = make_measure(agenda, priority, alice)
    return agenda, measure


def test_the_budget_table_adds_up_while_typing_and_the_agenda_shows_the_new_total(
    live_server, page, agenda_with_measure
):
    agenda, measure = agenda_with_measure
    log_in(page, live_server, "bob")
    page.goto(f"{live_server.url}/agendas/{agenda.pk}/maatregelen/{measure.pk}/")
    grand_total = page.locator("[data-grand-total]")
    assert grand_total.inner_text() == "150.000"

    page.get_by_label("2027, Rijk (aanvraag)").fill("1.000.000")
    page.get_by_label("2027, EU: ESF+").fill("250000")
    # Before saving: the row, the columns, the grand total and the shares have changed.
    assert page.locator('[data-row-total="2027"]').inner_text() == "1.250.000"
    assert page.locator('[data-col-total="rijk"]').inner_text() == "1.100.000"
    assert page.locator('[data-col-total="eu_esf"]').inner_text() == "250.000"
    assert grand_total.inner_text() == "1.400.000"
    assert page.locator('[data-summary="rijk-share"]').inner_text() == "78,6%"

    # A year outside the measure's years (2026–2029) is marked as you change the end year.
    page.get_by_label("Eindjaar").fill("2026")
    assert page.locator("#budget-row-2027").get_attribute("class").count("ka-budget__row--outside") == 1
    page.get_by_label("Eindjaar").fill("2029")

    page.get_by_role("button", name="Maatregel opslaan").click()
    page.wait_for_url(f"{live_server.url}/agendas/{agenda.pk}/#maatregel-{measure.pk}")
    assert page.locator(f'[data-measure-total="{measure.pk}"]').inner_text() == "€\u00a01.400.000"
    assert page.locator("#begroting [data-grand-total]").inner_text() == "1.400.000"


def test_the_server_refuses_an_unreadable_amount_and_keeps_the_input(live_server, page, agenda_with_measure):
    agenda, measure = agenda_with_measure
    log_in(page, live_server, "bob")
    page.goto(f"{live_server.url}/agendas/{agenda.pk}/maatregelen/{measure.pk}/")
    page.get_by_label("2026, Gemeenten").fill("-5")
    page.get_by_role("button", name="Maatregel opslaan").click()
    expect(page.get_by_text("2026, Gemeenten: een bedrag kan niet negatief zijn.").first).to_be_visible()
    assert page.get_by_label("2026, Gemeenten").input_value() == "-5"
    assert serious_violations(page) == []


def test_the_goal_picker_filters_as_you_type(live_server, page, agenda_with_measure):
    agenda, measure = agenda_with_measure
    log_in(page, live_server, "bob")
    page.goto(f"{live_server.url}/agendas/{agenda.pk}/prioriteiten/nieuw/")
    select = page.locator("select[data-goal-picker]").first
    everything = select.locator("option").count()
    page.get_by_label("Zoek in de doelen").first.fill("klimaat")
    narrowed = select.locator("option").count()
    assert 1 < narrowed < everything


@pytest.mark.parametrize("page_name", ["detail", "measure", "priority-form"])
def test_the_agenda_pages_have_no_serious_axe_violations(live_server, page, agenda_with_measure, page_name):
    agenda, measure = agenda_with_measure
    log_in(page, live_server, "bob")
    path = {
        "detail": f"/agendas/{agenda.pk}/",
        "measure": f"/agendas/{agenda.pk}/maatregelen/{measure.pk}/",
        "priority-form": f"/agendas/{agenda.pk}/prioriteiten/{measure.priority_id}/bewerken/",
    }[page_name]
    page.goto(f"{live_server.url}{path}")
    violations = serious_violations(page)
    assert violations == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:5]) for v in violations]
