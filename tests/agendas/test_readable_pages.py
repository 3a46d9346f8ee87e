"""The agenda pages read with ease: indicator values with the precision of their unit, the budget as a
chart with a table, and every wide table in its own scrolling box.

The pages' width at 1280 and 390 px is checked in a real browser: test_agenda_layout_browser.py.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from agendas import forms, services
from agendas.baselines import Baseline
from agendas.charts import budget_chart
from agendas.selectors import agenda_document, agenda_queryset
from regions.models import Indicator
from tests.agendas.factories import make_agenda, make_measure, make_priority

TEMPLATES = Path(settings.BASE_DIR) / "agendas" / "templates" / "agendas"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def indicator(unit: str) -> Indicator:
    return Indicator.objects.filter(in_profile=True, unit=unit).order_by("code").first()


def target(ind: Indicator, baseline: str, value: str) -> services.TargetInput:
    return services.TargetInput(
        indicator_id=ind.pk,
        baseline_year=2024,
        baseline_value=Decimal(baseline),
        baseline_from_data=False,
        target_year=2035,
        target_value=Decimal(value),
    )


# --- numbers ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_targets_are_shown_with_the_precision_of_their_unit(client, coalition, alice):
    agenda = make_agenda(coalition, alice)
    share, count = indicator("% jongvolwassenen"), indicator("aantal")
    priority = make_priority(
        agenda, alice, targets=[target(share, "56.2831", "61.8841"), target(count, "1250.4", "1300")]
    )
    client.force_login(alice)
    for url in (f"/agendas/{agenda.pk}/", f"/agendas/{agenda.pk}/prioriteiten/{priority.pk}/"):
        page = client.get(url).content.decode()
        assert "56,3 (2024)" in page and "61,9 (2035)" in page
        assert "1.250 (2024)" in page and "1.300 (2035)" in page
        for raw in ("56,2831", "56.2831", "61,8841", "61,88", "56,28"):
            assert raw not in page
    client.cookies["django_language"] = "en"
    page = client.get(f"/agendas/{agenda.pk}/").content.decode()
    assert "56.3 (2024)" in page and "1,250 (2024)" in page


@pytest.mark.django_db
def test_the_indicator_choices_show_the_regions_value_rounded():
    share = indicator("% jongvolwassenen")
    with translation.override("nl"):
        choices = dict(forms.indicator_choices([share], {share.pk: Baseline(2024, Decimal("60.4900"))}))
    assert choices[share.pk].endswith("– regio 2024: 60,5")


@pytest.mark.django_db
def test_the_compare_view_shows_targets_with_the_precision_of_their_unit(client, coalition, alice):
    agenda = make_agenda(coalition, alice)
    share = indicator("% jongvolwassenen")
    make_priority(agenda, alice, targets=[target(share, "56.2831", "61.8841")])
    client.force_login(alice)
    page = client.get(reverse("agendas:compare", args=[agenda.pk]) + "?van=1&tot=2").content.decode()
    assert "van 56,3 (2024) naar 61,9 in 2035" in page
    assert "56,2831" not in page


# --- the budget chart -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_budget_chart_stacks_the_source_groups_per_year(coalition, alice):
    agenda = make_agenda(coalition, alice)
    priority = make_priority(agenda, alice)
    make_measure(
        agenda,
        priority,
        alice,
        budget={(2026, "rijk"): 500_000, (2026, "municipalities"): 100_000, (2026, "province"): 50_000},
    )
    make_measure(agenda, priority, alice, budget={(2027, "eu_esf"): 250_000, (2027, "private"): 10_000})
    document = agenda_document(agenda_queryset().get(pk=agenda.pk))
    with translation.override("nl"):
        chart = budget_chart(document.budget)
    assert chart.title == "Begroting per jaar en brongroep"
    assert [entry.label for entry in chart.legend] == ["Rijk", "Regio", "EU", "Privaat", "Overig"]
    assert chart.table.header == ["Jaar", "Rijk", "Regio", "EU", "Privaat", "Overig", "Totaal"]
    assert chart.table.rows[0] == ["2026", "€\xa0500.000", "€\xa0150.000", "–", "–", "–", "€\xa0650.000"]
    assert chart.table.rows[1] == ["2027", "–", "–", "€\xa0250.000", "€\xa010.000", "–", "€\xa0260.000"]
    assert len(chart.table.rows) == len(agenda.years)
    with translation.override("en"):
        assert budget_chart(document.budget).table.rows[0][-1].endswith("650,000")


@pytest.mark.django_db
def test_the_agenda_page_shows_the_chart_with_plain_coordinates(client, coalition, alice):
    agenda = make_agenda(coalition, alice)
    make_measure(agenda, make_priority(agenda, alice), alice)
    client.force_login(alice)
    page = client.get(f"/agendas/{agenda.pk}/").content.decode()
    budget = page.split('id="begroting"')[1]
    assert '<figure class="ka-chart"' in budget and "Begroting per jaar en brongroep" in budget
    drawing = budget.split('<svg class="ka-chart__svg"')[1].split("</svg>")[0]
    assert re.search(r'<rect class="ka-chart__s0" x="\d+(\.\d+)?" y="\d+(\.\d+)?"', drawing)
    # A Dutch decimal comma in an SVG coordinate breaks the drawing.
    assert not re.search(r'(x|y|width|height|x1|x2|y1|y2)="-?\d+,\d', drawing)
    assert "Tabel bij deze grafiek" in budget


# --- layout: every wide table scrolls in its own box ---------------------------------------------------


def page_templates() -> list[Path]:
    # The PDF is laid out for A4 by WeasyPrint: no scrolling there.
    return [p for p in sorted(TEMPLATES.rglob("*.html")) if "pdf" not in p.name]


def test_every_table_on_the_agenda_pages_is_in_a_scroll_box_with_a_name():
    tables = 0
    for path in page_templates():
        text = path.read_text(encoding="utf-8")
        assert "utrecht-table-container" not in text, f"{path.name}: use .ka-table-scroll (it shows the cue)"
        for match in re.finditer(r"<table\b", text):
            tables += 1
            opening = text[: match.start()].rsplit("<div", 1)[-1]
            assert 'class="ka-table-scroll' in opening, f"{path.name}: a table outside .ka-table-scroll"
            assert 'role="region"' in opening and 'tabindex="0"' in opening, path.name
            assert "aria-labelledby=" in opening or "aria-label=" in opening, path.name
    assert tables >= 8


def test_the_agenda_pages_load_their_stylesheet():
    for path in page_templates():
        text = path.read_text(encoding="utf-8")
        if "{% extends" in text and path.name != "base.html":
            assert text.startswith('{% extends "agendas/base.html" %}'), path.name
    assert "agendas/agendas.css" in (TEMPLATES / "base.html").read_text(encoding="utf-8")


def test_no_inline_style_or_script_on_the_agenda_pages():
    for path in page_templates():
        text = path.read_text(encoding="utf-8")
        assert " style=" not in text, path.name
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), f"{path.name}: inline script"
