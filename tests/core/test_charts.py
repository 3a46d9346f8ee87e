"""Server-side charts: geometry, the table alternative, the text for screen readers, and the notation."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from core import charts
from core.formatting import euro, figure


@pytest.mark.parametrize(
    ("value", "top", "step"),
    [(0, 1.0, 0.25), (7, 8, 2), (96, 100, 25), (1_250_000, 2_000_000, 500_000), (3.2, 4, 1)],
)
def test_the_axis_ends_on_a_round_number(value, top, step):
    assert charts.nice_ceiling(value) == (top, step)


def budget():
    return charts.columns(
        title="Begroting",
        categories=["2027", "2028", "2029"],
        series=[
            charts.Series("rijk", "Rijk", [500_000, 250_000, None]),
            charts.Series("regio", "Regio", [500_000, 0, 100_000]),
        ],
        format_value=euro,
        category_header="Jaar",
    )


def test_stacked_columns_are_proportional_and_start_on_the_baseline():
    chart = budget()
    first_year = [r for r in chart.rects if r.tooltip.startswith("2027")]
    assert [r.height for r in first_year] == [pytest.approx(first_year[0].height)] * 2  # 500k each
    # 1,000,000 in 2027 on an axis to 1,000,000 fills the plot height
    assert sum(r.height for r in first_year) == pytest.approx(chart.baseline_y - 16)
    assert first_year[0].y + first_year[0].height == pytest.approx(chart.baseline_y)
    assert len(chart.rects) == 4  # missing and zero values draw nothing


def test_columns_have_a_table_alternative_and_a_summary_in_the_readers_notation():
    with translation.override("nl"):
        chart = budget()
        assert chart.table.header == ["Jaar", "Rijk", "Regio", "Totaal"]
        assert chart.table.rows[0] == ["2027", "€\u00a0500.000", "€\u00a0500.000", "€\u00a01.000.000"]
        assert chart.table.rows[2][1] == "–"
        assert "het hoogst in 2027" in chart.summary
        html = render_to_string("core/charts/columns.html", {"chart": chart})
    assert 'role="img"' in html and "<desc" in html and "Tabel bij deze grafiek" in html
    assert 'style="' not in html  # CSP: no inline style
    with translation.override("en"):
        assert budget().table.rows[0][3] == "€1,000,000"


def test_an_empty_column_chart_says_so():
    chart = charts.columns(title="Leeg", categories=["2027"], series=[charts.Series("a", "A", [0])])
    assert chart.empty and "Nog geen bedragen" in render_to_string("core/charts/columns.html", {"chart": chart})


def test_bars_share_one_axis():
    chart = charts.bars(
        title="Bewijsscore",
        rows=[charts.BarRow("Focus", 30, 40, "30 / 40"), charts.BarRow("Ernst", 10, 20, "10 / 20")],
    )
    assert [(b.track_pct, b.value_pct) for b in chart.bars] == [(100, 75), (50, 25)]
    html = render_to_string("core/charts/bars.html", {"chart": chart})
    assert 'data-track="50"' in html and 'data-pct="25"' in html


def test_dots_show_the_spread_and_mark_disagreement():
    chart = charts.dots(
        title="Scores",
        rows=[charts.DotRow("Visie", [1, 5, 4], max_value=5), charts.DotRow("Budget", [3, 3, None], max_value=5)],
        labels=["Beoordelaar 1", "Beoordelaar 2", "Beoordelaar 3"],
    )
    vision, budget_row = chart.rows
    assert vision.disagreement and vision.spread_text == "1–5" and len(vision.dots) == 3
    assert not budget_row.disagreement and budget_row.spread_text == "3" and len(budget_row.dots) == 2
    assert chart.table.rows[1][3] == "–"
    assert "Visie" in chart.summary


@pytest.mark.parametrize(
    ("language", "value", "expected"), [("nl", 61.94, "61,9"), ("en", 61.95, "62.0"), ("nl", 1250, "1.250")]
)
def test_a_figure_is_rounded_half_up_in_the_readers_notation(language, value, expected):
    with translation.override(language):
        assert figure(value) == expected


@pytest.mark.parametrize(
    ("language", "value", "unit", "expected"),
    [
        ("nl", 56.2831, "%", "56,3"),
        ("en", 56.2831, "% jongvolwassenen", "56.3"),
        ("nl", "61.8841", "per 1 000 inwoners", "61,9"),
        ("nl", 105832.0, "aantal", "105.832"),
        ("en", 0.95, "km", "1.0"),
    ],
)
def test_an_indicator_value_has_the_precision_of_its_unit(language, value, unit, expected):
    from core.templatetags.formatting import measure

    with translation.override(language):
        assert measure(value, unit) == expected


def test_svg_coordinates_are_never_written_in_dutch_notation():
    import re

    with translation.override("nl"):
        dots = charts.dots(title="S", rows=[charts.DotRow("Visie", [1.5, 4], max_value=5)], labels=["B1", "B2"])
        html = render_to_string("core/charts/dots.html", {"chart": dots}) + render_to_string(
            "core/charts/columns.html", {"chart": budget()}
        )
    coordinates = re.findall(r' (?:x|y|x1|x2|y1|y2|cx|width|height)="([^"]*)"', html)
    assert coordinates and not [c for c in coordinates if "," in c]
