"""Tests for regions.maps (pure Python, no Django needed)."""

import json
import re
from pathlib import Path

import pytest

from regions.maps import geometry_bounds, path_for_geometry, project_geometries

GEO_DIR = Path(__file__).resolve().parents[2] / "regions" / "data" / "geo"
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def load_features(name: str) -> list[dict]:
    with (GEO_DIR / f"{name}_2023.geojson").open(encoding="utf-8") as handle:
        return json.load(handle)["features"]


def feature(code: str, geometry: dict) -> dict:
    return {
        "type": "Feature",
        "properties": {"statcode": code, "statnaam": code},
        "geometry": geometry,
    }


def points(path: str) -> list[tuple[float, float]]:
    """Parse the absolute coordinates of a path back into (x, y) pairs."""
    numbers = [float(n) for n in NUMBER.findall(path)]
    return list(zip(numbers[::2], numbers[1::2], strict=True))


def box(path: str) -> tuple[float, float, float, float]:
    xs, ys = zip(*points(path), strict=True)
    return min(xs), min(ys), max(xs), max(ys)


def identity(lon: float, lat: float) -> tuple[float, float]:
    return lon, lat


SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}


def test_it_projects_a_square_to_the_padded_canvas():
    result = project_geometries([feature("GM0001", SQUARE)], width=20, padding=2, bounds=(0, 0, 1, 1))

    # Width 1 degree at mid latitude 0.5 is cos(0.5 deg) wide, so the height is
    # slightly more than the width; y is flipped so north (lat 1) is at the top.
    assert (result.width, result.height, result.view_box) == (20, 21, "0 0 20 21")
    assert result.shapes[0].path == "M2,18 L18,18 18,2 2,2 Z"


def test_it_renders_multipolygon_with_hole_as_separate_rings():
    geometry = {
        "type": "MultiPolygon",
        "coordinates": [
            [
                [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
                [[2, 2], [2, 4], [4, 4], [4, 2], [2, 2]],  # hole
            ],
            [[[20, 0], [21.26, 0], [21.26, 1], [20, 0]]],
        ],
    }

    assert path_for_geometry(geometry, identity) == (
        "M0,0 L10,0 10,10 0,10 Z M2,2 L2,4 4,4 4,2 Z M20,0 L21.3,0 21.3,1 Z"
    )


def test_it_drops_duplicate_points_and_collapsed_rings_after_rounding():
    geometry = {
        "type": "MultiPolygon",
        "coordinates": [
            [[[0, 0], [0.01, 0.01], [1, 0], [1, 1], [1.04, 1], [0, 0]]],
            [[[5, 5], [5.01, 5], [5.02, 5.01], [5, 5]]],  # collapses to one point
        ],
    }

    assert path_for_geometry(geometry, identity) == "M0,0 L1,0 1,1 Z"


def test_it_raises_for_unsupported_geometry_type():
    with pytest.raises(ValueError, match="LineString"):
        path_for_geometry({"type": "LineString", "coordinates": [[0, 0], [1, 1]]}, identity)


def test_it_computes_bounds_over_all_features():
    features = [
        feature("A", SQUARE),
        feature(
            "B",
            {"type": "Polygon", "coordinates": [[[3, -2], [4, -2], [4, 5], [3, -2]]]},
        ),
    ]

    assert geometry_bounds(features) == (0, -2, 4, 5)


def test_it_keeps_real_municipalities_inside_the_view_box():
    result = project_geometries(load_features("gemeente"))

    for shape in result.shapes:
        for x, y in points(shape.path):
            assert 0 <= x <= result.width and 0 <= y <= result.height, shape.code


def test_it_projects_all_real_municipalities_sorted_by_code():
    result = project_geometries(load_features("gemeente"), width=400, precision=1)
    codes = [shape.code for shape in result.shapes]

    assert len(codes) == 342
    assert len(set(codes)) == 342
    assert codes == sorted(codes)
    assert all(shape.path for shape in result.shapes)


def test_it_overlays_provinces_on_municipalities_with_shared_bounds():
    municipalities = load_features("gemeente")
    bounds = geometry_bounds(municipalities)
    gemeenten = {s.code: s for s in project_geometries(municipalities, bounds=bounds).shapes}
    provinces = {s.code: s for s in project_geometries(load_features("provincie"), bounds=bounds).shapes}

    outer, inner = box(provinces["PV20"].path), box(gemeenten["GM0014"].path)
    assert outer[0] <= inner[0] and outer[1] <= inner[1]
    assert inner[2] <= outer[2] and inner[3] <= outer[3]
