from django import template
from django.utils.translation import gettext as _

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


@register.simple_tag
def favourability_pct(position) -> int:
    """Bar length 0..100 for a profiel-v2 position (0 the most favourable): the longer, the more favourable."""
    if position is None:
        return 0
    return round((1 - position) * 100)


@register.simple_tag
def cut_ref(profile) -> int:
    """Where the boundary of the least favourable cut lies on the favourability bar (a multiple of 5)."""
    return 5 * round(float(profile.cut) * 100 / 5)


@register.filter
def compared_label(level: str | None) -> str:
    """The units a profile compares with, as a plural noun: "COROP-gebieden"."""
    labels = {
        "municipality": _("gemeenten"),
        "corop": _("COROP-gebieden"),
        "province": _("provincies"),
        "ggd": _("GGD-regio's"),
    }
    return labels.get(level or "", "")


@register.filter
def theme_name(profile, code: str | None) -> str:
    """The name of theme ``code`` in ``profile`` (for "telt mee bij ...")."""
    return next((theme.name for theme in profile.themes if theme.code == code), code or "")


@register.filter
def cut_name(cut) -> str:
    """The least favourable share as a word: "kwart", "vijfde", "derde" (a percentage otherwise)."""
    names = {(1, 4): _("kwart"), (1, 5): _("vijfde"), (1, 3): _("derde")}
    key = (cut.numerator, cut.denominator) if hasattr(cut, "denominator") else None
    return names.get(key) or f"{float(cut):.0%}"
