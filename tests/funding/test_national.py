"""The national picture of Rijk funding and the exports of decisions per region and year."""

import csv
import io
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.template.defaultfilters import floatformat
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from coalitions.models import Organisation
from funding import national, services
from funding.models import Decision
from funding.national_views import map_classes
from regions.models import Region, Theme
from regions.selectors import data_snapshot, member_codes, population, region_profile
from reviews.models import Submission
from tests.factories import make_coalition, make_user
from tests.funding.factories import advised_submission, make_programme, propose

pytestmark = pytest.mark.django_db

URL = "/financiering/landelijk/"


def approved(submission, programme, proposer, approver, tranches=None):
    decision = propose(submission, programme, proposer, tranches=tranches, difference_explanation="Bijgesteld.")
    services.decision_approve(actor=approver, decision_id=decision.pk, verified=True)
    decision.refresh_from_db()
    return decision


def other_submission(chair, slug, region_code):
    coordinator = make_user(f"coordinator-{slug}")
    coalition = make_coalition(coordinator=coordinator, slug=slug, region_code=region_code)
    return advised_submission(coalition, coordinator, chair)


@pytest.fixture
def programme(proposer):
    return make_programme(proposer, envelope=5_000_000, name="Kansen voor regio's")


@pytest.fixture
def decisions(coalition, alice, chair, proposer, approver, programme):
    """Oost-Groningen (CR01): 100.000; the province of Groningen (PV20, contains CR01): 50.000."""
    first = approved(advised_submission(coalition, alice, chair), programme, proposer, approver)
    second = approved(
        other_submission(chair, "groningen", "PV20"), programme, proposer, approver, {2026: 30_000, 2028: 20_000}
    )
    return first, second


def map_of(client, page: str) -> str:
    """The SVG of the map the page shows as an image (funding.national_views.national_map)."""
    src = re.search(r'<img class="nat-map__image" src="([^"]+)"', page).group(1).replace("&amp;", "&")
    response = client.get(src)
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml; charset=utf-8"
    return response.content.decode()


def municipality_rows(client, query=None) -> dict[str, str]:
    """Every row of the paged table per municipality, by code, following its pages."""
    rows, number = {}, 1
    while True:
        page = client.get(URL, {**(query or {}), "gemeente_pagina": number}).content.decode()
        table = page.split('id="municipalities-caption"')[1].split("</table>")[0]
        rows.update(re.findall(r'data-municipality="(\w+)">(.*?)</tr>', table, flags=re.S))
        if f"gemeente_pagina={number + 1}#nat-table" not in page:
            return rows
        number += 1


def per_inhabitant(amount, region):
    year = data_snapshot().years[national.POPULATION_INDICATOR]
    return amount / population(region, year)


def test_the_page_shows_funding_per_inhabitant_spread_by_population(client, decisions):
    first, second = decisions
    oost = Region.objects.get(code="CR01")
    province = Region.objects.get(code="PV20")
    inside = sorted(member_codes(oost))[0]  # in both regions
    outside = sorted(set(member_codes(province)) - set(member_codes(oost)))[0]  # only in the province
    expected_inside = per_inhabitant(100_000, oost) + per_inhabitant(50_000, province)
    expected_outside = per_inhabitant(50_000, province)

    response = client.get(URL)  # anonymous
    assert response.status_code == 200
    picture = response.context["picture"]
    assert picture.municipalities[inside].per_inhabitant == pytest.approx(expected_inside)
    assert picture.municipalities[outside].per_inhabitant == pytest.approx(expected_outside)
    # Every other municipality has nothing; the whole amount is spread.
    assert sum(m.committed for m in picture.municipalities.values()) == pytest.approx(150_000)
    assert picture.total == 150_000

    page = response.content.decode()
    with translation.override("nl"):
        shown = floatformat(expected_inside, "2g")
    row = municipality_rows(client)[inside]
    assert (
        f'<td class="utrecht-table__cell utrecht-table__cell--numeric-column" data-per-inhabitant>{shown}</td>' in row
    )
    # The map: one shape per municipality, each with a title naming the value.
    drawing = map_of(client, page)
    assert drawing.count('class="nat-map__area ') == 342
    assert f"€\u00a0{shown} per inwoner" in drawing
    # Per region and year, and per programme and year.
    assert [r.region.name for r in picture.regions] == ["Groningen", "Oost-Groningen"]  # by name
    assert {r.region.code: r.by_year for r in picture.regions} == {
        "CR01": {2026: 60_000, 2027: 40_000},
        "PV20": {2026: 30_000, 2028: 20_000},
    }
    assert picture.years == [2026, 2027, 2028]
    assert picture.year_totals() == [90_000, 40_000, 20_000]
    assert "Rekenregel" in page


