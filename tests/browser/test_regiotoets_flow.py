"""Real browser: an official of VWS records a national decision with a negative effect on Gezondheid, where the demo
region Parkstad Limburg lags; the region page shows it highlighted; the coalition's coordinator responds, and the
response is a signal to VWS. Every page checked with axe and at 390 px without sideways scrolling."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from regions import examples
from regions.models import Region
from regions.services import custom_region_save
from regiotoets.models import Entry, EntryResponse
from tests.browser.helpers import log_in, serious_violations
from tests.factories import make_coalition, make_user
from tests.signals.factories import make_ministry, make_official, signal_agenda

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 390
TITLE = "Spoedeisende hulp 's nachts dicht"


def fits(page, url: str) -> None:
    """At 390 px the page does not scroll sideways (wide tables scroll in their own box), and axe finds nothing."""
    page.set_viewport_size({"width": PHONE, "height": 900})
    page.goto(url)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE, url
    assert serious_violations(page) == [], url
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_entry_from_the_ministry_to_the_region_page_and_a_response_back(page, live_server, real_data):
    codes = Region.objects.filter(name__in=examples.PARKSTAD.municipalities, kind="municipality").values_list(
        "code", flat=True
    )
    parkstad = custom_region_save(code=examples.PARKSTAD.code, name=examples.PARKSTAD.name, municipality_codes=codes)
    coordinator = make_user("dirk")
    coalition = make_coalition(coordinator=coordinator, slug="parkstad-limburg", region_code=parkstad.code)
    agenda = signal_agenda(coalition, coordinator)
    priority = agenda.priorities.get()
    vws = make_ministry("vws", name="Ministerie van Volksgezondheid, Welzijn en Sport", abbreviation="VWS")
    make_official("ambtenaar", vws)

    # The official records the decision: a region found with the search box, an effect per theme.
    log_in(page, live_server, "ambtenaar")
    page.goto(f"{live_server.url}/regiotoets/")
    page.get_by_role("link", name="Rijksbesluit vastleggen").click()
    assert serious_violations(page) == []
    page.get_by_label("Titel").fill(TITLE)
    page.get_by_label("Ministerie").select_option(label=f"{vws.name} (VWS)")
    page.get_by_label("Besluit", exact=True).check()
    page.get_by_label("Sluiting").check()
    page.get_by_label("Datum van het besluit").fill((timezone.localdate() - datetime.timedelta(days=3)).isoformat())
    page.get_by_label("Samenvatting").fill("De spoedeisende hulp van het ziekenhuis gaat 's nachts dicht.")
    page.get_by_label("Zoek een regio op naam").fill("parkstad")
    page.get_by_label("Parkstad Limburg").check()
    expect(page.get_by_text("Gekozen: 1")).to_be_visible()
    page.locator("#effect-gezondheid summary").click()
    page.get_by_label("Verwacht effect op Gezondheid").select_option(label="Negatief")
    page.locator('input[name="effect-gezondheid-reason"]').fill("Langer reizen naar de spoedeisende hulp.")
    page.get_by_role("button", name="Vastleggen").click()
    entry = Entry.objects.get()
    page.wait_for_url(f"{live_server.url}/regiotoets/{entry.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("main")).to_contain_text("Parkstad Limburg: Gezondheid")
    assert serious_violations(page) == []
    fits(page, f"{live_server.url}/regiotoets/nieuw/")
    fits(page, f"{live_server.url}/regiotoets/{entry.pk}/bewerken/")

    # The region page shows it highlighted, with the theme where the region lags; also without logging in.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/regios/{parkstad.code}/")
    flagged = page.get_by_role("group", name="Negatief effect op een thema waarop deze regio al achterloopt: 1 besluit")
    expect(flagged).to_contain_text(TITLE)
    expect(flagged).to_contain_text("Gezondheid")
    fits(page, f"{live_server.url}/regiotoets/")
    fits(page, f"{live_server.url}/regiotoets/{entry.pk}/")
    fits(page, f"{live_server.url}/regios/{parkstad.code}/")

    # The coordinator responds from the region page: a signal to VWS about a priority of the agenda.
    log_in(page, live_server, "dirk")
    page.goto(f"{live_server.url}/regios/{parkstad.code}/")
    page.get_by_role("link", name=f"Reageren op {TITLE}").click()
    assert serious_violations(page) == []
    expect(page.get_by_label("Titel")).to_have_value(f"Reactie op {entry.reference}: {TITLE}")
    page.get_by_label("Wat blokkeert wat").fill(
        "Zonder nachtelijke spoedzorg komt onze prioriteit voor gezond ouder worden in gevaar."
    )
    page.get_by_label("Welke prioriteit of maatregel het blokkeert").select_option(
        label=f"Prioriteit: {priority.title}"
    )
    page.get_by_role("button", name="Reactie indienen").click()
    response = EntryResponse.objects.get()
    page.wait_for_url(f"{live_server.url}/signalen/{response.signal_id}/")
    expect(page.locator("main")).to_contain_text(f"{response.signal.reference} van {coalition.name} aan het {vws.name}")
    assert response.signal.ministry == vws and response.entry == entry
    fits(page, f"{live_server.url}/regiotoets/{entry.pk}/reageren/{coalition.slug}/")

    # The entry's page lists the response; the official finds it among the ministry's signals.
    page.goto(f"{live_server.url}/regiotoets/{entry.pk}/")
    expect(page.locator("main")).to_contain_text(response.signal.reference)
    page.context.clear_cookies()
    log_in(page, live_server, "ambtenaar")
    page.goto(f"{live_server.url}/signalen/ministerie/{vws.slug}/")
    expect(page.locator("main")).to_contain_text(f"Reactie op {entry.reference}")
