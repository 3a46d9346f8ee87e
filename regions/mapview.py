"""The map of the Netherlands for pages: projected once, cached."""

from __future__ import annotations

from django.core.cache import cache

from regions.maps import ProjectedMap, geometry_bounds, project_geometries
from regions.models import Region

_CACHE_KEY = "nl-map:v1:{kind}"


def netherlands_map(kind: str = Region.Kind.MUNICIPALITY) -> tuple[ProjectedMap, ProjectedMap]:
    """(regions of ``kind``, province outlines) projected with the same bounds."""
    key = _CACHE_KEY.format(kind=kind)
    maps = cache.get(key)
    if maps is None:
        features = _features(kind)
        provinces = _features(Region.Kind.PROVINCE)
        bounds = geometry_bounds(provinces or features)
        maps = (
            project_geometries(features, width=400, bounds=bounds),
            project_geometries(provinces, width=400, bounds=bounds),
        )
        cache.set(key, maps, 24 * 3600)
    return maps


def _features(kind: str) -> list[dict]:
    rows = Region.objects.filter(kind=kind, boundary__isnull=False).values_list("code", "name", "boundary")
    return [
        {"type": "Feature", "properties": {"statcode": code, "statnaam": name}, "geometry": boundary}
        for code, name, boundary in rows
    ]
