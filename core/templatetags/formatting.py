"""Template filters of every page: Markdown, euros, numbers and shares in the reader's notation."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

from django import template
from django.utils.formats import number_format

from core import formatting
from core.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str | None):
    return render_markdown(text)


@register.filter
def euro(amount: int | None) -> str:
    """Whole euros with the language's thousands separator: "€ 1.250.000"."""
    if amount is None or amount == "":
        return ""
    return formatting.euro(amount)


@register.filter
def amount(value: int | None) -> str:
    """A number of euros without the sign (for table cells under a "€" heading)."""
    if value is None or value == "":
        return ""
    return number_format(int(value), decimal_pos=0, force_grouping=True)


@register.filter
def percent(share: Fraction | float | None) -> str:
    """A share as a percentage with one decimal, rounded half up: "42,5%"; a dash when there is no total."""
    if share is None or share == "":
        return "–"
    exact = Fraction(share) * 100
    rounded = Decimal(exact.numerator) / Decimal(exact.denominator)
    return number_format(rounded.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), decimal_pos=1) + "%"


@register.filter
def get_item(mapping, key):
    """``{{ mapping|get_item:key }}``: a dict lookup with a variable key (None when absent)."""
    return mapping.get(key) if mapping else None


@register.filter
def number(value, places=None):
    """A decimal, or its string form as stored in JSON ("3.50"), in the reader's notation: 3,50 in Dutch.

    With ``places`` it is rounded half up to that many decimals by the one
    rule of ``core.formatting.figure`` (Django's number_format alone would cut
    the digits off).
    """
    if value is None or value == "":
        return ""
    try:
        parsed = Decimal(str(value))
    except InvalidOperation:
        return value
    if places is not None and places != "":
        return formatting.figure(parsed, int(places))
    return number_format(parsed)


@register.filter
def measure(value, unit: str | None = None) -> str:
    """An indicator value with the precision its unit deserves, in the reader's notation: "61,9" / "61.9".

    Counts ("aantal", "klasse") get no decimals; everything else (percentages,
    km, per 1,000, years, thousands of euros) one. The API keeps full precision.
    """
    if value is None or value == "":
        return ""
    try:
        return formatting.figure(Decimal(str(value)), formatting.unit_places(unit or ""))
    except InvalidOperation:
        return value


@register.filter
def signed_percent(change: float | None) -> str:
    """A relative change as a signed percentage with one decimal: "+6,1%", "−4,2%" (a real minus sign)."""
    if change is None or change == "":
        return "–"
    text = percent(abs(change))
    rounded_zero = text.lstrip("0,.") == "%"
    if rounded_zero:
        return text
    return ("+" if change > 0 else "−") + text
