"""Combining reviewers' scores (reviews.aggregation): pure, no database."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from reviews.aggregation import CriterionScores, aggregate, reviews_key
from reviews.rubric import DISAGREEMENT_SPREAD

UTC = datetime.UTC


def _criterion(pk: int, weight: int, scores, code: str | None = None) -> CriterionScores:
    return CriterionScores(pk, code or f"c{pk}", f"Criterium {pk}", weight, scores)


def test_it_computes_the_weighted_total_over_criteria_with_scores():
    result = aggregate(
        [_criterion(1, 15, [4, 3]), _criterion(2, 10, [5, 5, 4]), _criterion(3, 10, [])],
        review_count=3,
    )

    # (15 x 3.5 + 10 x 14/3) / 25 = 3.9666... -> 3.97; criterion 3 has no scores and no say.
    assert result.weighted_total == Decimal("3.97")
    assert result.review_count == 3


def test_it_describes_each_criterion_anonymously():
    result = aggregate([_criterion(7, 20, [5, 2, 3], code="feasibility")], review_count=3)

    (row,) = result.criteria
    assert row == {
        "criterion_id": 7,
        "code": "feasibility",
        "title": "Criterium 7",
        "weight": 20,
        "scores": [2, 3, 5],
        "by_review": [],
        "mean": "3.33",
        "min": 2,
        "max": 5,
        "spread": 3,
        "disagreement": True,
    }


def test_means_are_rounded_half_up_to_two_decimals():
    result = aggregate([_criterion(1, 1, [1, 2, 2, 2, 2, 2, 2, 2])], review_count=8)

    # 15 / 8 = 1.875 -> 1.88 (half up, where banker's rounding would give 1.88 too) ...
    assert result.criteria[0]["mean"] == "1.88"
    # ... and 1.125 -> 1.13, where banker's rounding gives 1.12.
    assert aggregate([_criterion(1, 1, [1] * 7 + [2])], review_count=8).criteria[0]["mean"] == "1.13"


@pytest.mark.parametrize(
    ("scores", "flagged"),
    [([3, 3 + DISAGREEMENT_SPREAD - 1], False), ([3, 3 + DISAGREEMENT_SPREAD], True), ([4], False)],
)
def test_disagreement_is_a_spread_of_the_rubrics_threshold_or_more(scores, flagged):
    result = aggregate([_criterion(1, 10, [4, 4]), _criterion(2, 10, scores)], review_count=2)

    assert result.criteria[1]["disagreement"] is flagged
    assert result.disagreement is flagged


def test_without_scores_there_is_no_total():
    result = aggregate([_criterion(1, 10, []), _criterion(2, 5, [])], review_count=0)

    assert result.weighted_total is None
    assert result.disagreement is False
    assert [row["mean"] for row in result.criteria] == [None, None]


def test_scores_outside_the_rubric_are_refused():
    with pytest.raises(ValueError, match="1–5"):
        aggregate([_criterion(1, 10, [6])], review_count=1)


def test_reviews_key_depends_on_the_set_of_reviews_not_their_order():
    first = (11, datetime.datetime(2027, 3, 1, 10, 0, tzinfo=UTC))
    second = (12, datetime.datetime(2027, 3, 2, 9, 30, tzinfo=UTC))
    resubmitted = (12, datetime.datetime(2027, 3, 5, 9, 30, tzinfo=UTC))

    assert reviews_key([first, second]) == reviews_key([second, first])
    assert reviews_key([first, second]) != reviews_key([first])
    assert reviews_key([first, second]) != reviews_key([first, resubmitted])
    assert len(reviews_key([])) == 64


def test_scores_by_review_keep_the_reviews_order_and_their_gaps():
    row = CriterionScores(1, "c1", "Criterium 1", 10, [5, 2], by_review=[5, None, 2])

    (result,) = aggregate([row], review_count=3).criteria

    # Beoordelaar 1 gave 5, Beoordelaar 2 nothing, Beoordelaar 3 gave 2; the sorted scores stay as they were.
    assert result["by_review"] == [5, None, 2]
    assert result["scores"] == [2, 5]
