"""Charts drawn on the server: SVG or plain HTML, with a table alternative and text for screen readers.

No JavaScript and no inline style (CSP-safe): geometry is computed here, colours
come from classes in ``core/static/css/app.css`` (``ka-chart__s0`` … ``s5``,
at least 3:1 against white and against their neighbours, and every segment is
separated by a white line, so colour is never the only cue: each has its own
legend entry, a tooltip and a row in the table).

Three kinds; build one in the view (or a selector) and include its template:

* :func:`columns` — stacked columns per category (e.g. an agenda's budget per
  year and source, a decision's tranches per year: paid, due, reclaimed)::

      chart = charts.columns(
          title=_("Begroting per jaar en bron"),
          categories=["2027", "2028"],
          series=[charts.Series("rijk", _("Rijk"), [500_000, 250_000]), ...],
          format_value=formatting.euro,
      )
      {% include "core/charts/columns.html" with chart=chart %}

* :func:`bars` — horizontal bars, each a value out of its own maximum, on one
  common axis (e.g. the evidence score's components: points of weight)::

      chart = charts.bars(title=..., rows=[charts.BarRow(_("Focus"), 30, 40, "30 / 40")], ...)
      {% include "core/charts/bars.html" with chart=chart %}

* :func:`dots` — per row the values of several (anonymous) sources on one axis
  with their range (e.g. reviewers' scores per criterion: spread and
  disagreement)::

      chart = charts.dots(title=..., rows=[charts.DotRow(_("Visie"), [3, 4, 1], max_value=5)], labels=[...])
      {% include "core/charts/dots.html" with chart=chart %}

Every chart has ``title`` (the figure caption), ``summary`` (one sentence for
screen readers, built by the caller or a default) and a ``table`` (header and
rows of formatted cells) shown in a ``<details>`` below it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.formatting import figure

_ids = itertools.count(1)

# SVG user units of a column chart; the SVG scales to its container.
WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 84, 12, 16, 40
PALETTE_SIZE = 6


def nice_ceiling(value: float, ticks: int = 4) -> tuple[float, float]:
    """(top, step): a round axis maximum at or above ``value`` and its tick step (1, 2 or 5 × 10^k)."""
    if value <= 0:
        return 1.0, 0.25
    raw = value / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if step * ticks >= value:
            return step * ticks, step
    return 10 * magnitude * ticks, 10 * magnitude  # pragma: no cover - the loop always returns


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    values: Sequence[float | None]


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    css: str
    tooltip: str


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class CategoryLabel:
    x: float
    label: str


@dataclass(frozen=True)
class LegendEntry:
    label: str
    css: str


@dataclass(frozen=True)
class Table:
    header: Sequence[str]
    rows: Sequence[Sequence[str]]


@dataclass(frozen=True)
class ColumnChart:
    id: str
    title: str
    summary: str
    width: int
    height: int
    plot_left: float
    plot_right: float
    baseline_y: float
    rects: Sequence[Rect]
    ticks: Sequence[Tick]
    labels: Sequence[CategoryLabel]
    legend: Sequence[LegendEntry]
    table: Table
    empty: bool


def columns(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    format_value: Callable[[float], str] = figure,
    summary: str = "",
    category_header: str = "",
) -> ColumnChart:
    """Stacked columns: one column per category, one segment per series (negative and missing values count as 0)."""
    totals = [sum(max(0.0, s.values[i] or 0.0) for s in series) for i in range(len(categories))]
    top, step = nice_ceiling(max(totals, default=0.0))
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    slot = plot_width / max(1, len(categories))
    column = min(56.0, slot * 0.7)
    rects: list[Rect] = []
    for i, category in enumerate(categories):
        x = LEFT + slot * i + (slot - column) / 2
        y = TOP + plot_height
        for n, item in enumerate(series):
            value = max(0.0, item.values[i] or 0.0)
            if not value:
                continue
            height = value / top * plot_height
            y -= height
            rects.append(
                Rect(
                    round(x, 2),
                    round(y, 2),
                    round(column, 2),
                    round(height, 2),
                    f"ka-chart__s{n % PALETTE_SIZE}",
                    f"{category} · {item.label}: {format_value(value)}",
                )
            )
    ticks = [
        Tick(round(TOP + plot_height - (k * step) / top * plot_height, 2), format_value(k * step))
        for k in range(round(top / step) + 1)
    ]
    # Every label when they fit, else every second or third.
    every = max(1, math.ceil(len(categories) * 44 / plot_width))
    labels = [
        CategoryLabel(round(LEFT + slot * i + slot / 2, 2), category)
        for i, category in enumerate(categories)
        if i % every == 0
    ]
    legend = [LegendEntry(s.label, f"ka-chart__s{n % PALETTE_SIZE}") for n, s in enumerate(series)]
    table = Table(
        header=[category_header or _("Categorie"), *[s.label for s in series], _("Totaal")],
        rows=[
            [
                category,
                *[format_value(s.values[i]) if s.values[i] else "–" for s in series],
                format_value(totals[i]),
            ]
            for i, category in enumerate(categories)
        ],
    )
    if not summary:
        peak = max(range(len(categories)), key=lambda i: totals[i], default=None)
        summary = (
            _("%(title)s: in totaal %(total)s; het hoogst in %(peak)s (%(value)s).")
            % {
                "title": title,
                "total": format_value(sum(totals)),
                "peak": categories[peak],
                "value": format_value(totals[peak]),
            }
            if peak is not None and totals[peak]
            else _("%(title)s: geen bedragen.") % {"title": title}
        )
    return ColumnChart(
        id=f"ka-chart-{next(_ids)}",
        title=title,
        summary=summary,
        width=WIDTH,
        height=HEIGHT,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        baseline_y=TOP + plot_height,
        rects=rects,
        ticks=ticks,
        labels=labels,
        legend=legend,
        table=table,
        empty=not any(totals),
    )


@dataclass(frozen=True)
class BarRow:
    label: str
    value: float | None
    maximum: float
    text: str  # the value as shown, e.g. "30 / 40"
    flag: str = ""  # a short word shown next to the value, e.g. "niet beoordeeld"


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    flag: str
    track_pct: int  # the row's maximum on the common axis, 0..100
    value_pct: int  # the value on the common axis, 0..100


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    summary: str
    bars: Sequence[Bar]
    table: Table


def bars(*, title: str, rows: Sequence[BarRow], summary: str = "", value_header: str = "") -> BarChart:
    """Horizontal bars on one axis: each row's track is its maximum, its bar its value (e.g. points of weight)."""
    top = max((r.maximum for r in rows), default=0.0) or 1.0
    drawn = [
        Bar(
            r.label,
            r.text,
            r.flag,
            round(r.maximum / top * 100),
            0 if r.value is None else round(max(0.0, min(r.value, r.maximum)) / top * 100),
        )
        for r in rows
    ]
    table = Table(
        header=[_("Onderdeel"), value_header or _("Waarde")],
        rows=[[r.label, f"{r.text} {r.flag}".strip()] for r in rows],
    )
    summary = summary or "; ".join(f"{r.label}: {r.text}" for r in rows)
    return BarChart(f"ka-chart-{next(_ids)}", title, summary, drawn, table)


