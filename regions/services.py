"""Writes of regions that are not imports: custom regions."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from regions.models import Region, RegionMunicipality


@transaction.atomic
def custom_region_save(*, code: str, name: str, municipality_codes: Iterable[str], description: str = "") -> Region:
    """Create or update a custom region made of municipalities (e.g. the Veenkoloniën).

    Before: ``code`` starts with "RG-"; every code is a municipality.
    After: the region's membership rows are exactly those municipalities.
    """
    codes = sorted(set(municipality_codes))
    if not code.startswith("RG-"):
        raise ValidationError({"code": _("De code van een eigen regio begint met RG-.")})
    municipalities = list(Region.objects.filter(kind=Region.Kind.MUNICIPALITY, code__in=codes))
    unknown = sorted(set(codes) - {m.code for m in municipalities})
    if unknown:
        raise ValidationError({"municipalities": _("Onbekende gemeente(n): %(codes)s") % {"codes": ", ".join(unknown)}})
    if not municipalities:
        raise ValidationError({"municipalities": _("Een regio bestaat uit minstens één gemeente.")})
    region, _created = Region.objects.update_or_create(
        code=code, defaults={"name": name, "kind": Region.Kind.CUSTOM, "description": description}
    )
    RegionMunicipality.objects.filter(region=region).exclude(municipality__in=municipalities).delete()
    present = set(RegionMunicipality.objects.filter(region=region).values_list("municipality_id", flat=True))
    RegionMunicipality.objects.bulk_create(
        [RegionMunicipality(region=region, municipality=m) for m in municipalities if m.pk not in present]
    )
    return region
