"""Template filters of the signals' pages."""

from __future__ import annotations

from django import template

from core.formatting import in_language

register = template.Library()


@register.filter
def overdue(signal, today) -> bool:
    """``{% if signal|overdue:today %}``: a due date of its current addressing has passed (``Signal.is_overdue``)."""
    return bool(today) and signal.is_overdue(today)


@register.filter
def theme_label(theme) -> str:
    """A theme's name in the active language."""
    return in_language(theme.name_nl, theme.name_en)
