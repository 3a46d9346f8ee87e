"""Real browser: a coordinator files a signal from the agenda, the ministry's official acknowledges and answers it,
and the public page shows it with the answer; every page checked with axe and at 390 px without sideways scrolling."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from signals.models import Signal
from tests.browser.helpers import log_in, serious_violations
from tests.factories import make_coalition, make_user
from tests.signals.factories import make_ministry, make_official, signal_agenda

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 390


def fits(page, url: str) -> None:
    """At 390 px the page does not scroll sideways (wide tables scroll in their own box), and axe finds nothing."""
    page.set_viewport_size({"width": PHONE, "height": 900})
    page.goto(url)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE, url
    assert serious_violations(page) == [], url
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_signal_from_the_agenda_to_the_ministry_and_the_public(page, live_server, real_data):
    alice = make_user("alice")
    coalition = make_coalition(coordinator=alice)
    agenda = signal_agenda(coalition, alice)
    priority = agenda.priorities.get()
    ministry = make_ministry("ocw-test", name="Ministerie van Onderwijs (test)", acknowledge_days=5, answer_days=20)
    make_official("ambtenaar", ministry)

    # The coordinator files it from the agenda page.
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/agendas/{agenda.pk}/")
    page.get_by_role("link", name="Signaal indienen").click()
    assert serious_violations(page) == []
    page.get_by_label("Aan welk ministerie").select_option(label=f"{ministry.name} ({ministry.abbreviation})")
    page.get_by_label("Titel").fill("Leerlingenvervoer stopt aan de gemeentegrens")
    page.get_by_label("Programma of subsidieregeling").check()
    page.get_by_label("Wat blokkeert wat").fill("De regeling voor leerlingenvervoer vergoedt geen reis naar het mbo.")
    page.get_by_label("Welke prioriteit of maatregel het blokkeert").select_option(
        label=f"Prioriteit: {priority.title}"
    )
    page.get_by_role("button", name="Signaal indienen").click()
    signal = Signal.objects.get()
    page.wait_for_url(f"{live_server.url}/signalen/{signal.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Leerlingenvervoer stopt aan de gemeentegrens")
    assert signal.reference in page.content()
    fits(page, f"{live_server.url}/signalen/nieuw/{agenda.pk}/")
    fits(page, f"{live_server.url}/signalen/coalitie/{coalition.slug}/")

    # The ministry's official acknowledges and answers it.
    page.context.clear_cookies()
    log_in(page, live_server, "ambtenaar")
    page.goto(f"{live_server.url}/mijn-taken/")
    page.get_by_role("link", name="Ontvangst bevestigen").first.click()
    page.get_by_role("button", name="Ontvangst bevestigen").click()
    page.get_by_text("De ontvangst is bevestigd").wait_for()
    page.get_by_label("Overgenomen: het ministerie werkt eraan").check()
    page.get_by_label("Antwoord", exact=True).fill("OCW neemt het mbo op in de regeling voor leerlingenvervoer.")
    page.get_by_role("button", name="Antwoord versturen").click()
    page.get_by_text("Het antwoord is verstuurd").wait_for()
    signal.refresh_from_db()
    assert (signal.status, signal.outcome) == (Signal.Status.ANSWERED, Signal.Outcome.ACCEPTED)
    assert serious_violations(page) == []
    fits(page, f"{live_server.url}/signalen/ministerie/{ministry.slug}/")
    fits(page, f"{live_server.url}/signalen/{signal.pk}/")

    # The public page shows it with the answer, without logging in.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/openbaar/")
    page.get_by_role("link", name="Openbare signalen met de antwoorden, en hoe elk ministerie antwoordt").click()
    row = page.get_by_role("row").filter(has_text="Leerlingenvervoer stopt aan de gemeentegrens")
    expect(row).to_contain_text("Beantwoord")
    row.get_by_role("link").click()
    expect(page.locator("main")).to_contain_text("OCW neemt het mbo op in de regeling voor leerlingenvervoer.")
    expect(page.locator("main")).not_to_contain_text("Ambtenaar")
    fits(page, f"{live_server.url}/openbaar/signalen/")
    fits(page, f"{live_server.url}/openbaar/signalen/{signal.pk}/")
