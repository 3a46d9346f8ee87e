"""The evidence score of a submitted agenda: what the data say, next to the reviewers. No database.

The score (0–100) is computed from the submission's snapshot and the region's
broad-welfare profile (``regions.profile``), with exact fractions, so the same
inputs always give the same figures. It is shown next to the reviewers'
weighted total and never merged into it. ``docs/evidence-score.md`` explains
the method with a worked example that ``tests/reviews/test_evidence.py``
recomputes.

Four components (MODEL_VERSION "evidence-2": the components of "evidence-1"
on the profile rule ``profiel-v2``), each a value between 0 and 1 times its
weight:

* **focus** (40): of the themes the region lags on, how many the agenda's
  priorities name (half) and its target indicators measure (half);
* **severity** (20): the share of the themes with data that the region lags
  on (*stapeling*);
* **goals** (20): priorities linked to a goal directly (1) or only indirectly
  (1/2), averaged, and the share of the three goal catalogues used;
* **budget** (20): co-financing against the norm of at least half, and money
  in at least four different years of the agenda's period.

A component that cannot be judged (focus without lagging themes, focus and
severity without data) does not count: the total is the points scored divided
by the weight that was judged, times 100.

Each stored component keeps its ``facts`` (counts, percentages in plain
notation, theme codes) next to a title and an explanation in the language of
the computation (the site's, Dutch). Pages call ``present``, which writes
title and explanation again from the facts in the reader's language and
notation ("64,3%" / "64.3%"); components stored before the facts existed keep
their sentence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from agendas.budget import Line, summarise
from core.formatting import euro
from regions.profile import Profile

# evidence-1: profiel-v1; evidence-2: the same components on profiel-v2. Scores
# keep the model version they were computed with.
MODEL_VERSION = "evidence-2"

WEIGHTS: dict[str, int] = {"focus": 40, "severity": 20, "goals": 20, "budget": 20}
# Regio Deals ask the region to bring at least as much as the Rijk: at least
# half of the budget from other sources counts as fully co-financed.
COFINANCING_NORM = Fraction(1, 2)
# The shortest agenda period (Agenda.MIN_YEARS): money in this many different
# years counts as a multi-year budget.
BUDGET_YEARS_NORM = 4
CATALOGUES = ("sdg", "eu", "national")
# What a component's facts describe (their "case"): why it cannot be judged, or that it was scored.
NO_DATA = "no_data"
NONE_LAGGING = "none_lagging"
NO_PRIORITIES = "no_priorities"
NO_BUDGET = "no_budget"
SCORED = "scored"


@dataclass(frozen=True)
class ThemeFacts:
    code: str
    name: str
    lags: bool | None  # None: no data on the theme for this region


@dataclass(frozen=True)
class GoalLinkFacts:
    catalogue: str  # "sdg", "eu" or "national"
    strength: str  # "direct" or "indirect"


@dataclass(frozen=True)
class PriorityFacts:
    title: str
    themes: tuple[str, ...]
    target_indicators: tuple[str, ...]
    # The priority's own goal links and those of its measures.
    goal_links: tuple[GoalLinkFacts, ...]


@dataclass(frozen=True)
class EvidenceInputs:
    themes: tuple[ThemeFacts, ...]
    # indicator code -> the themes it belongs to (regions.models.Indicator.themes)
    indicator_themes: Mapping[str, Sequence[str]]
    priorities: tuple[PriorityFacts, ...]
    start_year: int
    end_year: int
    budget_lines: tuple[Line, ...]
    dataset_versions: Mapping[str, int]


@dataclass(frozen=True)
class Component:
    code: str
    weight: int
    value: Fraction | None  # None: cannot be judged, does not count
    # What the explanation says, as data (counts, percentages, theme codes): the sentence is
    # written from it in the reader's language when it is shown (``explain``).
    facts: dict[str, Any]

    @property
    def points(self) -> Fraction | None:
        return None if self.value is None else self.weight * self.value

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            # Title and explanation in the language of the computation (the site's, Dutch) for the API
            # and for readers of the stored JSON; pages write them again in the reader's language.
            "title": str(TITLES[self.code]),
            "weight": self.weight,
            "value": None if self.value is None else str(decimal(self.value, 4)),
            "points": None if self.points is None else str(decimal(self.points, 1)),
            "explanation": explain(self.code, self.facts),
            "facts": self.facts,
        }


@dataclass(frozen=True)
class EvidenceResult:
    total: Decimal  # 0.0–100.0
    components: list[dict[str, Any]]
    # The weight of the components that could be judged (100 when all could).
    assessed_weight: int
    model_version: str
    dataset_versions: dict[str, int]

    @property
    def datasets_key(self) -> str:
        return datasets_key(self.dataset_versions)


def datasets_key(dataset_versions: Mapping[str, int]) -> str:
    """``"source:version,..."`` sorted by source: which data a score was computed from."""
    return ",".join(f"{source}:{version}" for source, version in sorted(dataset_versions.items()))


def decimal(value: Fraction, places: int) -> Decimal:
    """``value`` rounded half up to ``places`` decimals (exact: no floats on the way)."""
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(quantum, rounding=ROUND_HALF_UP)


def inputs_from(
    snapshot: Mapping[str, Any], profile: Profile, indicator_themes: Mapping[str, Sequence[str]]
) -> EvidenceInputs:
    """The inputs of a submission: its snapshot (reviews.snapshots) and its region's profile."""
    priorities = []
    lines = []
    for priority in snapshot.get("priorities", []):
        links = [GoalLinkFacts(g["catalogue"], g["strength"]) for g in priority.get("goals", [])]
        for measure in priority.get("measures", []):
            links += [GoalLinkFacts(g["catalogue"], g["strength"]) for g in measure.get("goals", [])]
            lines += [Line(b["year"], b["source"], b["amount"]) for b in measure.get("budget", [])]
        priorities.append(
            PriorityFacts(
                title=priority["title"],
                themes=tuple(priority.get("themes", [])),
                target_indicators=tuple(t["indicator"] for t in priority.get("targets", [])),
                goal_links=tuple(links),
            )
        )
    return EvidenceInputs(
        themes=tuple(ThemeFacts(t.code, t.name, t.lags) for t in profile.themes),
        indicator_themes=indicator_themes,
        priorities=tuple(priorities),
        start_year=snapshot["start_year"],
        end_year=snapshot["end_year"],
        budget_lines=tuple(lines),
        dataset_versions=dict(profile.dataset_versions),
    )


