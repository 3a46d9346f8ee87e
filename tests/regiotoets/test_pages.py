"""The register's pages: the list with its filters and map, an entry, the CSV, the forms, the region page's panel."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.utils import timezone

from regiotoets.models import Entry
from tests.factories import make_user
from tests.regiotoets.factories import effect, record
from tests.signals.factories import make_ministry, make_official, signal_agenda

pytestmark = pytest.mark.django_db


@pytest.fixture
def ministry():
    return make_ministry("vws")


@pytest.fixture
def official(ministry):
    return make_official("ambtenaar", ministry)


@pytest.fixture
def two(official, ministry):
    ienw = make_ministry("ienw")
    admin = make_user("programmabeheer", role="programme_admin")
    health = record(official, ministry, title="Spoedpost dicht", region_codes=["CR01"])
    rail = record(
        admin,
        ienw,
        title="Nieuwe spoorlijn",
        kind="investment",
        region_codes=["CR17"],
        effects=[effect("wonen", "positive", evidence="https://example.org/mkba"), effect("milieu", "unknown")],
    )
    return health, rail


def titles(response) -> list[str]:
    return [entry.title for entry in response.context["entries"]]


def test_the_register_lists_filters_and_counts(client, two):
    health, rail = two
    # The same decision date: the last recorded first.
    assert titles(client.get("/regiotoets/")) == ["Nieuwe spoorlijn", "Spoedpost dicht"]
    assert titles(client.get("/regiotoets/?ministry=ienw")) == ["Nieuwe spoorlijn"]
    assert titles(client.get("/regiotoets/?kind=closure")) == ["Spoedpost dicht"]
    assert titles(client.get("/regiotoets/?effect=negative")) == ["Spoedpost dicht"]
    assert titles(client.get("/regiotoets/?theme=wonen&effect=positive")) == ["Nieuwe spoorlijn"]
    assert titles(client.get("/regiotoets/?theme=wonen&effect=negative")) == []
    # A region: the entries that affect it (Stadskanaal lies in Oost-Groningen).
    assert titles(client.get("/regiotoets/?region=GM0037")) == ["Spoedpost dicht"]
    assert titles(client.get("/regiotoets/?region=PV26")) == ["Nieuwe spoorlijn"]
    html = client.get("/regiotoets/?region=GM0037").content.decode()
    assert "1 rijksbesluit voldoet aan het filter" in html


@pytest.mark.parametrize(
    "query, field",
    [("ministry=geen", "ministry"), ("region=XX99", "region"), ("theme=x", "theme"), ("effect=slecht", "effect")],
)
def test_a_wrong_filter_is_a_400_with_the_error_at_its_field(client, two, query, field):
    response = client.get(f"/regiotoets/?{query}")
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    html = response.content.decode()
    assert f'id="id_{field}-error"' in html and 'aria-invalid="true"' in html
    assert client.get(f"/regiotoets/export.csv?{query}").status_code == 400


def test_the_map_counts_negative_effects_on_lagging_themes_per_municipality(client, two):
    response = client.get("/regiotoets/")
    rows = {code: count for code, _name, count in response.context["map_rows"]}
    # Spoedpost dicht: negative on Gezondheid in the municipalities of Oost-Groningen, which lag on it themselves.
    assert rows and set(rows) <= {"GM0037", "GM0047", "GM0765", "GM1895", "GM1950"} and set(rows.values()) == {1}
    svg = client.get("/regiotoets/kaart.svg")
    assert svg["Content-Type"].startswith("image/svg+xml")
    text = svg.content.decode()
    assert "Stadskanaal: 1 negatief effect op een achterstandsthema" in text
    assert "Utrecht: 0 negatieve effecten op achterstandsthema's" in text


def test_an_entry_page_shows_its_effects_regions_and_flags(client, two):
    health, rail = two
    html = client.get(f"/regiotoets/{health.pk}/").content.decode()
    assert "Spoedpost dicht" in html and health.reference in html
    assert "Oost-Groningen</a>: Gezondheid" in html  # the region lags on the theme with a negative effect
    html = client.get(f"/regiotoets/{rail.pk}/").content.decode()
    assert '<a href="https://example.org/mkba" rel="nofollow">' in html
    assert "Negatief effect op een thema waarop de regio achterloopt" not in html
    # No official is named on a public page.
    assert "Ambtenaar" not in html and "Programmabeheer" not in html


def test_user_text_is_escaped(client, official, ministry):
    entry = record(official, ministry, title="<script>alert(1)</script>", summary="<b>vet</b>")
    html = client.get(f"/regiotoets/{entry.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;b&gt;vet&lt;/b&gt;" in html


def test_the_csv_has_a_row_per_effect_in_the_projects_format(client, two):
    response = client.get("/regiotoets/export.csv?ministry=ienw")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="regiotoets-')
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Kenmerk", "Titel", "Besluit of voorstel"]
    assert [(row[1], row[8], row[9]) for row in rows[1:]] == [
        ("Nieuwe spoorlijn", "Wonen", "Positief"),
        ("Nieuwe spoorlijn", "Milieu", "Onbekend"),
    ]
    assert rows[1][6] == "CR17"


def test_a_formula_in_a_title_is_neutralised_in_the_csv(client, official, ministry):
    record(official, ministry, title="=HYPERLINK(1)")
    rows = list(
        csv.reader(io.StringIO(client.get("/regiotoets/export.csv").content.decode("utf-8-sig")), delimiter=";")
    )
    assert not rows[1][1].startswith("=")


# --- the forms ----------------------------------------------------------------------------------------------------


def form_data(ministry, **fields) -> dict:
    data = {
        "title": "Sluiting van het station",
        "ministry": ministry.pk,
        "status": "decision",
        "kind": "closure",
        "decision_date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "summary": "Het station sluit.",
        "source_url": "",
        "regions": ["GM0037", "CR17"],
        "effect-gezondheid-expected": "negative",
        "effect-gezondheid-reason": "Verder naar de dokter.",
        "effect-gezondheid-evidence": "",
    }
    data.update(fields)
    return data


def test_an_official_records_an_entry_on_the_page(client, official, ministry):
    client.force_login(official)
    page = client.get("/regiotoets/nieuw/")
    html = page.content.decode()
    assert 'name="regions" value="GM0037"' in html and 'name="effect-gezondheid-reason"' in html
    assert "data-region-search hidden" in html  # the search box waits for the script
    response = client.post("/regiotoets/nieuw/", form_data(ministry))
    entry = Entry.objects.get()
    assert response.status_code == 302 and response.url == f"/regiotoets/{entry.pk}/"
    assert sorted(entry.regions.values_list("code", flat=True)) == ["CR17", "GM0037"]


def test_the_form_shows_the_services_errors_at_their_fields_and_keeps_the_input(client, official, ministry):
    client.force_login(official)
    data = form_data(ministry, regions=[], **{"effect-gezondheid-reason": ""})
    data["effect-wonen-reason"] = "Een reden zonder effect"
    response = client.post("/regiotoets/nieuw/", data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "regions" in errors
    assert errors["effect-gezondheid-reason"] == ["Geef in een korte zin de reden voor dit effect."]
    assert "effect-wonen-expected" in errors
    html = response.content.decode()
    assert 'value="Sluiting van het station"' in html and "Een reden zonder effect" in html
    assert not Entry.objects.exists()
    nothing = {"effect-gezondheid-expected": "", "effect-gezondheid-reason": ""}
    response = client.post("/regiotoets/nieuw/", form_data(ministry, **nothing))
    assert response.status_code == 400 and "effects" in response.context["form"].errors
    assert "Leg het verwachte effect vast op minstens één thema" in response.content.decode()


def test_an_official_cannot_pick_another_ministry_on_the_form(client, official):
    client.force_login(official)
    response = client.post("/regiotoets/nieuw/", form_data(make_ministry("ienw")))
    assert response.status_code == 400 and response.context["form"].errors["ministry"]
    assert not Entry.objects.exists()


def test_the_edit_form_starts_from_the_entry(client, official, ministry):
    entry = record(official, ministry, effects=[effect("gezondheid", "negative", evidence="Rapport GGD")])
    client.force_login(official)
    html = client.get(f"/regiotoets/{entry.pk}/bewerken/").content.decode()
    assert f'value="{entry.decision_date.isoformat()}"' in html
    assert 'name="regions" value="CR01" checked' in html and 'value="Rapport GGD"' in html
    response = client.post(f"/regiotoets/{entry.pk}/bewerken/", form_data(ministry, title="Gewijzigd"))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.title == "Gewijzigd"


# --- the region page ----------------------------------------------------------------------------------------------


def test_the_region_page_shows_the_entries_that_affect_it_flagged_first(client, two, coalition, alice, bob, victor):
    health, rail = two
    record(
        health.recorded_by, health.ministry, title="Positief voor Oost-Groningen", effects=[effect("wonen", "positive")]
    )
    html = client.get("/regios/CR01/").content.decode()
    assert "Regiotoets: rijksbesluiten die deze regio raken" in html
    flagged = html[html.index("regiotoets-flagged-heading") : html.index("Andere besluiten die deze regio raken")]
    assert "Spoedpost dicht" in flagged and "Gezondheid" in flagged
    assert "Positief voor Oost-Groningen" not in flagged and "Positief voor Oost-Groningen" in html
    assert "Nieuwe spoorlijn" not in html  # Utrecht's
    assert "/reageren/" not in html
    signal_agenda(coalition, alice)
    for user, may in ((alice, True), (bob, True), (victor, False)):
        client.force_login(user)
        html = client.get("/regios/CR01/").content.decode()
        assert (f"/regiotoets/{health.pk}/reageren/{coalition.slug}/" in html) == may
    # A municipality of the region is not the coalition's region: no link to respond there.
    client.force_login(alice)
    assert "/reageren/" not in client.get("/regios/GM0037/").content.decode()


def test_a_region_without_entries_says_so(client):
    html = client.get("/regios/CR17/").content.decode()
    assert "De regiotoets bevat nog geen rijksbesluit dat deze regio raakt." in html


def test_the_respond_page_asks_which_agenda_when_there_are_several(client, two, coalition, alice):
    health, _rail = two
    signal_agenda(coalition, alice, title="Eerste agenda")
    second = signal_agenda(coalition, alice, title="Tweede agenda")
    client.force_login(alice)
    url = f"/regiotoets/{health.pk}/reageren/{coalition.slug}/"
    html = client.get(url).content.decode()
    assert "Over welke agenda?" in html and f"?agenda={second.pk}" in html
    response = client.get(f"{url}?agenda={second.pk}")
    assert response.context["form"] is not None
    assert response.context["form"]["title"].value().startswith(f"Reactie op {health.reference}")
    assert response.context["form"]["themes"].value() == ["gezondheid"]  # the flagged theme


def test_the_respond_page_without_an_agenda_says_what_to_do(client, two, coalition, alice):
    client.force_login(alice)
    html = client.get(f"/regiotoets/{two[0].pk}/reageren/{coalition.slug}/").content.decode()
    assert "Uw coalitie heeft nog geen agenda" in html
