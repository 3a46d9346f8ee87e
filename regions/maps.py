"""Project GeoJSON boundaries (WGS84 lon/lat) to inline SVG path data.

The pages draw the Netherlands server-side, so this module turns CBS boundary
features into SVG coordinates without any GIS dependency. The projection is a
simple equirectangular one corrected for the middle latitude: the country is
small enough that this looks right, and it keeps the maths obvious.

Paths may contain holes (e.g. a municipality enclosing another one) and use
the even-odd rule for them, so the caller must render each path with
``fill-rule="evenodd"``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

Bounds = tuple[float, float, float, float]  # (min_lon, min_lat, max_lon, max_lat)
Point = tuple[float, float]
Transform = Callable[[float, float], Point]  # (lon, lat) -> (x, y) in SVG units


@dataclass(frozen=True)
class MapShape:
    """One feature as SVG: ``path`` is meant for ``<path d=... fill-rule="evenodd">``."""

    code: str  # statcode, e.g. "GM0014"
    name: str  # statnaam, e.g. "Groningen"
    path: str


@dataclass(frozen=True)
class ProjectedMap:
    """A whole layer, ready for ``<svg viewBox=...>``."""

    width: int
    height: int
    view_box: str  # "0 0 {width} {height}"
    shapes: tuple[MapShape, ...]  # sorted by code


def _rings(geometry: dict) -> Iterator[list[list[float]]]:
    """Yield every ring (outer and holes) of a Polygon or MultiPolygon."""
    kind = geometry.get("type")
    if kind == "Polygon":
        polygons = [geometry["coordinates"]]
    elif kind == "MultiPolygon":
        polygons = geometry["coordinates"]
    else:
        raise ValueError(f"Unsupported geometry type: {kind!r}")
    for polygon in polygons:
        yield from polygon


def _geometries(features: Iterable[dict]) -> Iterator[dict]:
    # GeoJSON allows features without geometry; they have nothing to draw.
    return (f["geometry"] for f in features if f.get("geometry"))


def geometry_bounds(features: list[dict]) -> Bounds:
    """Return ``(min_lon, min_lat, max_lon, max_lat)`` over all features."""
    lons: list[float] = []
    lats: list[float] = []
    for geometry in _geometries(features):
        for ring in _rings(geometry):
            for lon, lat, *_ in ring:  # tolerate an optional altitude
                lons.append(lon)
                lats.append(lat)
    if not lons:
        raise ValueError("No coordinates to compute bounds from")
    return min(lons), min(lats), max(lons), max(lats)


def _format(value: float, precision: int) -> str:
    """Shortest decimal text for an already rounded number ("12.0" -> "12")."""
    text = f"{value + 0.0:.{precision}f}"  # + 0.0 turns -0.0 into 0.0
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def path_for_geometry(geometry: dict, transform: Transform, *, precision: int = 1) -> str:
    """SVG path data for all rings of a Polygon/MultiPolygon geometry.

    Each ring becomes ``M x,y L x,y x,y ... Z`` with coordinates rounded to
    ``precision`` decimals. Rounding makes neighbouring vertices coincide at
    small map sizes, so consecutive duplicates are dropped (smaller SVG), and
    rings left with fewer than 3 distinct points are dropped entirely (they
    would draw nothing but a speck). Raises ``ValueError`` for other types.
    """
    parts: list[str] = []
    for ring in _rings(geometry):
        points: list[Point] = []
        for lon, lat, *_ in ring:
            x, y = transform(lon, lat)
            point = (round(x, precision), round(y, precision))
            if not points or point != points[-1]:
                points.append(point)
        # GeoJSON repeats the first point at the end; "Z" closes the ring already.
        if len(points) > 1 and points[0] == points[-1]:
            points.pop()
        if len(set(points)) < 3:
            continue
        coords = [f"{_format(x, precision)},{_format(y, precision)}" for x, y in points]
        parts.append(f"M{coords[0]} L{' '.join(coords[1:])} Z")
    return " ".join(parts)


def project_geometries(
    features: list[dict],
    *,
    width: int = 400,
    padding: int = 4,
    precision: int = 1,
    bounds: Bounds | None = None,
) -> ProjectedMap:
    """Project features into an SVG canvas ``width`` wide, north up.

    ``x = lon * cos(mid_lat)`` and ``y = -lat`` are scaled so that ``bounds``
    fills the width minus ``padding`` on either side; the height follows from
    the aspect ratio. The projection depends only on ``bounds``, ``width`` and
    ``padding``, so layers projected with the same values overlay exactly
    (pass the municipality bounds when drawing provinces on top of them).
    """
    min_lon, min_lat, max_lon, max_lat = bounds or geometry_bounds(features)
    x_factor = math.cos(math.radians((min_lat + max_lat) / 2))
    span_x = (max_lon - min_lon) * x_factor
    span_y = max_lat - min_lat
    inner = width - 2 * padding
    if span_x <= 0 or inner <= 0:
        raise ValueError("Bounds and width must leave a non-empty drawing area")
    scale = inner / span_x
    height = math.ceil(span_y * scale + 2 * padding)

    def transform(lon: float, lat: float) -> Point:
        return (
            padding + (lon - min_lon) * x_factor * scale,
            padding + (max_lat - lat) * scale,  # SVG y grows downwards
        )

    # Features whose rings all collapse keep an empty path, so every code
    # stays present for callers that look shapes up by code.
    shapes = sorted(
        (
            MapShape(
                code=feature["properties"]["statcode"],
                name=feature["properties"]["statnaam"],
                path=path_for_geometry(feature["geometry"], transform, precision=precision),
            )
            for feature in features
            if feature.get("geometry")
        ),
        key=lambda shape: shape.code,
    )
    return ProjectedMap(
        width=width,
        height=height,
        view_box=f"0 0 {width} {height}",
        shapes=tuple(shapes),
    )
