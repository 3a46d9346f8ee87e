"""The Dutch SDG target texts say what the English ones say (checked on the years and numbers they mention)."""

import csv
import re
from pathlib import Path

from django.conf import settings

TARGETS = Path(settings.BASE_DIR) / "goals" / "data" / "sdg_targets.csv"


def rows():
    with TARGETS.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_target_3_6_is_about_road_traffic():
    target = next(r for r in rows() if r["target"] == "3.6")
    assert "verkeersongevallen" in target["title_nl"] and "moedersterfte" not in target["title_nl"]


def test_no_two_targets_share_a_dutch_text():
    texts = [r["title_nl"] for r in rows()]
    assert len(texts) == len(set(texts))


def test_the_dutch_texts_name_the_same_years_as_the_english_ones():
    def years(text):
        return set(re.findall(r"\b(?:19|20)\d\d\b", text))

    slips = [r["target"] for r in rows() if years(r["title_en"]) != years(r["title_nl"])]
    assert slips == []
