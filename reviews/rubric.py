"""The general criteria every round can use next to its broad-welfare themes.

A round's rubric is one criterion per theme the round cares about plus
(some of) these; the chair sets the weights. Titles and descriptions are
stored on the criterion in Dutch and in English when the round is opened (a
round's rubric does not change with a later translation), and the chair can
correct both afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy as _

SCORE_MIN = 1
SCORE_MAX = 5
# A score at or below this needs a written motivation.
MOTIVATION_REQUIRED_AT_OR_BELOW = 2
# Reviewers disagree on a criterion when their scores differ by this much or more.
DISAGREEMENT_SPREAD = 2


@dataclass(frozen=True)
class GeneralCriterion:
    code: str
    title: str
    description: str
    default_weight: int


GENERAL_CRITERIA: tuple[GeneralCriterion, ...] = (
    GeneralCriterion(
        "support",
        _("Regionaal draagvlak en partnerschap"),
        _("Staan de partners in de regio achter de agenda, en werken ze echt samen?"),
        10,
    ),
    GeneralCriterion(
        "coherence",
        _("Samenhang van visie en maatregelen"),
        _("Volgen de prioriteiten uit de visie, en de maatregelen uit de prioriteiten?"),
        10,
    ),
    GeneralCriterion("feasibility", _("Uitvoerbaarheid"), _("Zijn planning, trekkers en begroting realistisch?"), 10),
    GeneralCriterion(
        "alignment",
        _("Aansluiting bij nationale en Europese doelen"),
        _("Draagt de agenda aan nationale transities, de SDG's en het EU-cohesiebeleid bij?"),
        10,
    ),
    GeneralCriterion(
        "lagging_focus",
        _("Focus op thema's waar de regio achterblijft"),
        _("Richt de agenda zich op de thema's waarop de regio het meest achterblijft (stapeling)?"),
        10,
    ),
    GeneralCriterion(
        "durability",
        _("Duurzaamheid na de financieringsperiode"),
        _("Blijven de effecten en de samenwerking bestaan als de financiering stopt?"),
        10,
    ),
)
GENERAL_BY_CODE = {c.code: c for c in GENERAL_CRITERIA}


# The description of every theme's criterion.
THEME_DESCRIPTION = _("Draagt de agenda bij aan dit thema van brede welvaart in de regio?")


def theme_code(theme_code: str) -> str:
    return f"theme-{theme_code}"


def in_both_languages(text) -> tuple[str, str]:
    """(Dutch, English) of a translatable text; the English is empty while the catalogue has none."""
    with translation.override("nl"):
        dutch = str(text)
    with translation.override("en"):
        english = str(text)
    return dutch, "" if english == dutch else english