def test_municipal_deficits_follow_the_profile_rule():
    deficits = national.municipal_deficits()
    assert len(deficits) == 342
    for code in ("GM0014", "GM0037", "GM0363", "GM0114"):
        profile = region_profile(Region.objects.get(code=code))
        assert deficits[code] == national.Deficit(profile.accumulated_deficit, profile.themes_with_data)


def test_proposed_and_rejected_decisions_never_count(client, chair, proposer, approver, programme):
    rejected = propose(other_submission(chair, "twente", "CR15"), programme, proposer)
    services.decision_reject(actor=approver, decision_id=rejected.pk, reason="Niet passend.")
    proposed = propose(other_submission(chair, "delfzijl", "CR02"), programme, proposer)

    picture = client.get(URL).context["picture"]
    assert picture.total == 0 and picture.decisions == [] and picture.regions == []
    assert all(m.committed == 0 for m in picture.municipalities.values())
    body = client.get(reverse("funding:export-csv")).content.decode("utf-8-sig")
    assert rejected.reference not in body and proposed.reference not in body


def test_filters_by_programme_theme_and_goal(client, decisions, proposer):
    first, second = decisions
    # The second agenda's snapshot names another theme, and no goals.
    other_theme = Theme.objects.order_by("position")[5]
    snapshot = second.submission.snapshot
    snapshot["themes"] = [other_theme.code]
    for priority in snapshot["priorities"]:
        priority["themes"] = [other_theme.code]
        priority["goals"] = []
        for measure in priority["measures"]:
            measure["goals"] = []
    Submission.objects.filter(pk=second.submission_id).update(snapshot=snapshot)
    # A decision in another programme.
    other_programme = make_programme(proposer, name="Ander programma")
    Decision.objects.filter(pk=second.pk).update(programme=other_programme)

    def references(**query):
        response = client.get(URL, query)
        assert response.status_code == 200
        return {d.reference for d in response.context["picture"].decisions}

    assert references() == {first.reference, second.reference}
    assert references(programme=first.programme_id) == {first.reference}
    assert references(programme=other_programme.pk) == {second.reference}
    assert references(theme=other_theme.code) == {second.reference}
    first_theme = first.submission.snapshot["priorities"][0]["themes"][0]
    assert references(theme=first_theme) == {first.reference}
    assert references(goal="sdg:3.4") == {first.reference}
    assert references(goal="sdg:3") == {first.reference}  # a goal matches its targets
    # An unknown value is an error on the form, not a crash.
    assert client.get(URL, {"theme": "bestaat-niet"}).status_code == 400
    # The exports take the same filters, and the page links to them with the valid filters only.
    page = client.get(URL, {"theme": other_theme.code, "junk": "<x>"}).content.decode()
    assert f'/financiering/export.csv?theme={other_theme.code}"' in page
    assert "export.csv?junk" not in page and '&amp;junk=%3Cx%3E">Download' not in page
    body = client.get(reverse("funding:export-csv"), {"theme": other_theme.code}).content.decode("utf-8-sig")
    assert second.reference in body and first.reference not in body