def compute(inputs: EvidenceInputs) -> EvidenceResult:
    components = [_focus(inputs), _severity(inputs), _goals(inputs), _budget(inputs)]
    judged = [c for c in components if c.value is not None]
    assessed_weight = sum(c.weight for c in judged)
    points = sum((c.points for c in judged), Fraction(0))
    total = decimal(points / assessed_weight * 100, 1) if assessed_weight else Decimal("0.0")
    return EvidenceResult(
        total=total,
        components=[c.as_dict() for c in components],
        assessed_weight=assessed_weight,
        model_version=MODEL_VERSION,
        dataset_versions=dict(inputs.dataset_versions),
    )


# --- components -----------------------------------------------------------------
#
# Each component returns its value and its facts; ``explain`` writes the sentence.


def _focus(inputs: EvidenceInputs) -> Component:
    weight = WEIGHTS["focus"]
    with_data = [t for t in inputs.themes if t.lags is not None]
    lagging = [t for t in with_data if t.lags]
    if not with_data:
        return Component("focus", weight, None, {"case": NO_DATA})
    if not lagging:
        return Component("focus", weight, None, {"case": NONE_LAGGING, "count": len(with_data)})
    named_codes = {code for p in inputs.priorities for code in p.themes}
    measured_codes = {
        code
        for p in inputs.priorities
        for indicator in p.target_indicators
        for code in inputs.indicator_themes.get(indicator, ())
    }
    named = [t for t in lagging if t.code in named_codes]
    measured = [t for t in lagging if t.code in measured_codes]
    missing = [t for t in lagging if t.code not in named_codes and t.code not in measured_codes]
    value = Fraction(len(named) + len(measured), 2 * len(lagging))
    facts = {
        "case": SCORED,
        "lagging": [t.code for t in lagging],
        "named": len(named),
        "measured": len(measured),
        "missing": [t.code for t in missing],
        "value": _share(value),
        # The names as the profile gave them, for a reader whose language has no name for a code.
        "names": {t.code: t.name for t in lagging},
    }
    return Component("focus", weight, value, facts)


