"""The review's figures as charts (core.charts): the evidence score's components and the reviewers' scores."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from core import charts
from core.formatting import figure
from reviews.rubric import DISAGREEMENT_SPREAD, SCORE_MAX, SCORE_MIN
from reviews.selectors import AggregateShown, EvidenceShown


def evidence_chart(evidence: EvidenceShown) -> charts.BarChart:
    """Points of weight per component, on one axis; a component that could not be judged has none."""
    rows = []
    for component in evidence.components:
        weight = component["weight"]
        points = None if component.get("points") is None else Decimal(component["points"])
        rows.append(
            charts.BarRow(
                component["title"],
                None if points is None else float(points),
                weight,
                f"{figure(points, 1)} / {weight}" if points is not None else f"– / {weight}",
                flag="" if points is not None else _("telt niet mee"),
            )
        )
    return charts.bars(
        title=_("Bewijsscore per onderdeel: punten van het gewicht"),
        rows=rows,
        summary=_("Bewijsscore %(total)s van 100. %(parts)s.")
        % {
            "total": figure(evidence.total, 1),
            "parts": "; ".join(f"{row.label}: {row.text} {row.flag}".strip() for row in rows),
        },
        value_header=_("Punten / gewicht"),
    )


def reviewers_chart(aggregate: AggregateShown) -> charts.DotChart | None:
    """Each reviewer's score per criterion ("Beoordelaar 1, 2, ...", never a name), their range and disagreement.

    None for an aggregate stored before the scores were kept per review.
    """
    rows = [row for row in aggregate.criteria if row.get("by_review")]
    if not rows:
        return None
    count = max(len(row["by_review"]) for row in rows)
    return charts.dots(
        title=_("Scores van de beoordelaars per criterium (1–5)"),
        rows=[
            charts.DotRow(
                row["title"],
                [*row["by_review"], *[None] * (count - len(row["by_review"]))],
                max_value=SCORE_MAX,
                min_value=SCORE_MIN,
            )
            for row in rows
        ],
        labels=[_("Beoordelaar %(n)s") % {"n": n} for n in range(1, count + 1)],
        disagreement_at=DISAGREEMENT_SPREAD,
    )
