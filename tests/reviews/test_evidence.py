"""The evidence score (reviews.evidence): pure, no database.

The worked example of docs/evidence-score.md is read from the doc itself
(inputs, table and explanations), so the doc and the code cannot drift.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from agendas.budget import Line
from regions.profile import Profile, ThemeResult
from reviews import evidence
from reviews.evidence import EvidenceInputs, GoalLinkFacts, PriorityFacts, ThemeFacts

DOC = Path(settings.BASE_DIR) / "docs" / "evidence-score.md"


@pytest.fixture(autouse=True)
def _dutch():
    """The explanations are written in the site's language; the doc quotes the Dutch."""
    with translation.override("nl"):
        yield


# --- the worked example of the doc ------------------------------------------------------


def _doc() -> str:
    return DOC.read_text(encoding="utf-8")


def _doc_inputs() -> EvidenceInputs:
    block = re.search(r"```json evidence-example-inputs\n(.*?)\n```", _doc(), re.S)
    assert block, "docs/evidence-score.md has no evidence-example-inputs block"
    data = json.loads(block.group(1))
    return EvidenceInputs(
        themes=tuple(ThemeFacts(t["code"], t["name"], t["lags"]) for t in data["themes"]),
        indicator_themes={code: tuple(themes) for code, themes in data["indicator_themes"].items()},
        priorities=tuple(
            PriorityFacts(
                title=p["title"],
                themes=tuple(p["themes"]),
                target_indicators=tuple(p["target_indicators"]),
                goal_links=tuple(GoalLinkFacts(g["catalogue"], g["strength"]) for g in p["goal_links"]),
            )
            for p in data["priorities"]
        ),
        start_year=data["start_year"],
        end_year=data["end_year"],
        budget_lines=tuple(Line(b["year"], b["source"], b["amount"]) for b in data["budget_lines"]),
        dataset_versions=data["dataset_versions"],
    )


def _section_after(marker: str) -> list[str]:
    """The non-empty lines of the block that follows ``marker`` (up to the next blank line)."""
    text = _doc()
    start = text.index(marker)
    lines = text[start:].splitlines()[1:]
    while lines and not lines[0].strip():
        lines.pop(0)
    block = []
    for line in lines:
        if not line.strip():
            break
        block.append(line)
    return block


def _doc_table() -> dict[str, tuple[str, ...]]:
    rows = {}
    for line in _section_after("<!-- evidence-example-results"):
        cells = tuple(cell.strip() for cell in line.strip().strip("|").split("|"))
        if cells[0] in ("code", "---"):
            continue
        rows[cells[0]] = cells[1:]
    return rows


def test_it_reproduces_the_worked_example_of_the_doc():
    table = _doc_table()
    result = evidence.compute(_doc_inputs())

    assert set(table) == {"focus", "severity", "goals", "budget", "total"}
    for component in result.components:
        weight, value, points = table[component["code"]]
        assert (component["weight"], component["value"], component["points"]) == (int(weight), value, points)
    assert result.total == Decimal(table["total"][2])
    assert result.assessed_weight == int(table["total"][0]) == 100


def test_the_docs_explanations_are_what_compute_writes():
    lines = [line.removeprefix("- ") for line in _section_after("<!-- evidence-example-explanations")]
    result = evidence.compute(_doc_inputs())

    assert lines == [component["explanation"] for component in result.components]


def test_the_docs_datasets_key_is_the_sorted_source_versions():
    result = evidence.compute(_doc_inputs())

    assert f"`datasets_key` of this score: `{result.datasets_key}`." in _doc()
    assert result.datasets_key == "cbs-50140-gezondheidsmonitor-jv-2024:1,cbs-85618-kwb-2023:2"


def test_the_doc_names_the_model_version_and_the_weights():
    text = _doc()
    assert f"Model version: **`{evidence.MODEL_VERSION}`**" in text
    assert sum(evidence.WEIGHTS.values()) == 100
    for code, weight in evidence.WEIGHTS.items():
        assert re.search(rf"\(`{code}`\) \| {weight} \|", text), code


