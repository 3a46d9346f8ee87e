from django import template

register = template.Library()


@register.simple_tag
def bar_width(value, other) -> str:
    """Width in percent of ``value`` on a scale where the larger of the two is 80%."""
    if value is None:
        return "0"
    top = max(abs(value), abs(other or 0)) or 1
    return f"{abs(value) / top * 80:.1f}"
