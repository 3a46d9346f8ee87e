"""Template filters of the funding pages that the shared ones in ``core.templatetags.formatting`` do not cover."""

from __future__ import annotations

from django import template

from core import formatting

register = template.Library()


def euro_places(value: float, places: int = 2) -> str:
    """Euros with ``places`` decimals, written like ``core.formatting.euro`` writes whole euros: "€ 38,52"."""
    sign = formatting.euro(0).removesuffix("0")  # the currency sign and spacing of the active language
    return sign + formatting.figure(value, places)


@register.filter
def euro_cents(value: float | None) -> str:
    """An amount per inhabitant in euros and cents, in the reader's notation: "€ 38,52"; empty for None."""
    if value is None or value == "":
        return ""
    return euro_places(value, 2)