@dataclass(frozen=True)
class DotRow:
    label: str
    values: Sequence[float | None]
    max_value: float
    min_value: float = 0.0


@dataclass(frozen=True)
class Dot:
    x: float
    css: str
    tooltip: str


@dataclass(frozen=True)
class DotLine:
    label: str
    dots: Sequence[Dot]
    range_from: float | None
    range_to: float | None
    spread_text: str
    disagreement: bool


@dataclass(frozen=True)
class DotChart:
    id: str
    title: str
    summary: str
    rows: Sequence[DotLine]
    legend: Sequence[LegendEntry]
    axis: Sequence[tuple[float, str]]
    table: Table
    track_width: int = 200
    left: int = 8
    right: int = 192


def dots(
    *,
    title: str,
    rows: Sequence[DotRow],
    labels: Sequence[str],
    disagreement_at: float | None = None,
    format_value: Callable[[float], str] = figure,
    summary: str = "",
) -> DotChart:
    """Per row the values of ``labels`` (e.g. "Beoordelaar 1") on one axis, their range, and whether they disagree.

    ``disagreement_at``: a range (max − min) of at least this much is marked
    "verschil van mening"; default: half the scale of the row.
    """
    left, right = 8, 192
    lines = []
    for row in rows:
        span = (row.max_value - row.min_value) or 1.0

        def x(value: float, row: DotRow = row, span: float = span) -> float:
            return round(left + (value - row.min_value) / span * (right - left), 2)

        known = [v for v in row.values if v is not None]
        limit = disagreement_at if disagreement_at is not None else span / 2
        low, high = (min(known), max(known)) if known else (None, None)
        lines.append(
            DotLine(
                label=row.label,
                dots=[
                    Dot(x(v), f"ka-chart__s{n % PALETTE_SIZE}", f"{labels[n]}: {format_value(v)}")
                    for n, v in enumerate(row.values)
                    if v is not None
                ],
                range_from=None if low is None else x(low),
                range_to=None if high is None else x(high),
                spread_text=(
                    ""
                    if low is None
                    else format_value(low)
                    if low == high
                    else f"{format_value(low)}–{format_value(high)}"
                ),
                disagreement=bool(known) and len(known) > 1 and (high - low) >= limit,
            )
        )
    first = rows[0] if rows else DotRow("", [], 1.0)
    axis = [
        (
            round(left + k / 4 * (right - left), 2),
            format_value(first.min_value + k / 4 * (first.max_value - first.min_value)),
        )
        for k in range(5)
    ]
    table = Table(
        header=[_("Onderdeel"), *labels, _("Spreiding")],
        rows=[
            [
                row.label,
                *[format_value(v) if v is not None else "–" for v in row.values],
                line.spread_text + (f" ({_('verschil van mening')})" if line.disagreement else ""),
            ]
            for row, line in zip(rows, lines, strict=True)
        ],
    )
    disagreeing = [line.label for line in lines if line.disagreement]
    summary = summary or (
        _("Verschil van mening bij: %(names)s.") % {"names": ", ".join(disagreeing)}
        if disagreeing
        else _("Geen groot verschil van mening.")
    )
    legend = [LegendEntry(label, f"ka-chart__s{n % PALETTE_SIZE}") for n, label in enumerate(labels)]
    return DotChart(f"ka-chart-{next(_ids)}", title, summary, lines, legend, axis, table)
