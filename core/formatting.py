"""Formatting by the active language: one rule for the whole product.

Dutch by default, English through Django i18n. Every page, export, e-mail and
letter that shows a name with a Dutch and an English form, or an amount in
euros, goes through these helpers.
"""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import get_language


def in_english() -> bool:
    """Whether the active language is English (``en``, ``en-gb``, ...)."""
    return (get_language() or "nl").lower().startswith("en")


def in_language(nl: str, en: str) -> str:
    """The text in the active language, falling back to the other one when empty."""
    if in_english():
        return en or nl
    return nl or en


def euro(amount: int) -> str:
    """Whole euros with the active language's thousands separator: "€ 1.250.000" (Dutch), "€ 1,250,000" (English)."""
    return "€\u00a0" + number_format(int(amount), decimal_pos=0, force_grouping=True)
