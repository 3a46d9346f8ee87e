"""Formatting by the active language: one rule for the whole product.

Dutch by default, English through Django i18n. Every page, export, e-mail and
letter that shows a name with a Dutch and an English form, or an amount in
euros, goes through these helpers.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

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
    """Whole euros in the active language's notation: "€ 1.250.000" (Dutch, with a non-breaking space), "€1,250,000"."""
    return ("€" if in_english() else "€\u00a0") + number_format(int(amount), decimal_pos=0, force_grouping=True)


# Units whose values are whole numbers (counts, classes); every other unit is shown with one decimal.
WHOLE_UNITS = ("aantal", "klasse", "number", "class")


def unit_places(unit: str) -> int:
    """The decimals an indicator value in ``unit`` is shown with (pages, exports and letters alike)."""
    return 0 if unit.strip().lower() in WHOLE_UNITS else 1


def figure(value: float | int | Decimal, places: int | None = None) -> str:
    """A number in the reader's notation, rounded half up: "1.250" / "1,250"; "61,9" / "61.9".

    Without ``places``: whole numbers without decimals, others with one.
    """
    exact = Decimal(str(value))
    if places is None:
        places = 0 if exact == exact.to_integral_value() else 1
    rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return number_format(rounded, decimal_pos=places, force_grouping=True)
