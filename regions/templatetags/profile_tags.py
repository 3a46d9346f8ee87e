from django import template

register = template.Library()


@register.simple_tag
def bar_pct(value, other) -> int:
    """Length 0..100 of ``value`` on a scale where the larger of the two values is 80."""
    if value is None:
        return 0
    top = max(abs(value), abs(other or 0)) or 1
    return round(abs(value) / top * 80)


@register.simple_tag
def ref_pct(value, other) -> int:
    """Like bar_pct, rounded to a multiple of 5 (the stylesheet's reference-line steps)."""
    return 5 * round(bar_pct(value, other) / 5)
