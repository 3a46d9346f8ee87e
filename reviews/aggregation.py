"""The reviewers' scores of one submission combined. No database.

Per criterion: the scores (sorted, without who gave them), the same scores
in the order of the reviews (``by_review``: "Beoordelaar 1, 2, ..." on every
criterion alike, never a name), their mean, min, max and spread, and whether
reviewers disagree (spread of ``rubric.DISAGREEMENT_SPREAD`` points or more). Over the criteria: the
weighted total Σ weight × mean / Σ weight, over the criteria that have
scores, on the rubric's 1–5 scale with two decimals (half up). Exact
fractions until the final rounding, so a rerun gives the same figures.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from reviews.rubric import DISAGREEMENT_SPREAD, SCORE_MAX, SCORE_MIN

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class CriterionScores:
    criterion_id: int
    code: str
    title: str
    weight: int
    scores: Sequence[int]
    # The scores in the order of the reviews, None where a review has no score for this criterion.
    by_review: Sequence[int | None] = ()


@dataclass(frozen=True)
class Aggregate:
    review_count: int
    weighted_total: Decimal | None  # None: no scores at all
    criteria: list[dict[str, Any]]
    disagreement: bool


def reviews_key(reviews: Iterable[tuple[int, datetime.datetime | None]]) -> str:
    """SHA-256 of the sorted (assignment id, submitted at) pairs: which reviews went into an aggregate."""
    pairs = sorted(
        (assignment_id, submitted_at.isoformat() if submitted_at else "") for assignment_id, submitted_at in reviews
    )
    return hashlib.sha256(json.dumps(pairs, separators=(",", ":")).encode()).hexdigest()


def aggregate(criteria: Iterable[CriterionScores], *, review_count: int) -> Aggregate:
    rows = []
    weighted_sum, weight_sum = Fraction(0), 0
    for criterion in criteria:
        scores = sorted(criterion.scores)
        if any(not SCORE_MIN <= score <= SCORE_MAX for score in scores):
            raise ValueError(f"criterion {criterion.code}: scores must be {SCORE_MIN}–{SCORE_MAX}, got {scores}")
        row: dict[str, Any] = {
            "criterion_id": criterion.criterion_id,
            "code": criterion.code,
            "title": criterion.title,
            "weight": criterion.weight,
            "scores": scores,
            "by_review": list(criterion.by_review),
            "mean": None,
            "min": None,
            "max": None,
            "spread": None,
            "disagreement": False,
        }
        if scores:
            mean = Fraction(sum(scores), len(scores))
            spread = scores[-1] - scores[0]
            row.update(
                mean=str(_two_places(mean)),
                min=scores[0],
                max=scores[-1],
                spread=spread,
                disagreement=spread >= DISAGREEMENT_SPREAD,
            )
            weighted_sum += criterion.weight * mean
            weight_sum += criterion.weight
        rows.append(row)
    return Aggregate(
        review_count=review_count,
        weighted_total=_two_places(weighted_sum / weight_sum) if weight_sum else None,
        criteria=rows,
        disagreement=any(row["disagreement"] for row in rows),
    )


def _two_places(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