# --- the rules, one at a time ------------------------------------------------------------


def _themes(**verdicts: bool | None) -> tuple[ThemeFacts, ...]:
    return tuple(ThemeFacts(code, code.capitalize(), lags) for code, lags in verdicts.items())


def _inputs(**fields) -> EvidenceInputs:
    defaults = {
        "themes": _themes(gezondheid=True, wonen=False),
        "indicator_themes": {"ind-gezondheid": ("gezondheid",)},
        "priorities": (PriorityFacts("P", ("gezondheid",), ("ind-gezondheid",), (GoalLinkFacts("sdg", "direct"),)),),
        "start_year": 2027,
        "end_year": 2036,
        "budget_lines": (Line(2027, "rijk", 100), Line(2027, "province", 100)),
        "dataset_versions": {"cbs": 1},
    }
    defaults.update(fields)
    return EvidenceInputs(**defaults)


def _component(result, code: str) -> dict:
    return next(c for c in result.components if c["code"] == code)


def test_focus_counts_naming_and_measuring_a_lagging_theme_half_each():
    named_only = PriorityFacts("P", ("gezondheid",), (), ())
    measured_only = PriorityFacts("P", (), ("ind-gezondheid",), ())
    both = PriorityFacts("P", ("gezondheid",), ("ind-gezondheid",), ())
    neither = PriorityFacts("P", ("wonen",), (), ())

    values = [
        _component(evidence.compute(_inputs(priorities=(p,))), "focus")["value"]
        for p in (named_only, measured_only, both, neither)
    ]

    assert values == ["0.5000", "0.5000", "1.0000", "0.0000"]


def test_focus_is_not_judged_without_lagging_themes_and_the_total_is_rescaled():
    inputs = _inputs(themes=_themes(gezondheid=False, wonen=False))

    result = evidence.compute(inputs)

    focus, severity = _component(result, "focus"), _component(result, "severity")
    assert (focus["value"], focus["points"]) == (None, None)
    assert "op geen van de 2 thema's met gegevens achter" in focus["explanation"]
    assert (severity["value"], severity["points"]) == ("0.0000", "0.0")
    assert result.assessed_weight == 60
    # goals: (1 + 1/3) / 2 = 2/3 -> 13.33; budget: (1 + 1/4) / 2 = 5/8 -> 12.5; (0 + 13.33 + 12.5) / 60
    expected = (0 + 20 * Fraction(2, 3) + 20 * Fraction(5, 8)) / 60 * 100
    assert result.total == evidence.decimal(expected, 1) == Decimal("43.1")


def test_without_data_focus_and_severity_are_not_judged():
    inputs = _inputs(themes=_themes(gezondheid=None, wonen=None))

    result = evidence.compute(inputs)

    for code in ("focus", "severity"):
        component = _component(result, code)
        assert component["value"] is None
        assert "geen gegevens" in component["explanation"]
    assert result.assessed_weight == 40
    assert result.total == evidence.decimal((20 * Fraction(2, 3) + 20 * Fraction(5, 8)) / 40 * 100, 1)


def test_themes_without_data_do_not_count_for_severity():
    result = evidence.compute(_inputs(themes=_themes(gezondheid=True, wonen=False, milieu=None, veiligheid=None)))

    severity = _component(result, "severity")
    assert severity["value"] == "0.5000"
    assert "2 thema's zonder gegevens tellen niet mee" in severity["explanation"]


def test_goals_count_direct_links_fully_indirect_half_and_catalogue_breadth():
    priorities = (
        PriorityFacts("A", (), (), (GoalLinkFacts("sdg", "indirect"), GoalLinkFacts("national", "direct"))),
        PriorityFacts("B", (), (), (GoalLinkFacts("eu", "indirect"),)),
        PriorityFacts("C", (), (), ()),
        PriorityFacts("D", (), (), (GoalLinkFacts("sdg", "indirect"),)),
    )

    goals = _component(evidence.compute(_inputs(priorities=priorities)), "goals")

    # linked (1 + 1/2 + 0 + 1/2) / 4 = 1/2; catalogues 3/3; value 3/4
    assert goals["value"] == "0.7500"
    assert "1 van de 4 prioriteiten, alleen indirect (telt half): 2" in goals["explanation"]


