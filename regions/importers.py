"""Import CBS regions and indicator data. Every import is atomic and idempotent.

* ``import_regions``: provinces, COROP regions and municipalities (2023
  classification) with their hierarchy and boundaries, and the GGD regions
  with their municipalities.
* ``import_indicators``: the sources of the reviewed mapping file
  ``regions/data/indicator_mapping.yaml``; each changed source becomes a new
  ``Dataset`` version, an unchanged one (same file, same mapping) is skipped.

Problems raise :class:`ImportProblem` naming the file, the line, the column
(where there is one) and the problem; the database is left as it was, so the
profile stays on the previous dataset version.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

import yaml
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from regions.models import Dataset, Indicator, IndicatorValue, Region, RegionMunicipality, Theme
from regions.profile import VERSIONS
from regions.signals import indicator_data_changed
from regions.tabular import Table, TableFormatError, read_plain_csv, read_statline_csv

DATA_DIR = Path(settings.BASE_DIR) / "regions" / "data"
# Periods before this are typos (CBS' regional series start in the 20th century).
FIRST_YEAR = 1900
# How far ahead a period may lie: forecasts, not typos such as 20244 or 9999.
FORECAST_YEARS = 30
# What IndicatorValue.value (a DecimalField) can hold: the dry run refuses what the database would.
_VALUE_FIELD = IndicatorValue._meta.get_field("value")
_VALUE_INTEGER_DIGITS = _VALUE_FIELD.max_digits - _VALUE_FIELD.decimal_places
_VALUE_LIMIT = Decimal(10) ** _VALUE_INTEGER_DIGITS
_VALUE_STEP = Decimal(1).scaleb(-_VALUE_FIELD.decimal_places)
MAPPING_FILE = DATA_DIR / "indicator_mapping.yaml"
COUNTRY_CODE = "NL01"
# Percentages outside 0..100 and negative counts are errors in the file, not data.
_PERCENT_UNIT_PREFIX = "%"


class ImportProblem(Exception):
    """A problem in an import file; ``str()`` names the file and line.

    The column, when the problem has one, is named in ``message`` itself
    (``kolom "x": ...``) and also kept in ``column``.
    """

    def __init__(self, filename: str, message: str, line: int | None = None, column: str | None = None) -> None:
        self.filename, self.message, self.line, self.column = filename, message, line, column
        super().__init__(f"{filename}, regel {line}: {message}" if line else f"{filename}: {message}")

    @classmethod
    def from_table_error(cls, err: TableFormatError, *, region_column: str | None = None) -> ImportProblem:
        message, column = err.message, err.column
        if err.code == "duplicate_row" and region_column:
            # The reader names the region but not its column.
            message, column = f'kolom "{region_column}": {message}', region_column
        return cls(err.filename, message, err.line, column)


# --- regions -----------------------------------------------------------------


@dataclass
class RegionImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} nieuw, {self.updated} gewijzigd, {self.unchanged} ongewijzigd"


def _read_csv_rows(path: Path, required: Iterable[str]) -> list[tuple[int, dict[str, str]]]:
    name = _display_name(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise ImportProblem(name, f"kan het bestand niet lezen ({err})") from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [column for column in required if column not in (reader.fieldnames or [])]
    if missing:
        raise ImportProblem(name, f"kolom(men) ontbreken in de kopregel: {', '.join(missing)}", 1)
    rows = []
    for row in reader:
        if None in row or any(value is None for value in row.values()):
            raise ImportProblem(name, "aantal velden klopt niet met de kopregel", reader.line_num)
        rows.append((reader.line_num, {key: value.strip() for key, value in row.items()}))
    if not rows:
        raise ImportProblem(name, "het bestand bevat geen gegevens")
    return rows


# CBS statcodes: GM0014 and GG0111 have four digits, PV20 and CR01 two.
_CODE_DIGITS = {"GM": 4, "GG": 4, "PV": 2, "CR": 2}


def _code(value: str, prefix: str, filename: str, line: int, column: str | None = None) -> str:
    digits = value[len(prefix) :]
    if not (value.startswith(prefix) and len(digits) == _CODE_DIGITS[prefix] and digits.isascii() and digits.isdigit()):
        where = f'kolom "{column}": ' if column else ""
        raise ImportProblem(filename, f'{where}"{value}" is geen geldige CBS-code ({prefix}…)', line, column)
    return value


def _population(value: str, filename: str, line: int) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ImportProblem(filename, f'inwonertal "{value}" is geen geheel getal', line) from None
    if number < 0:
        raise ImportProblem(filename, f"inwonertal {number} is negatief", line)
    return number


def _display_name(path: Path) -> str:
    try:
        return str(path.relative_to(settings.BASE_DIR))
    except ValueError:
        return str(path)


def _read_boundaries(path: Path, expected_codes: set[str]) -> dict[str, dict[str, Any]]:
    name = _display_name(path)
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ImportProblem(name, f"geen geldige GeoJSON ({err})") from None
    boundaries: dict[str, dict[str, Any]] = {}
    for number, feature in enumerate(collection.get("features", []), start=1):
        code = (feature.get("properties") or {}).get("statcode")
        geometry = feature.get("geometry") or {}
        if code not in expected_codes:
            raise ImportProblem(name, f"object {number}: onbekende regiocode {code!r}")
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            raise ImportProblem(name, f"object {number} ({code}): geometrie moet een (Multi)Polygon zijn")
        boundaries[code] = geometry
    missing = sorted(expected_codes - boundaries.keys())
    if missing:
        raise ImportProblem(name, f"geen grens voor {', '.join(missing[:5])}")
    return boundaries


GGD_MEMBERSHIP_FILE = Path("ggd") / "ggd_regios_gemeenten.csv"


def _read_ggd_membership(path: Path, municipalities: Iterable[str]) -> tuple[dict[str, str], dict[str, str]]:
    """(GGD code -> name, municipality code -> GGD code).

    Every one of ``municipalities`` must be in exactly one GGD region.
    """
    municipalities = set(municipalities)
    name = _display_name(path)
    ggd_names: dict[str, tuple[int, str]] = {}
    seen: dict[str, int] = {}
    membership: dict[str, str] = {}
    for line, row in _read_csv_rows(path, ["gemeente_code", "ggd_code", "ggd_naam"]):
        municipality = _code(row["gemeente_code"], "GM", name, line, "gemeente_code")
        ggd = _code(row["ggd_code"], "GG", name, line, "ggd_code")
        if municipality in seen:
            raise ImportProblem(
                name,
                f'kolom "gemeente_code": {municipality} staat ook al op regel {seen[municipality]}'
                " (een gemeente hoort bij precies één GGD-regio)",
                line,
                "gemeente_code",
            )
        if municipality not in municipalities:
            raise ImportProblem(
                name, f'kolom "gemeente_code": onbekende gemeente "{municipality}"', line, "gemeente_code"
            )
        if not row["ggd_naam"]:
            raise ImportProblem(name, 'kolom "ggd_naam" is leeg', line, "ggd_naam")
        first = ggd_names.setdefault(ggd, (line, row["ggd_naam"]))
        if first[1] != row["ggd_naam"]:
            raise ImportProblem(
                name,
                f'kolom "ggd_naam": {ggd} heet hier "{row["ggd_naam"]}", op regel {first[0]} "{first[1]}"',
                line,
                "ggd_naam",
            )
        seen[municipality] = line
        membership[municipality] = ggd
    missing = sorted(municipalities - seen.keys())
    if missing:
        raise ImportProblem(name, f"geen GGD-regio voor {', '.join(missing[:5])}{' …' if len(missing) > 5 else ''}")
    return {code: ggd_name for code, (_, ggd_name) in ggd_names.items()}, membership


@transaction.atomic
def import_regions(data_dir: Path = DATA_DIR) -> RegionImportResult:
    """Create or update the CBS regions of the 2023 classification.

    Before: the files in ``data_dir`` (provincies.csv, corop.csv,
    gemeenten.csv, geo/*.geojson, ggd/ggd_regios_gemeenten.csv). After: 1
    country, 12 provinces, 40 COROP regions and 342 municipalities with
    hierarchy, boundaries and membership rows, and the GGD regions (no
    boundary) with their municipalities, every municipality in exactly one;
    running it again changes nothing. Any problem: ImportProblem and no change.
    """
    provinces = _read_csv_rows(data_dir / "provincies.csv", ["pv_code", "pv_name", "population_2023_01_01"])
    corops = _read_csv_rows(data_dir / "corop.csv", ["corop_code", "corop_name", "pv_code", "population_2023_01_01"])
    municipalities = _read_csv_rows(
        data_dir / "gemeenten.csv", ["gm_code", "gm_name", "corop_code", "pv_code", "population_2023_01_01"]
    )

    pv_file, cr_file, gm_file = (_display_name(data_dir / n) for n in ("provincies.csv", "corop.csv", "gemeenten.csv"))
    pv_rows = {_code(r["pv_code"], "PV", pv_file, line): (line, r) for line, r in provinces}
    cr_rows = {_code(r["corop_code"], "CR", cr_file, line): (line, r) for line, r in corops}
    gm_rows = {}
    for line, row in municipalities:
        code = _code(row["gm_code"], "GM", gm_file, line)
        if code in gm_rows:
            raise ImportProblem(gm_file, f"{code} staat ook al op regel {gm_rows[code][0]}", line)
        if row["corop_code"] not in cr_rows:
            raise ImportProblem(gm_file, f'onbekend COROP-gebied "{row["corop_code"]}"', line)
        if row["pv_code"] not in pv_rows:
            raise ImportProblem(gm_file, f'onbekende provincie "{row["pv_code"]}"', line)
        _population(row["population_2023_01_01"], gm_file, line)
        gm_rows[code] = (line, row)
    for line, row in cr_rows.values():
        if row["pv_code"] not in pv_rows:
            raise ImportProblem(cr_file, f'onbekende provincie "{row["pv_code"]}"', line)

    # The totals in the province and COROP files must be the sums of their
    # municipalities: a mismatch means the files are from different releases.
    for codes, rows, key, filename in (
        (pv_rows, gm_rows, "pv_code", pv_file),
        (cr_rows, gm_rows, "corop_code", cr_file),
    ):
        for code, (line, row) in codes.items():
            total = sum(int(r["population_2023_01_01"]) for _, r in rows.values() if r[key] == code)
            stated = _population(row["population_2023_01_01"], filename, line)
            if total != stated:
                raise ImportProblem(
                    filename, f"inwonertal {stated} van {code} is niet de som van de gemeenten ({total})", line
                )

    ggd_rows, ggd_of = _read_ggd_membership(data_dir / GGD_MEMBERSHIP_FILE, gm_rows)

    geo = data_dir / "geo"
    boundaries = {
        **_read_boundaries(geo / "provincie_2023.geojson", set(pv_rows)),
        **_read_boundaries(geo / "coropgebied_2023.geojson", set(cr_rows)),
        **_read_boundaries(geo / "gemeente_2023.geojson", set(gm_rows)),
    }

    result = RegionImportResult()
    existing = {region.code: region for region in Region.objects.all()}

    def upsert(code: str, **fields: Any) -> Region:
        region = existing.get(code)
        if region is None:
            region = Region.objects.create(code=code, **fields)
            existing[code] = region
            result.created += 1
            return region
        changed = [name for name, value in fields.items() if getattr(region, name) != value]
        if changed:
            for name in changed:
                setattr(region, name, fields[name])
            region.save(update_fields=changed)
            result.updated += 1
        else:
            result.unchanged += 1
        return region

    country = upsert(COUNTRY_CODE, name="Nederland", kind=Region.Kind.COUNTRY, boundary=None)
    for code, (_, row) in pv_rows.items():
        upsert(code, name=row["pv_name"], kind=Region.Kind.PROVINCE, boundary=boundaries[code])
    for code, (_, row) in cr_rows.items():
        upsert(
            code,
            name=row["corop_name"],
            kind=Region.Kind.COROP,
            boundary=boundaries[code],
            province=existing[row["pv_code"]],
        )
    for code, (_, row) in gm_rows.items():
        upsert(
            code,
            name=row["gm_name"],
            kind=Region.Kind.MUNICIPALITY,
            boundary=boundaries[code],
            corop=existing[row["corop_code"]],
            province=existing[row["pv_code"]],
        )

    for code, name in ggd_rows.items():
        upsert(code, name=name, kind=Region.Kind.GGD, boundary=None)

    wanted = set()
    for code, (_, row) in gm_rows.items():
        municipality_id = existing[code].pk
        for container in (code, row["corop_code"], row["pv_code"], ggd_of[code]):
            wanted.add((existing[container].pk, municipality_id))
        wanted.add((country.pk, municipality_id))
    standard_ids = [existing[c].pk for c in [COUNTRY_CODE, *pv_rows, *cr_rows, *gm_rows, *ggd_rows]]
    present = set(
        RegionMunicipality.objects.filter(region_id__in=standard_ids).values_list("region_id", "municipality_id")
    )
    RegionMunicipality.objects.bulk_create(
        [RegionMunicipality(region_id=r, municipality_id=m) for r, m in sorted(wanted - present)]
    )
    stale = present - wanted
    for region_id, municipality_id in stale:
        RegionMunicipality.objects.filter(region_id=region_id, municipality_id=municipality_id).delete()
    return result


# --- indicators ------------------------------------------------------------------


@dataclass
class ValueChange:
    region: str
    indicator: str
    year: int
    old: Decimal | None
    new: Decimal | None


@dataclass
class SourceResult:
    source_key: str
    title: str
    status: str  # "new_version", "unchanged", "would_change" (dry run)
    version: int | None = None
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged_values: int = 0
    skipped_regions: list[str] = field(default_factory=list)
    examples: list[ValueChange] = field(default_factory=list)

    @property
    def value_count(self) -> int:
        return self.added + self.changed + self.unchanged_values


# The profile versions an indicator can be judged in (mapping key ``judged_in``).
# The mapping's direction_basis as the sentence stored with the indicator (both languages are stored,
# like its name: the import runs in no particular language).
DIRECTION_BASIS_NL = {
    "cbs": "Richting zoals CBS haar geeft in de Monitor Brede Welvaart.",
    "inferred": "Richting afgeleid uit wat de indicator meet.",
}
DIRECTION_BASIS_EN = {
    "cbs": "Direction as CBS gives it in the Well-being Monitor.",
    "inferred": "Direction inferred from what the indicator measures.",
}
_JUDGED_BY_DEFAULT = list(VERSIONS)
_LEVELS = {choice.value for choice in Indicator.Level}
_TRENDS = {Indicator.Direction.HIGHER_IS_BETTER.value, Indicator.Direction.LOWER_IS_BETTER.value}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_indicator(item: dict[str, Any], fail: Callable[[str], NoReturn]) -> None:
    code = item["code"]
    judged_in = item.get("judged_in")
    if judged_in is not None:
        if not isinstance(judged_in, list) or any(version not in VERSIONS for version in judged_in):
            fail(f"indicator {code}: judged_in moet een lijst zijn met {' en/of '.join(VERSIONS)}")
        judged = item.get("in_profile", True) and item["direction"] in _TRENDS
        if judged_in and not judged:
            fail(f"indicator {code}: alleen een indicator met een richting (higher/lower) in het profiel telt mee")
    if "direction_basis" in item and item["direction_basis"] not in DIRECTION_BASIS_NL:
        fail(f"indicator {code}: direction_basis moet {' of '.join(DIRECTION_BASIS_NL)} zijn")
    if "trend" in item and item["trend"] not in _TRENDS:
        fail(f"indicator {code}: trend moet higher of lower zijn, niet {item['trend']!r}")
    if "range" in item:
        bounds = item["range"]
        if not (isinstance(bounds, list) and len(bounds) == 2 and all(_is_number(b) for b in bounds)):
            fail(f"indicator {code}: range moet twee getallen zijn, [kleinste, grootste]")
        if bounds[0] >= bounds[1]:
            fail(f"indicator {code}: range {bounds}: de kleinste waarde moet kleiner zijn dan de grootste")


def load_mapping(path: Path = MAPPING_FILE) -> dict[str, Any]:
    name = _display_name(path)

    def fail(message: str) -> NoReturn:
        raise ImportProblem(name, message)

    try:
        mapping = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise ImportProblem(name, f"kan de mapping niet lezen ({err})") from None
    if not isinstance(mapping, dict) or mapping.get("version") != 1:
        fail("mapping moet 'version: 1' hebben")
    codes = {item["code"] for item in mapping["indicators"]}
    themes = {item["code"] for item in mapping["themes"]}
    for item in mapping["indicators"]:
        for ref in ("weight", "numerator", "denominator"):
            if item.get(ref) and item[ref] not in codes:
                fail(f"indicator {item['code']}: onbekende {ref} {item[ref]!r}")
        for theme in item.get("themes", []):
            if theme not in themes:
                fail(f"indicator {item['code']}: onbekend thema {theme!r}")
        _check_indicator(item, fail)
    filled_by: dict[str, str] = {}
    for source in mapping["sources"]:
        if source.get("level", Indicator.Level.MUNICIPALITY) not in _LEVELS:
            fail(f"bron {source['key']}: level moet {' of '.join(sorted(_LEVELS))} zijn, niet {source['level']!r}")
        if not isinstance(source.get("age_group", ""), str):
            fail(f'bron {source["key"]}: age_group moet tekst zijn (bijvoorbeeld "16-25")')
        for target in set(_column_plan(source).values()):
            if target not in codes:
                fail(f"bron {source['key']}: onbekende indicator {target!r}")
            # One source per indicator: its level, age group and dataset version are the source's.
            if filled_by.setdefault(target, source["key"]) != source["key"]:
                fail(f"indicator {target} wordt gevuld door twee bronnen: {filled_by[target]} en {source['key']}")
    notes_en = mapping.get("notes_en") or {}
    if not isinstance(notes_en, dict):
        fail("notes_en moet per indicatorcode een Engelse tekst geven")
    for code in notes_en:
        if code not in codes:
            fail(f"notes_en: onbekende indicator {code!r}")
    units_en = mapping.get("units_en") or {}
    for item in mapping["indicators"]:
        if str(item["unit"]) not in units_en:
            fail(f"indicator {item['code']}: de eenheid {item['unit']!r} heeft geen Engelse versie in units_en")
        if item.get("note") and not notes_en.get(item["code"]):
            fail(f"indicator {item['code']}: de kanttekening heeft geen Engelse versie in notes_en")
    return mapping


def _indicator_sources(mapping: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Indicator code -> the source that fills it; for a ratio of sums, the numerator's source."""
    sources = {}
    for source in mapping["sources"]:
        for code in _column_plan(source).values():
            sources[code] = source
    for item in mapping["indicators"]:
        if item["code"] not in sources and item.get("numerator") in sources:
            sources[item["code"]] = sources[item["numerator"]]
    return sources


def _judged_in(item: dict[str, Any]) -> list[str]:
    if "judged_in" in item:
        return list(item["judged_in"])
    judged = item.get("in_profile", True) and item["direction"] in _TRENDS
    return list(_JUDGED_BY_DEFAULT) if judged else []


@transaction.atomic
def sync_catalogue(mapping: dict[str, Any]) -> None:
    """Create or update themes and indicators from the mapping (as checked by ``load_mapping``)."""
    dimension = {"here_and_now": "here_and_now", "later": "later", "elsewhere": "elsewhere"}
    themes = {}
    for position, item in enumerate(mapping["themes"]):
        themes[item["code"]], _ = Theme.objects.update_or_create(
            code=item["code"],
            defaults={
                "dimension": dimension[item["dimension"]],
                "name_nl": item["nl"],
                "name_en": item["en"],
                "position": position,
            },
        )
    sources = _indicator_sources(mapping)
    indicators = {}
    for item in mapping["indicators"]:
        source = sources.get(item["code"], {})
        low, high = item.get("range", (None, None))
        indicators[item["code"]], _ = Indicator.objects.update_or_create(
            code=item["code"],
            defaults={
                "name_nl": item["nl"],
                "name_en": item["en"],
                "unit": str(item["unit"]),
                "unit_en": str(mapping.get("units_en", {}).get(str(item["unit"]), item["unit"])),
                "direction": item["direction"],
                "aggregation": item["aggregation"],
                "scale": item.get("scale", 1),
                "in_profile": item.get("in_profile", True),
                "source_note": " ".join(
                    part
                    for part in (
                        DIRECTION_BASIS_NL.get(item.get("direction_basis", ""), ""),
                        item.get("note", ""),
                    )
                    if part
                ),
                "source_note_en": " ".join(
                    part
                    for part in (
                        DIRECTION_BASIS_EN.get(item.get("direction_basis", ""), ""),
                        mapping.get("notes_en", {}).get(item["code"], ""),
                    )
                    if part
                ),
                "level": source.get("level", Indicator.Level.MUNICIPALITY),
                "judged_in": _judged_in(item),
                "age_group": source.get("age_group", ""),
                "source_key": source.get("key", ""),
                "trend_direction": item.get("trend", ""),
                # str() first: a float such as 0.1 would otherwise bring its binary tail.
                "min_value": None if low is None else Decimal(str(low)),
                "max_value": None if high is None else Decimal(str(high)),
            },
        )
    for item in mapping["indicators"]:
        indicator = indicators[item["code"]]
        indicator.weight = indicators.get(item.get("weight"))
        indicator.numerator = indicators.get(item.get("numerator"))
        indicator.denominator = indicators.get(item.get("denominator"))
        indicator.save(update_fields=["weight", "numerator", "denominator"])
        indicator.themes.set([themes[code] for code in item.get("themes", [])])


def _read_source_table(source: dict[str, Any], data: bytes, filename: str) -> Table:
    value_columns = list(_column_plan(source))
    reader = read_statline_csv if source["format"] == "statline" else read_plain_csv
    try:
        return reader(
            data,
            filename=filename,
            region_column=source["region_column"],
            period_column=source.get("period_column"),
            value_columns=value_columns,
        )
    except TableFormatError as err:
        raise ImportProblem.from_table_error(err, region_column=source["region_column"]) from None


def _column_plan(source: dict[str, Any]) -> dict[str, str]:
    """Source column -> indicator code.

    In the mapping, ``columns`` maps a source column to an indicator, except
    for ``indicator: {sum_of: [columns]}`` entries, whose parts are added up.
    """
    plan = {}
    for key, spec in source["columns"].items():
        if isinstance(spec, dict):
            for column in spec["sum_of"]:
                plan[column] = key
        else:
            plan[key] = spec
    return plan


def _normalised_source(source: dict[str, Any]) -> dict[str, Any]:
    plan: dict[str, Any] = {}
    for key, spec in source["columns"].items():
        if isinstance(spec, dict):
            plan[key] = {"sum_of": list(spec["sum_of"])}
        else:
            plan[spec] = key
    return plan


def _resolve_region(text: str, by_code: dict[str, Region], by_name: dict[str, Region]) -> Region | None:
    if text in by_code:
        return by_code[text]
    # StatLine names a municipality that shares its name with a province
    # "Groningen (gemeente)".
    name = text.removesuffix(" (gemeente)")
    return by_name.get(name)


@dataclass(frozen=True)
class _NewValue:
    value: Decimal
    provisional: bool
    line: int  # where it came from, for a later check's message
    column: str


def _values_from_table(
    source: dict[str, Any], table: Table, indicators: dict[str, Indicator], regions: dict[str, Region]
) -> tuple[dict[tuple[int, int, int], _NewValue], list[str]]:
    """(indicator_id, region_id, year) -> value; plus skipped region labels.

    ``regions``: the regions of the source's level by code (municipalities,
    or GGD regions for ``level: ggd``). Checks each row: a known region, once
    per period, every value plausible for its indicator.
    """
    ggd_level = source.get("level") == Indicator.Level.GGD
    region_column = source["region_column"]
    by_name = {region.name: region for region in regions.values()}
    sums = {key: spec["sum_of"] for key, spec in source["columns"].items() if isinstance(spec, dict)}
    direct = {column: code for column, code in source["columns"].items() if not isinstance(code, dict)}
    values: dict[tuple[int, int, int], _NewValue] = {}
    first_line: dict[tuple[int, int], int] = {}
    skipped: list[str] = []
    # Forecasts reach decades ahead (CBS/PBL regional prognoses run to 2050); later years are typos.
    last_year = timezone.localdate().year + FORECAST_YEARS

    def fail(message: str, line: int, column: str) -> NoReturn:
        raise ImportProblem(table.filename, f'kolom "{column}": {message}', line, column)

    for row in table.rows:
        region = _resolve_region(row.region, regions, by_name)
        if region is None and ggd_level:
            # A GGD file also holds the national figure (NL01): listed, not stored.
            if row.region.startswith("GG"):
                fail(f'onbekende GGD-regio "{row.region}"', row.line, region_column)
            skipped.append(row.region)
            continue
        if region is None:
            is_municipal_code = row.region.startswith("GM")
            if is_municipal_code and source.get("skip_former_municipalities"):
                skipped.append(row.region)
                continue
            if is_municipal_code or not source.get("only_municipalities"):
                fail(f'onbekende gemeente "{row.region}"', row.line, region_column)
            skipped.append(row.region)
            continue
        year = row.year if source.get("period_column") else source["year"]
        if year is None:
            raise ImportProblem(
                table.filename,
                f'kolom "{source["period_column"]}": periode "{row.period}" is geen jaar',
                row.line,
                source["period_column"],
            )
        if not FIRST_YEAR <= year <= last_year:
            raise ImportProblem(
                table.filename,
                f'kolom "{source["period_column"]}": periode "{row.period}" ligt niet tussen {FIRST_YEAR}'
                f" en {last_year}",
                row.line,
                source["period_column"],
            )
        # The reader rejects a repeated label; two labels can still name one
        # region (a code and a name, "X" and "X (gemeente)").
        seen = first_line.setdefault((region.pk, year), row.line)
        if seen != row.line:
            fail(f'regio "{row.region}" ({region.code}, {year}) staat ook al op regel {seen}', row.line, region_column)
        entries: list[tuple[str, Decimal | None, str]] = [
            (code, row.cells[column].value, column) for column, code in direct.items()
        ]
        for code, parts in sums.items():
            cells = [row.cells[part].value for part in parts]
            entries.append((code, None if None in cells else sum(cells, Decimal(0)), " + ".join(parts)))
        for code, value, column in entries:
            if value is None:
                continue  # missing or secret: no value, never a guess
            indicator = indicators[code]
            problem = _does_not_fit(value) or _implausible(indicator, value)
            if problem:
                fail(problem, row.line, column)
            values[(indicator.pk, region.pk, year)] = _NewValue(value, row.provisional, row.line, column)
    return values, skipped


def _does_not_fit(value: Decimal) -> str | None:
    """Why ``value`` cannot be stored in IndicatorValue.value (a decimal column), or None.

    The database would refuse it only when the import is written, after the
    dry run said yes; so the dry run asks the same question first.
    """
    if not value.is_finite():
        return f"waarde {value} is geen getal"
    # Rounded to the column's decimals, as the database does; compared before
    # rounding too, because rounding a huge number needs more digits than Decimal keeps.
    if abs(value) >= _VALUE_LIMIT or abs(value.quantize(_VALUE_STEP)) >= _VALUE_LIMIT:
        digits = value.adjusted() + 1  # before the decimal point
        shown = _plain(value) if digits <= _VALUE_INTEGER_DIGITS + 6 else f"met {digits} cijfers"
        return f"waarde {shown} is te groot: hoogstens {_VALUE_INTEGER_DIGITS} cijfers voor de komma"
    return None


def _implausible(indicator: Indicator, value: Decimal) -> str | None:
    """Why ``value`` cannot be a value of ``indicator``, or None."""
    is_percentage = indicator.unit.startswith(_PERCENT_UNIT_PREFIX)
    if value < 0 and (indicator.aggregation == "sum" or is_percentage):
        return f"negatieve waarde {value} voor {indicator.name_nl}"
    if is_percentage and value > 100:
        return f"percentage {value} is groter dan 100"
    low, high = indicator.min_value, indicator.max_value
    if (low is not None and value < low) or (high is not None and value > high):
        return (
            f"waarde {value} ligt buiten het bereik {_plain(low)} tot {_plain(high)} van {indicator.name_nl}"
            f" ({indicator.unit})"
        )
    return None


def _plain(number: Decimal | None) -> str:
    return "…" if number is None else f"{number.normalize():f}"


# A unit change (e.g. a fraction instead of a percentage, euros instead of
# thousands): the typical region's value moves by more than this factor.
UNIT_CHANGE_FACTOR = Decimal(5)


def _check_units(
    source: dict[str, Any],
    new_values: dict[tuple[int, int, int], _NewValue],
    old_values: dict[tuple[int, int, int], Decimal],
    indicators: dict[str, Indicator],
    filename: str,
    version: int,
) -> None:
    """Refuse a file whose values look like another unit than the previous version's.

    Per indicator, over the (region, year) pairs in both versions with a
    positive value in both: the median of new/old. Above 5 or below 1/5 the
    file is refused, naming the first row whose own ratio is outside that band.
    """
    ratios_of: dict[int, list[tuple[int, str, Decimal]]] = {}
    for key, new in new_values.items():
        old = old_values.get(key)
        if old is not None and old > 0 and new.value > 0:
            ratios_of.setdefault(key[0], []).append((new.line, new.column, new.value / old))
    for indicator in indicators.values():
        ratios = ratios_of.get(indicator.pk)
        if not ratios:
            continue
        typical = statistics.median(ratio for _, _, ratio in ratios)
        if 1 / UNIT_CHANGE_FACTOR <= typical <= UNIT_CHANGE_FACTOR:
            continue
        line, column, _ = min(r for r in ratios if not 1 / UNIT_CHANGE_FACTOR <= r[2] <= UNIT_CHANGE_FACTOR)
        how = f"{_factor(typical)} keer zo groot" if typical > 1 else f"{_factor(1 / typical)} keer zo klein"
        raise ImportProblem(
            filename,
            f'kolom "{column}": eenheid veranderd? waarden van {indicator.name_nl} zijn ongeveer {how}'
            f" als in versie {version} van {source['key']}",
            line,
            column,
        )


def _factor(ratio: Decimal) -> str:
    """A factor in words: two significant digits, Dutch decimal comma (1000, 12, 6,3)."""
    rounded = Decimal(f"{ratio:.2g}")
    return f"{rounded:f}".replace(".", ",") if rounded < 10 else f"{int(rounded)}"


def _forget_current_datasets() -> None:
    """A new version makes the cached list of current datasets stale: drop it now and after commit."""
    from regions.selectors import forget_current_datasets

    forget_current_datasets()
    transaction.on_commit(forget_current_datasets)


def import_source(
    source: dict[str, Any], data: bytes, *, filename: str, user=None, dry_run: bool = False, max_examples: int = 20
) -> SourceResult:
    """Import one source of the mapping from ``data`` (the file's bytes).

    Idempotent: when the current version of the source was made from the same
    bytes and the same mapping, nothing is written (status "unchanged").
    Otherwise a new Dataset version holds all values (old versions stay).
    With ``dry_run`` nothing is written; the result lists what would change.
    """
    digest = hashlib.sha256(data + json.dumps(_normalised_source(source), sort_keys=True).encode()).hexdigest()
    current = Dataset.objects.filter(source_key=source["key"]).order_by("-version").first()
    result = SourceResult(source_key=source["key"], title=source["title"], status="unchanged")
    if current is not None and current.file_sha256 == digest:
        result.version = current.version
        result.unchanged_values = current.value_count
        return result

    table = _read_source_table(source, data, filename)
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=set(_column_plan(source).values()))}
    if source.get("level") == Indicator.Level.GGD:
        regions = {r.code: r for r in Region.objects.filter(kind=Region.Kind.GGD)}
        if not regions:
            raise ImportProblem(filename, "er zijn nog geen GGD-regio's: voer eerst import_regions uit")
    else:
        regions = {r.code: r for r in Region.objects.filter(kind=Region.Kind.MUNICIPALITY)}
        if not regions:
            raise ImportProblem(filename, "er zijn nog geen gemeenten: voer eerst import_regions uit")
    new_values, result.skipped_regions = _values_from_table(source, table, indicators, regions)

    old_values = {}
    if current is not None:
        old_values = {
            (v.indicator_id, v.region_id, v.year): v.value
            for v in IndicatorValue.objects.filter(dataset=current).only("indicator_id", "region_id", "year", "value")
        }
        _check_units(source, new_values, old_values, indicators, filename, current.version)
    names = {r.pk: r.code for r in regions.values()}
    codes = {i.pk: i.code for i in indicators.values()}
    for key, new in new_values.items():
        value, old = new.value, old_values.get(key)
        if old is None:
            result.added += 1
        elif old != value:
            result.changed += 1
        else:
            result.unchanged_values += 1
        if old != value and len(result.examples) < max_examples:
            result.examples.append(ValueChange(names.get(key[1], "?"), codes.get(key[0], "?"), key[2], old, value))
    result.removed = len(old_values.keys() - new_values.keys())

    if dry_run:
        result.status = "would_change"
        return result
    try:
        with transaction.atomic():
            # Two imports of the same source at the same moment: the second
            # waits for the first's lock, then sees the same file and stops.
            # Lock first, then read the latest version in a new statement: a
            # locked "ORDER BY version DESC LIMIT 1" would return the row it
            # waited for, not the version the other import just added.
            list(Dataset.objects.select_for_update().filter(source_key=source["key"]).values_list("pk", flat=True))
            latest = Dataset.objects.filter(source_key=source["key"]).order_by("-version").first()
            if latest is not None and latest.file_sha256 == digest:
                return SourceResult(
                    source_key=source["key"],
                    title=source["title"],
                    status="unchanged",
                    version=latest.version,
                    unchanged_values=latest.value_count,
                )
            _forget_current_datasets()
            dataset = Dataset.objects.create(
                source_key=source["key"],
                version=(latest.version + 1) if latest else 1,
                title=source["title"],
                publisher=source.get("publisher", "CBS"),
                licence=source.get("licence", "CC BY 4.0"),
                attribution=source.get("attribution", "Bron: CBS"),
                table_id=source.get("table_id", ""),
                source_url=source.get("url", ""),
                file_name=Path(filename).name,
                file_sha256=digest,
                value_count=len(new_values),
                imported_by=user,
            )
            IndicatorValue.objects.bulk_create(
                [
                    IndicatorValue(
                        dataset=dataset,
                        indicator_id=i,
                        region_id=r,
                        year=y,
                        value=new.value,
                        provisional=new.provisional,
                    )
                    for (i, r, y), new in new_values.items()
                ],
                batch_size=2000,
            )
            # After the commit, so a receiver's job sees the new version; robust,
            # so a receiver's failure never turns a committed import into an error.
            transaction.on_commit(
                lambda: indicator_data_changed.send_robust(
                    sender=Dataset, source_key=dataset.source_key, version=dataset.version
                )
            )
    except IntegrityError:
        # The very first version has no row to lock; the unique constraint on
        # (source_key, version) lets exactly one concurrent import create it.
        raise ImportProblem(filename, "deze bron wordt op dit moment al geïmporteerd; probeer het zo opnieuw") from None
    result.status = "new_version"
    result.version = dataset.version
    return result


@transaction.atomic
def import_indicators(
    mapping_path: Path = MAPPING_FILE, *, only: Iterable[str] | None = None, user=None
) -> list[SourceResult]:
    """Import every source (or those named in ``only``) of the mapping, all or nothing."""
    mapping = load_mapping(mapping_path)
    sync_catalogue(mapping)
    wanted = set(only) if only else None
    results = []
    for source in mapping["sources"]:
        if wanted is not None and source["key"] not in wanted:
            continue
        path = Path(settings.BASE_DIR) / source["file"]
        try:
            data = path.read_bytes()
        except OSError as err:
            raise ImportProblem(source["file"], f"kan het bestand niet lezen ({err.strerror})") from None
        results.append(import_source(source, data, filename=source["file"], user=user))
    if wanted:
        unknown = wanted - {source["key"] for source in mapping["sources"]}
        if unknown:
            raise ImportProblem(_display_name(mapping_path), f"onbekende bron(nen): {', '.join(sorted(unknown))}")
    return results