def _severity(inputs: EvidenceInputs) -> Component:
    weight = WEIGHTS["severity"]
    with_data = [t for t in inputs.themes if t.lags is not None]
    if not with_data:
        return Component("severity", weight, None, {"case": NO_DATA})
    lagging = sum(1 for t in with_data if t.lags)
    value = Fraction(lagging, len(with_data))
    facts = {
        "case": SCORED,
        "lagging": lagging,
        "count": len(with_data),
        "value": _share(value),
        "without_data": len(inputs.themes) - len(with_data),
    }
    return Component("severity", weight, value, facts)


def _goals(inputs: EvidenceInputs) -> Component:
    weight = WEIGHTS["goals"]
    if not inputs.priorities:
        return Component("goals", weight, Fraction(0), {"case": NO_PRIORITIES})
    direct = sum(1 for p in inputs.priorities if any(g.strength == "direct" for g in p.goal_links))
    indirect = sum(1 for p in inputs.priorities if p.goal_links and all(g.strength != "direct" for g in p.goal_links))
    linked = Fraction(2 * direct + indirect, 2 * len(inputs.priorities))
    used = [c for c in CATALOGUES if any(g.catalogue == c for p in inputs.priorities for g in p.goal_links)]
    breadth = Fraction(len(used), len(CATALOGUES))
    value = (linked + breadth) / 2
    facts = {
        "case": SCORED,
        "direct": direct,
        "count": len(inputs.priorities),
        "indirect": indirect,
        "linked": _share(linked),
        "used": used,
        "catalogues": len(CATALOGUES),
        "breadth": _share(breadth),
        "value": _share(value),
    }
    return Component("goals", weight, value, facts)


def _budget(inputs: EvidenceInputs) -> Component:
    weight = WEIGHTS["budget"]
    period = range(inputs.start_year, inputs.end_year + 1)
    summary = summarise(inputs.budget_lines, period)
    if not summary.total:
        return Component("budget", weight, Fraction(0), {"case": NO_BUDGET})
    ratio = summary.cofinancing_ratio or Fraction(0)
    cofinancing = min(Fraction(1), ratio / COFINANCING_NORM)
    years = sum(1 for year, amount in summary.by_year.items() if amount and year in period)
    spread = min(Fraction(1), Fraction(years, BUDGET_YEARS_NORM))
    value = (cofinancing + spread) / 2
    facts = {
        "case": SCORED,
        "ratio": _share(ratio),
        "total": int(summary.total),
        "norm": _share(COFINANCING_NORM),
        "cofinancing": _share(cofinancing),
        "years": years,
        "years_norm": BUDGET_YEARS_NORM,
        "spread": _share(spread),
        "value": _share(value),
    }
    return Component("budget", weight, value, facts)


# --- the sentences, in the active language ------------------------------------------------

TITLES = {
    "focus": gettext_lazy("Focus op achterstandsthema's"),
    "severity": gettext_lazy("Ernst van de achterstand (stapeling)"),
    "goals": gettext_lazy("Aansluiting bij doelen"),
    "budget": gettext_lazy("Realistische begroting"),
}
CATALOGUE_NAMES = {
    "sdg": gettext_lazy("SDG's"),
    "eu": gettext_lazy("EU-cohesiebeleid"),
    "national": gettext_lazy("nationale transities"),
}


def explain(code: str, facts: Mapping[str, Any], theme_names: Mapping[str, str] | None = None) -> str:
    """The sentence of a component's ``facts`` in the active language and its notation ("64,3%" / "64.3%").

    ``theme_names``: theme code -> name in the reader's language; a code it
    lacks is named as the profile named it when the score was computed.
    """
    case = facts["case"]
    if case == NO_DATA:
        return _("Er zijn geen gegevens over de thema's van deze regio; telt niet mee.")
    if case == NO_PRIORITIES:
        return _("De agenda heeft geen prioriteiten en dus geen doelen.")
    if case == NO_BUDGET:
        return _("De agenda heeft geen begroting.")
    if code == "focus" and case == NONE_LAGGING:
        return _("De regio blijft op geen van de %(count)s thema's met gegevens achter; telt niet mee.") % {
            "count": facts["count"]
        }
    return {"focus": _explain_focus, "severity": _explain_severity, "goals": _explain_goals, "budget": _explain_budget}[
        code
    ](facts, theme_names or {})