def test_an_agenda_without_priorities_or_budget_scores_zero_on_them():
    result = evidence.compute(_inputs(priorities=(), budget_lines=()))

    assert _component(result, "goals")["value"] == "0.0000"
    assert _component(result, "budget")["value"] == "0.0000"
    assert _component(result, "budget")["explanation"] == "De agenda heeft geen begroting."
    assert _component(result, "focus")["value"] == "0.0000"


def test_budget_caps_cofinancing_at_the_norm_and_counts_only_years_in_the_period():
    lines = (
        Line(2027, "rijk", 100),
        Line(2028, "province", 300),
        Line(2029, "private", 100),
        # Outside the agenda period: counts for the money, not for the spread.
        Line(2045, "eu_esf", 100),
    )

    budget = _component(evidence.compute(_inputs(budget_lines=lines)), "budget")

    # co-financing 500/600 >= 1/2 -> 1; 3 years of 4 -> 3/4; value 7/8
    assert budget["value"] == "0.8750"
    assert "Geld in 3 jaren" in budget["explanation"]
    assert "€\xa0600" in budget["explanation"]


def test_budget_only_from_the_rijk_gets_no_cofinancing_points():
    lines = tuple(Line(year, "rijk", 1_000) for year in range(2027, 2031))

    budget = _component(evidence.compute(_inputs(budget_lines=lines)), "budget")

    assert budget["value"] == "0.5000"  # (0 + 1) / 2


def test_a_complete_agenda_for_a_region_lagging_everywhere_scores_100():
    inputs = _inputs(
        themes=_themes(gezondheid=True),
        priorities=(
            PriorityFacts(
                "P",
                ("gezondheid",),
                ("ind-gezondheid",),
                (GoalLinkFacts("sdg", "direct"), GoalLinkFacts("eu", "direct"), GoalLinkFacts("national", "direct")),
            ),
        ),
        budget_lines=tuple(Line(year, source, 10) for year in range(2027, 2031) for source in ("rijk", "province")),
    )

    result = evidence.compute(inputs)

    assert result.total == Decimal("100.0")
    assert [c["points"] for c in result.components] == ["40.0", "20.0", "20.0", "20.0"]


def test_it_is_deterministic_and_json_safe():
    inputs = _doc_inputs()

    first, second = evidence.compute(inputs), evidence.compute(replace(inputs))

    assert first == second
    assert json.loads(json.dumps(first.components)) == first.components


def test_inputs_from_reads_the_snapshot_and_the_profile():
    snapshot = {
        "region": {"code": "CR01", "name": "Oost-Groningen"},
        "start_year": 2027,
        "end_year": 2036,
        "priorities": [
            {
                "title": "Gezond opgroeien",
                "themes": ["gezondheid"],
                "goals": [{"catalogue": "sdg", "strength": "indirect"}],
                "targets": [{"indicator": "jv-ervaren-gezondheid"}],
                "measures": [
                    {
                        "goals": [{"catalogue": "eu", "strength": "direct"}],
                        "budget": [{"year": 2027, "source": "rijk", "amount": 500}],
                    },
                    {"goals": [], "budget": [{"year": 2028, "source": "province", "amount": 700}]},
                ],
            }
        ],
    }
    profile = Profile(
        version="profiel-v1",
        municipalities=("GM0001",),
        themes=(
            ThemeResult("gezondheid", "Gezondheid", "here_and_now", (), with_data=3, lagging=2, lags=True),
            ThemeResult("wonen", "Wonen", "here_and_now", (), with_data=0, lagging=0, lags=None),
        ),
        dataset_versions={"b": 2, "a": 1},
    )

    inputs = evidence.inputs_from(snapshot, profile, {"jv-ervaren-gezondheid": ("gezondheid",)})

    assert inputs.themes == (ThemeFacts("gezondheid", "Gezondheid", True), ThemeFacts("wonen", "Wonen", None))
    (priority,) = inputs.priorities
    assert priority.target_indicators == ("jv-ervaren-gezondheid",)
    # The measures' goal links count for their priority.
    assert priority.goal_links == (GoalLinkFacts("sdg", "indirect"), GoalLinkFacts("eu", "direct"))
    assert inputs.budget_lines == (Line(2027, "rijk", 500), Line(2028, "province", 700))
    assert evidence.compute(inputs).datasets_key == "a:1,b:2"