def test_the_csv_has_a_row_per_decision_and_year_and_neutralises_formulas(client, decisions):
    first, second = decisions
    Organisation.objects.filter(pk=first.lead_partner_id).update(name='=HYPERLINK("http://x","klik")')
    response = client.get(reverse("funding:export-csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Kenmerk",
        "Programma",
        "Regiocode",
        "Regio",
        "Penvoerder",
        "Jaar",
        "Bedrag (euro)",
        "Datum besluit",
        "Status tranche",
        "Uitbetaald op",
        "Teruggevorderd (euro)",
    ]
    body = sorted((r[0], r[2], r[5], r[6]) for r in rows[1:])
    assert body == sorted(
        [
            (first.reference, "CR01", "2026", "60000"),
            (first.reference, "CR01", "2027", "40000"),
            (second.reference, "PV20", "2026", "30000"),
            (second.reference, "PV20", "2028", "20000"),
        ]
    )
    lead = {r[4] for r in rows[1:] if r[0] == first.reference}
    assert lead == {'\'=HYPERLINK("http://x","klik")'}
    assert all(r[7] == timezone.localdate(first.decided_at).isoformat() for r in rows[1:] if r[0] == first.reference)
    assert {(r[8], r[9], r[10]) for r in rows[1:]} == {("Gepland", "", "0")}


def test_the_exports_show_what_was_paid_out_and_reclaimed(client, decisions, approver):
    import datetime

    from funding import monitoring

    first, _second = decisions
    tranche = first.tranches.get(year=2026)
    monitoring.tranche_release(
        actor=approver, tranche_id=tranche.pk, verified=True, note="Ok", today=datetime.date(2026, 3, 1)
    )
    monitoring.tranche_reclaim(
        actor=approver, tranche_id=tranche.pk, amount=5_000, reason="Niet besteed", verified=True
    )
    tranche.refresh_from_db()
    rows = list(
        csv.reader(io.StringIO(client.get(reverse("funding:export-csv")).content.decode("utf-8-sig")), delimiter=";")
    )
    row = next(r for r in rows[1:] if r[0] == first.reference and r[5] == "2026")
    assert row[8:] == ["Teruggevorderd", timezone.localdate(tranche.released_at).isoformat(), "5000"]
    lines = list(load_workbook(io.BytesIO(client.get(reverse("funding:export-xlsx")).content))["Beschikkingen"].values)
    line = next(v for v in lines[1:] if v[0] == first.reference and v[5] == 2026)
    assert (line[8], line[10]) == ("Teruggevorderd", 5_000)


def test_the_xlsx_has_the_decisions_and_the_totals_per_region_and_year(client, decisions):
    first, second = decisions
    Organisation.objects.filter(pk=second.lead_partner_id).update(name="@SUM(1)")
    response = client.get(reverse("funding:export-xlsx"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Beschikkingen", "Per regio en jaar"]
    lines = list(workbook["Beschikkingen"].iter_rows(values_only=True))
    assert len(lines) == 5
    assert {line[4] for line in lines[1:] if line[0] == second.reference} == {"'@SUM(1)"}
    totals = list(workbook["Per regio en jaar"].iter_rows(values_only=True))
    assert totals[0][:6] == ("Regiocode", "Regio", 2026, 2027, 2028, "Totaal")
    by_code = {row[0]: row[2:6] for row in totals[1:]}
    assert by_code["CR01"] == (60_000, 40_000, 0, 100_000)
    assert by_code["PV20"] == (30_000, 0, 20_000, 50_000)
    assert by_code["Totaal"] == (90_000, 40_000, 20_000, 150_000)


def test_the_page_takes_a_constant_number_of_queries(client, coalition, alice, chair, proposer, approver, programme):
    approved(advised_submission(coalition, alice, chair), programme, proposer, approver)

    def count():
        client.get(URL)  # warm the caches (data snapshot, map, deficits)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    one = count()
    for slug, code in (("twente", "CR15"), ("delfzijl", "CR02")):
        approved(other_submission(chair, slug, code), programme, proposer, approver)
    three = count()
    print(f"queries: {one} with 1 decision, {three} with 3")
    assert one == three
    assert one <= 12


def test_the_national_picture_as_data_in_the_api(client, decisions, programme, proposer):
    first, second = decisions
    # A proposal does not count.
    propose(other_submission(first.submission.round.created_by, "twente", "CR12"), programme, proposer)
    response = client.get("/api/v1/national/")
    assert response.status_code == 200
    data = response.json()
    assert data["total"] == first.amount_awarded + second.amount_awarded
    assert [p["name"] for p in data["programmes"]] == ["Kansen voor regio's"]
    assert sorted(r["code"] for r in data["regions"]) == ["CR01", "PV20"]
    assert len(data["municipalities"]) == 342
    committed = sum(m["committed"] for m in data["municipalities"])
    assert committed == pytest.approx(data["total"], abs=0.01)
    assert client.get("/api/v1/national/", {"programme": "999999"}).status_code == 400
    assert client.get("/api/v1/national/", {"theme": "geen-thema"}).status_code == 400


def test_approved_amendments_show_at_once_even_when_the_totals_come_back_the_same(
    client, decisions, proposer, approver
):
    from funding import amendments

    first, second = decisions  # first: 2026 60.000, 2027 40.000 (CR01); second: 2026 30.000, 2028 20.000 (PV20)

    def by_region():
        return {r["code"]: r["by_year"] for r in client.get("/api/v1/national/").json()["regions"]}

    def amend(decision, tranches):
        amendment = amendments.amendment_propose(actor=proposer, decision_id=decision.pk, tranches=tranches, reason="x")
        amendments.amendment_approve(actor=approver, amendment_id=amendment.pk, verified=True)

    assert by_region()["CR01"]["2027"] == 40_000
    # 20.000 a year later in one region, 10.000 two years earlier in the other: the count, the sum and the
    # year-weighted sum of all approved tranches are what they were, only the split over regions differs.
    amend(first, {2026: 40_000, 2027: 60_000})
    amend(second, {2026: 40_000, 2028: 10_000})
    after = by_region()
    assert (after["CR01"]["2026"], after["CR01"]["2027"]) == (40_000, 60_000)
    assert (after["PV20"]["2026"], after["PV20"]["2028"]) == (40_000, 10_000)


# --- reading the page: the goal filter, the map's classes and legend, wide tables ---------------------


def goal_options(page: str) -> dict[str, str]:
    select = page.split('name="goal"')[1].split("</select>")[0]
    return dict(re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', select))


def test_the_goal_filter_names_every_goal_with_its_title(client, decisions):
    first, second = decisions
    # An EU objective as the snapshots store it: no Dutch title of its own (the catalogue has only English).
    snapshot = second.submission.snapshot
    snapshot["priorities"][0]["goals"] = [{"catalogue": "eu", "code": "RSO2.2", "goal": "PO2", "title": ""}]
    Submission.objects.filter(pk=second.submission_id).update(snapshot=snapshot)
    cache.clear()

    options = goal_options(client.get(URL).content.decode())
    assert options["sdg:3"] == "SDG 3 — Goede gezondheid en welzijn"
    assert options["sdg:3.4"].startswith("SDG 3.4 — Tegen 2030 de vroegtijdige sterfte")
    assert options["eu:PO2"].startswith("EU PO2 — a greener, low-carbon transitioning")
    assert options["eu:RSO2.2"].startswith("EU RSO2.2 — promoting renewable energy")
    # Every goal has a title; long ones are cut, not the page.
    assert all(" — " in label and len(label) <= 110 for value, label in options.items() if value)
    # SDG 3 before SDG 3.4; the catalogues in their order.
    values = [value for value in options if value]
    assert values.index("sdg:3") < values.index("sdg:3.4") and values.index("eu:PO2") < values.index("eu:RSO2.2")

    client.cookies["django_language"] = "en"
    english = goal_options(client.get(URL).content.decode())
    assert english["sdg:3"] == "SDG 3 — Good health and well-being"


def test_map_classes_are_round_steps_of_euros_per_inhabitant():
    assert national.class_breaks([None, 0, 10.0, 118.4]) == [30, 60, 90]
    assert national.class_ceiling([10.0, 118.4]) == 120
    assert national.class_breaks([40.0]) == [10, 20, 30]
    assert national.class_breaks([]) == [] and national.class_ceiling([None, 0]) is None
    with translation.override("nl"):
        legend, classes = map_classes({"GM1": None, "GM2": 10.0, "GM3": 30.0, "GM4": 30.01, "GM5": 118.4})
    assert [(c.index, c.label, c.count) for c in legend] == [
        (0, "geen toezegging", 1),
        (1, "tot en met €\xa030", 2),
        (2, "€\xa030 – €\xa060", 1),
        (3, "€\xa060 – €\xa090", 0),
        (4, "€\xa090 – €\xa0120", 1),
    ]
    assert classes == {"GM1": 0, "GM2": 1, "GM3": 1, "GM4": 2, "GM5": 4}
    # Small amounts per inhabitant: bounds in cents.
    with translation.override("nl"):
        legend, _classes = map_classes({"GM1": 0.35})
    assert [c.label for c in legend][1:] == [
        "tot en met €\xa00,10",
        "€\xa00,10 – €\xa00,20",
        "€\xa00,20 – €\xa00,30",
        "€\xa00,30 – €\xa00,40",
    ]


def test_the_map_legend_matches_the_coloured_areas(client, decisions):
    page = client.get(URL).content.decode()
    legend = re.findall(r'<li class="nat-map__legend-item" data-class="(\w+)">.*?</li>', page, flags=re.S)
    assert legend == ["0", "1", "2", "3", "4", "hatch"]
    drawing = map_of(client, page)
    areas = re.findall(r'class="nat-map__area nat-map__area--(\d)"', drawing)
    assert len(areas) == 342 and set(areas) - {"0"}  # some money on the map
    counts = dict(
        re.findall(
            r'data-class="(\d)"><span class="nat-map__swatch[^>]*></span><span>[^<]*<span class="ka-muted">\((\d+) ',
            page,
        )
    )
    assert {cls: str(areas.count(cls)) for cls in "01234"} == counts
    # Every municipality is named: on the map (its title) and in the table (a page at a time), with its class.
    assert drawing.count("<title>") == 342 and drawing.count('<title id="nat-map-title">') == 1
    assert len(municipality_rows(client)) == 342 and "Klasse op de kaart" in page
    # The euro classes and the hatching are explained in words.
    assert "per inwoner" in page and "gearceerd: achterstand op minstens" in page


def test_wide_tables_scroll_in_their_own_box(client, decisions):
    page = client.get(URL).content.decode()
    for caption in ("programme-years-caption", "regions-caption", "municipalities-caption"):
        assert f'<div class="ka-table-scroll" role="region" aria-labelledby="{caption}" tabindex="0">' in page
