"""Loading the goal catalogues from the files in ``goals/data``."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from goals.models import Goal, GoalCatalogue

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _upsert(catalogue: str, code: str, fields: dict, counter: list[int]) -> Goal:
    goal, created = Goal.objects.update_or_create(catalogue=catalogue, code=code, defaults=fields)
    counter[0 if created else 1] += 1
    return goal


@transaction.atomic
def import_goals() -> ImportSummary:
    """Create or update the SDG and EU catalogues; add missing national transitions.

    Idempotent. National transitions that a data steward edited keep their
    edits: only codes that do not exist yet are added.
    """
    counter = [0, 0]
    sdg_goals: dict[str, Goal] = {}
    for row in _rows("sdg_goals.csv"):
        sdg_goals[row["goal"]] = _upsert(
            GoalCatalogue.SDG,
            row["goal"],
            {
                "parent": None,
                "short_nl": row["short_nl"],
                "short_en": row["short_en"],
                "title_nl": row["title_nl"],
                "title_en": row["title_en"],
                "source": "open-sdg/sdg-translations (MIT)",
                "position": int(row["goal"]) * 1000,
            },
            counter,
        )
    for index, row in enumerate(_rows("sdg_targets.csv"), start=1):
        parent = sdg_goals[row["goal"]]
        _upsert(
            GoalCatalogue.SDG,
            row["target"],
            {
                "parent": parent,
                "title_nl": row["title_nl"],
                "title_en": row["title_en"],
                "source": f"EN: open-sdg/sdg-translations; NL: {row['title_nl_source']}",
                "position": parent.position + index,
            },
            counter,
        )
    policy_objectives: dict[str, Goal] = {}
    for index, row in enumerate(_rows("eu_cohesion_objectives_2021_2027.csv"), start=1):
        is_policy_objective = row["code"] == row["policy_objective"]
        fields = {
            "parent": None if is_policy_objective else policy_objectives.get(row["policy_objective"]),
            "short_en": row["fund"] if not is_policy_objective else "",
            "title_en": row["objective_en"],
            "source": f"{row['source_regulation']} {row['source_url']}".strip(),
            "verified": row["verified"].strip().lower() == "yes",
            "position": index,
        }
        goal = _upsert(GoalCatalogue.EU, row["code"], fields, counter)
        if is_policy_objective:
            policy_objectives[row["code"]] = goal
    for index, row in enumerate(_rows("national.csv"), start=1):
        _, created = Goal.objects.get_or_create(
            catalogue=GoalCatalogue.NATIONAL,
            code=row["code"],
            defaults={"short_nl": row["short_nl"], "short_en": row["short_en"], "position": index},
        )
        counter[0] += int(created)
    return ImportSummary(created=counter[0], updated=counter[1])