# --- explanations in the reader's language -----------------------------------------------


def test_the_explanation_is_written_again_in_the_reader_s_language_and_notation():
    result = evidence.compute(_doc_inputs())
    names = {"gezondheid": "Health", "wonen": "Housing", "materiele-welvaart": "Material welfare"}

    with translation.override("en"):
        shown = evidence.present(result.components, names)

    focus, severity, goals, budget = shown
    assert focus["title"] == "Focus on lagging themes"
    assert focus["explanation"].startswith("The region lags behind on 3 themes (Health, Housing, Material welfare).")
    # English notation everywhere in the sentence: no "50,0%" next to an English "25.7 / 40".
    assert "(1 + 2) / (2 × 3) = 50.0%." in focus["explanation"] and "Not addressed: Housing." in focus["explanation"]
    assert "3 / 5 = 60.0%" in severity["explanation"]
    assert "(50.0% + 66.7%) / 2 = 58.3%" in goals["explanation"] and "SDGs" in goals["explanation"]
    assert "1,000,000" in budget["explanation"] and "(80.0% + 75.0%) / 2 = 77.5%" in budget["explanation"]


def test_the_stored_components_keep_the_facts_and_the_sentence_of_the_site_s_language():
    result = evidence.compute(_doc_inputs())

    focus = result.components[0]
    assert focus["facts"] == {
        "case": "scored",
        "lagging": ["gezondheid", "wonen", "materiele-welvaart"],
        "named": 1,
        "measured": 2,
        "missing": ["wonen"],
        "value": "50.0",
        "names": {"gezondheid": "Gezondheid", "wonen": "Wonen", "materiele-welvaart": "Materiële welvaart"},
    }
    # Shown in Dutch, the sentence is the one stored (and the one the doc quotes).
    assert [c["explanation"] for c in evidence.present(result.components)] == [
        c["explanation"] for c in result.components
    ]


def test_a_theme_the_reader_s_catalogue_does_not_know_keeps_the_name_it_was_computed_with():
    result = evidence.compute(_doc_inputs())

    with translation.override("en"):
        (focus, *_rest) = evidence.present(result.components, {"gezondheid": "Health"})

    assert "(Health, Wonen, Materiële welvaart)" in focus["explanation"]


@pytest.mark.parametrize(
    ("inputs", "code", "english"),
    [
        (_inputs(themes=_themes(gezondheid=None)), "focus", "There are no data on this region's themes"),
        (_inputs(themes=_themes(gezondheid=False, wonen=False)), "focus", "on any of the 2 themes with data"),
        (_inputs(priorities=()), "goals", "no priorities"),
        (_inputs(budget_lines=()), "budget", "no budget"),
    ],
)
def test_components_that_could_not_be_judged_are_explained_in_english_too(inputs, code, english):
    result = evidence.compute(inputs)

    with translation.override("en"):
        shown = {c["code"]: c for c in evidence.present(result.components)}

    assert english in shown[code]["explanation"]


def test_scores_stored_before_the_facts_keep_their_sentence():
    stored = [
        {
            "code": "focus",
            "title": "Focus op achterstandsthema's",
            "weight": 40,
            "value": "0.5000",
            "points": "20.0",
            "explanation": "De regio blijft achter op 1 thema (Wonen).",
        },
        {"code": "iets-anders", "title": "Onbekend", "weight": 10, "explanation": "Oud."},
    ]

    with translation.override("en"):
        focus, other = evidence.present(stored)

    assert focus["title"] == "Focus on lagging themes"
    assert focus["explanation"] == "De regio blijft achter op 1 thema (Wonen)."
    assert other == stored[1]