def _explain_focus(facts: Mapping[str, Any], theme_names: Mapping[str, str]) -> str:
    def names(codes: Sequence[str]) -> str:
        return ", ".join(theme_names.get(code) or facts["names"].get(code, code) for code in codes)

    count = len(facts["lagging"])
    figures = {
        "count": count,
        "names": names(facts["lagging"]),
        "named": facts["named"],
        "measured": facts["measured"],
        "value": _percent(facts["value"]),
    }
    explanation = (
        ngettext(
            "De regio blijft achter op %(count)s thema (%(names)s).",
            "De regio blijft achter op %(count)s thema's (%(names)s).",
            count,
        )
        % figures
        + " "
        + (
            _(
                "Prioriteiten noemen er %(named)s, doelindicatoren meten er %(measured)s: "
                "(%(named)s + %(measured)s) / (2 × %(count)s) = %(value)s."
            )
            % figures
        )
    )
    if facts["missing"]:
        explanation += " " + _("Niet behandeld: %(names)s.") % {"names": names(facts["missing"])}
    return explanation


def _explain_severity(facts: Mapping[str, Any], theme_names: Mapping[str, str]) -> str:
    explanation = _(
        "De regio blijft achter op %(lagging)s van de %(count)s thema's met gegevens: "
        "%(lagging)s / %(count)s = %(value)s."
    ) % {"lagging": facts["lagging"], "count": facts["count"], "value": _percent(facts["value"])}
    without_data = facts["without_data"]
    if without_data:
        explanation += " " + ngettext(
            "%(count)s thema zonder gegevens telt niet mee.",
            "%(count)s thema's zonder gegevens tellen niet mee.",
            without_data,
        ) % {"count": without_data}
    return explanation


def _explain_goals(facts: Mapping[str, Any], theme_names: Mapping[str, str]) -> str:
    figures = {
        "direct": facts["direct"],
        "count": facts["count"],
        "indirect": facts["indirect"],
        "linked": _percent(facts["linked"]),
        "used": len(facts["used"]),
        "catalogues": facts["catalogues"],
        "names": ", ".join(str(CATALOGUE_NAMES.get(c, c)) for c in facts["used"]) or _("geen"),
        "breadth": _percent(facts["breadth"]),
        "value": _percent(facts["value"]),
    }
    return (
        _(
            "Direct aan een doel gekoppeld: %(direct)s van de %(count)s prioriteiten, alleen indirect (telt half): "
            "%(indirect)s; dat is %(linked)s. Catalogi gebruikt: %(used)s van %(catalogues)s (%(names)s): "
            "%(breadth)s. Samen (%(linked)s + %(breadth)s) / 2 = %(value)s."
        )
        % figures
    )


def _explain_budget(facts: Mapping[str, Any], theme_names: Mapping[str, str]) -> str:
    figures = {
        "ratio": _percent(facts["ratio"]),
        "total": euro(facts["total"]),
        "norm": _percent(facts["norm"]),
        "cofinancing": _percent(facts["cofinancing"]),
        "years": facts["years"],
        "years_norm": facts["years_norm"],
        "spread": _percent(facts["spread"]),
        "value": _percent(facts["value"]),
    }
    return (
        _(
            "Cofinanciering (alles behalve het Rijk): %(ratio)s van %(total)s, tegen een norm van %(norm)s: "
            "%(cofinancing)s. Geld in %(years)s jaren van de agendaperiode, tegen een norm van %(years_norm)s: "
            "%(spread)s. Samen (%(cofinancing)s + %(spread)s) / 2 = %(value)s."
        )
        % figures
    )


def present(components: Sequence[Mapping[str, Any]], theme_names: Mapping[str, str] | None = None) -> list[dict]:
    """Stored components (``EvidenceScore.components`` or the copy in an advice) for a page in the reader's language.

    Title and explanation are written again from the code and the facts.
    Scores stored before the facts were (they have none) keep the sentence
    they were stored with.
    """
    shown = []
    for component in components:
        row = dict(component)
        code = component.get("code")
        if code in TITLES:
            row["title"] = str(TITLES[code])
            if component.get("facts"):
                row["explanation"] = explain(code, component["facts"], theme_names)
        shown.append(row)
    return shown


# --- notation ---------------------------------------------------------------------------


def _share(value: Fraction) -> str:
    """A share as a percentage rounded half up to one decimal, stored in plain notation: "64.3"."""
    return str(decimal(value * 100, 1))


def _percent(share: str) -> str:
    """A stored percentage ("64.3") in the active language's notation: "64,3%" (Dutch), "64.3%" (English)."""
    return number_format(Decimal(share), decimal_pos=1) + "%"
