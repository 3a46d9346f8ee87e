"""Importers: good files, bad files (named line, nothing changed), idempotence."""

import shutil
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from regions import importers
from regions.models import Dataset, Indicator, IndicatorValue, Region, RegionMunicipality

DATA = Path(settings.BASE_DIR) / "regions" / "data"
KWB = next(
    s
    for s in yaml.safe_load((DATA / "indicator_mapping.yaml").read_text())["sources"]
    if s["key"] == "cbs-85618-kwb-2023"
)


def kwb_bytes(replace: tuple[str, str] | None = None, *, drop_line: int | None = None) -> bytes:
    text = (DATA / "cbs" / "kwb2023_gemeenten.csv").read_text(encoding="utf-8")
    if replace:
        assert replace[0] in text
        text = text.replace(replace[0], replace[1], 1)
    if drop_line:
        lines = text.splitlines(keepends=True)
        del lines[drop_line - 1]
        text = "".join(lines)
    return text.encode()


def snapshot_counts():
    return Dataset.objects.count(), IndicatorValue.objects.count()


@pytest.mark.django_db
def test_it_is_idempotent():
    before = snapshot_counts()
    call_command("import_regions", verbosity=0)
    call_command("import_indicators", verbosity=0)
    assert snapshot_counts() == before
    assert Region.objects.count() == 1 + 12 + 40 + 342 + 25  # country, provinces, COROP, municipalities, GGD


@pytest.mark.django_db
def test_it_makes_a_new_version_when_a_value_changes():
    emmen_row = next(line for line in kwb_bytes().decode().splitlines() if line.startswith("GM0114,"))
    fields = emmen_row.split(",")
    old_distance = fields[26]
    fields[26] = "9.9"  # afstand_huisartsenpraktijk_km
    result = importers.import_source(KWB, kwb_bytes((emmen_row, ",".join(fields))), filename="kwb.csv")
    assert (result.status, result.version, result.changed) == ("new_version", 2, 1)
    new = IndicatorValue.objects.get(indicator__code="afstand-huisarts", region__code="GM0114", dataset__version=2)
    old = IndicatorValue.objects.get(indicator__code="afstand-huisarts", region__code="GM0114", dataset__version=1)
    assert str(new.value.normalize()) == "9.9"
    assert str(old.value.normalize()) == old_distance  # the old version stays queryable


@pytest.mark.django_db
def test_it_shows_the_changes_in_a_dry_run_and_writes_nothing():
    emmen_row = next(line for line in kwb_bytes().decode().splitlines() if line.startswith("GM0114,"))
    fields = emmen_row.split(",")
    fields[26] = "9.9"
    before = snapshot_counts()
    result = importers.import_source(KWB, kwb_bytes((emmen_row, ",".join(fields))), filename="kwb.csv", dry_run=True)
    assert result.status == "would_change"
    assert result.changed == 1
    assert [(c.region, c.indicator, str(c.new)) for c in result.examples] == [("GM0114", "afstand-huisarts", "9.9")]
    assert snapshot_counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("replace", "line", "fragment"),
    [
        (("GM0034,Almere,222825", "GM9999,Almere,222825"), 3, 'onbekende gemeente "GM9999"'),
        (("GM0034,Almere,222825", "GM0034,Almere,-222825"), 3, "negatieve waarde"),
        (("GM0034,Almere,222825", "GM0034,Almere,22x825"), 3, "geen geldig getal"),
        (("GM0037,Stadskanaal,32135", "GM0034,Stadskanaal,32135"), 4, "staat ook al op regel 3"),
    ],
)
def test_it_names_the_line_of_a_bad_value_and_changes_nothing(replace, line, fragment):
    before = snapshot_counts()
    with pytest.raises(importers.ImportProblem) as excinfo:
        importers.import_source(KWB, kwb_bytes(replace), filename="kwb.csv")
    assert excinfo.value.line == line
    assert fragment in str(excinfo.value)
    assert str(excinfo.value).startswith(f"kwb.csv, regel {line}:")
    assert snapshot_counts() == before


@pytest.mark.django_db
def test_it_rejects_a_percentage_above_100():
    row = next(line for line in kwb_bytes().decode().splitlines() if line.startswith("GM0037,"))
    fields = row.split(",")
    fields[13] = "140.0"  # pct_huishoudens_laagste40pct_inkomen
    with pytest.raises(importers.ImportProblem, match="groter dan 100"):
        importers.import_source(KWB, kwb_bytes((row, ",".join(fields))), filename="kwb.csv")


@pytest.mark.django_db
def test_it_rejects_a_file_without_a_mapped_column():
    text = kwb_bytes().decode().replace("afstand_huisartsenpraktijk_km", "afstand_huisarts", 1)
    with pytest.raises(importers.ImportProblem, match='"afstand_huisartsenpraktijk_km" ontbreekt') as excinfo:
        importers.import_source(KWB, text.encode(), filename="kwb.csv")
    assert excinfo.value.line == 1


@pytest.mark.django_db
def test_it_rejects_an_empty_file():
    with pytest.raises(importers.ImportProblem, match="leeg"):
        importers.import_source(KWB, b"", filename="kwb.csv")


@pytest.mark.django_db
def test_it_reads_a_statline_export_with_names_and_symbols():
    source = {
        "key": "test-statline",
        "title": "Test",
        "format": "statline",
        "region_column": "Regio's",
        "period_column": "Perioden",
        "only_municipalities": True,
        "columns": {"Inwoners (aantal)": "inwoners"},
    }
    data = (
        '\ufeff"Perioden";"Regio\'s";"Inwoners (aantal)"\r\n'
        '"2030*";"Nederland";18000000\r\n'
        '"2030*";"Groningen (gemeente)";250000\r\n'
        '"2030*";"Aa en Hunze";.\r\n'
        '"2030*";"Emmen";x\r\n'
        '"2030*";"Pekela";-\r\n'
    ).encode()
    result = importers.import_source(source, data, filename="statline.csv")
    assert result.skipped_regions == ["Nederland"]
    values = {
        v.region.code: (v.value, v.provisional)
        for v in IndicatorValue.objects.filter(dataset__source_key="test-statline").select_related("region")
    }
    # '.' and 'x' are missing and secret: no value at all; '-' is zero.
    assert values == {"GM0014": (250000, True), "GM0765": (0, True)}


@pytest.mark.django_db
def test_the_command_names_file_and_line(tmp_path):
    mapping = yaml.safe_load((DATA / "indicator_mapping.yaml").read_text())
    bad = tmp_path / "kwb.csv"
    bad.write_bytes(kwb_bytes(("GM0034,Almere,222825", "GM0034,Almere,abc")))
    for source in mapping["sources"]:
        if source["key"] == "cbs-85618-kwb-2023":
            source["file"] = str(bad)
    mapping_file = tmp_path / "mapping.yaml"
    mapping_file.write_text(yaml.safe_dump(mapping, allow_unicode=True))
    before = snapshot_counts()
    with pytest.raises(CommandError, match=r"kwb\.csv, regel 3: .*abc"):
        call_command("import_indicators", mapping=mapping_file, verbosity=0)
    assert snapshot_counts() == before


@pytest.mark.django_db
def test_the_region_import_rejects_a_negative_population_and_changes_nothing(tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(DATA, data_dir, ignore=shutil.ignore_patterns("cbs", "bw"))
    path = data_dir / "gemeenten.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",238147,", ",-238147,", 1), encoding="utf-8")
    before = list(Region.objects.order_by("code").values_list("code", "name"))
    with pytest.raises(importers.ImportProblem, match="regel 2: inwonertal -238147 is negatief"):
        importers.import_regions(data_dir)
    assert list(Region.objects.order_by("code").values_list("code", "name")) == before


@pytest.mark.django_db
def test_the_region_import_rejects_an_unknown_corop_code(tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(DATA, data_dir, ignore=shutil.ignore_patterns("cbs", "bw"))
    path = data_dir / "gemeenten.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("GM0034,Almere,CR40", "GM0034,Almere,CR99", 1))
    with pytest.raises(importers.ImportProblem, match='regel 3: onbekend COROP-gebied "CR99"'):
        importers.import_regions(data_dir)


@pytest.mark.django_db
def test_the_region_import_rejects_a_boundary_for_an_unknown_region(tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(DATA, data_dir, ignore=shutil.ignore_patterns("cbs", "bw"))
    path = data_dir / "geo" / "provincie_2023.geojson"
    path.write_text(path.read_text(encoding="utf-8").replace('"PV20"', '"PV99"', 1))
    with pytest.raises(importers.ImportProblem, match="provincie_2023.geojson: object 1: onbekende regiocode 'PV99'"):
        importers.import_regions(data_dir)


# --- GGD regions ---------------------------------------------------------------------------


def region_files(tmp_path) -> Path:
    data_dir = tmp_path / "data"
    shutil.copytree(DATA, data_dir, ignore=shutil.ignore_patterns("cbs", "bw"))
    return data_dir


def edit_membership(data_dir: Path, old: str, new: str) -> None:
    path = data_dir / "ggd" / "ggd_regios_gemeenten.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.django_db
def test_it_puts_every_municipality_in_exactly_one_ggd_region():
    ggd_regions = Region.objects.filter(kind=Region.Kind.GGD)
    assert ggd_regions.count() == 25
    assert all(code.startswith("GG") for code in ggd_regions.values_list("code", flat=True))
    assert not ggd_regions.filter(boundary__isnull=False).exists()
    members = list(
        RegionMunicipality.objects.filter(region__kind=Region.Kind.GGD).values_list("municipality__code", flat=True)
    )
    assert len(members) == len(set(members)) == 342
    groningen = Region.objects.get(code="GG0111")
    assert groningen.name == "GGD Groningen"
    assert "GM0014" in groningen.municipalities.values_list("code", flat=True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "GM0034,GG2209,GGD Flevoland\n",
            "GM0034,GG2209,GGD Flevoland\nGM0034,GG0111,GGD Groningen\n",
            'regel 4: kolom "gemeente_code": GM0034 staat ook al op regel 3 (een gemeente hoort bij precies één',
        ),
        ("GM0034,GG2209,GGD Flevoland\n", "", ": geen GGD-regio voor GM0034"),
        ("GM0034,GG2209,", "GM9999,GG2209,", 'regel 3: kolom "gemeente_code": onbekende gemeente "GM9999"'),
        ("GM0034,GG2209,", "GM0034,GG22,", 'regel 3: kolom "ggd_code": "GG22" is geen geldige CBS-code (GG…)'),
        (
            "GM0034,GG2209,GGD Flevoland",
            "GM0034,GG2209,GGD Almere",
            'regel 6: kolom "ggd_naam": GG2209 heet hier "GGD Flevoland", op regel 3 "GGD Almere"',
        ),
    ],
)
def test_the_region_import_refuses_a_bad_ggd_membership_and_changes_nothing(tmp_path, old, new, message):
    data_dir = region_files(tmp_path)
    edit_membership(data_dir, old, new)
    before = list(RegionMunicipality.objects.order_by("pk").values_list("region_id", "municipality_id"))
    with pytest.raises(importers.ImportProblem) as excinfo:
        importers.import_regions(data_dir)
    assert str(excinfo.value).startswith(str(data_dir / "ggd" / "ggd_regios_gemeenten.csv"))
    assert message in str(excinfo.value)
    assert list(RegionMunicipality.objects.order_by("pk").values_list("region_id", "municipality_id")) == before


@pytest.mark.django_db
def test_the_region_import_moves_a_municipality_to_another_ggd_region(tmp_path):
    data_dir = region_files(tmp_path)
    edit_membership(data_dir, "GM0034,GG2209,GGD Flevoland", "GM0034,GG0111,GGD Groningen")
    importers.import_regions(data_dir)
    almere = Region.objects.get(code="GM0034")
    assert list(almere.containing_regions.filter(kind=Region.Kind.GGD).values_list("code", flat=True)) == ["GG0111"]


@pytest.mark.django_db
def test_it_stores_ggd_level_values_on_the_ggd_regions_and_skips_the_country():
    source = next(
        s for s in importers.load_mapping()["sources"] if s["key"] == "ggd-gezondheidsmonitor-volwassenen-2022"
    )
    text = (DATA / "ggd" / "gezondheidsmonitor_volwassenen_2022_ggd.csv").read_text(encoding="utf-8")
    text = text.replace("GG0111,GGD Groningen,69.1,", "GG0111,GGD Groningen,69.2,", 1)
    result = importers.import_source(source, text.encode(), filename="volwassenen.csv")
    assert (result.status, result.version, result.changed, result.skipped_regions) == ("new_version", 2, 1, ["NL01"])
    values = IndicatorValue.objects.filter(dataset__source_key=source["key"], dataset__version=2)
    assert values.count() == 25 * 8
    assert set(values.values_list("region__kind", flat=True)) == {Region.Kind.GGD}
    assert (
        str(values.get(indicator__code="ervaren-gezondheid-18plus", region__code="GG0111").value.normalize()) == "69.2"
    )


# --- the mapping file ----------------------------------------------------------------------------


def mapping_with(tmp_path, change) -> Path:
    mapping = yaml.safe_load((DATA / "indicator_mapping.yaml").read_text())
    change(mapping)
    path = tmp_path / "mapping.yaml"
    path.write_text(yaml.safe_dump(mapping, allow_unicode=True))
    return path


def indicator(mapping: dict, code: str) -> dict:
    return next(item for item in mapping["indicators"] if item["code"] == code)


def source(mapping: dict, key: str) -> dict:
    return next(item for item in mapping["sources"] if item["key"] == key)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: indicator(m, "hbo-wo-pct").update(judged_in=["profiel-v3"]), "indicator hbo-wo-pct: judged_in"),
        (lambda m: indicator(m, "inwoners").update(judged_in=["profiel-v2"]), "alleen een indicator met een richting"),
        (lambda m: indicator(m, "inwoners").update(trend="up"), "indicator inwoners: trend moet higher of lower zijn"),
        (lambda m: indicator(m, "hbo-wo-pct").update(direction_basis="guess"), "direction_basis moet cbs of inferred"),
        (lambda m: indicator(m, "hbo-wo-pct").update(range=[100, 0]), "de kleinste waarde moet kleiner zijn"),
        (lambda m: indicator(m, "hbo-wo-pct").update(range=[0]), "range moet twee getallen zijn"),
        (lambda m: indicator(m, "hbo-wo-pct").update(range=["0", "100"]), "range moet twee getallen zijn"),
        (lambda m: source(m, "cbs-85618-kwb-2023").update(level="corop"), "bron cbs-85618-kwb-2023: level moet"),
        (
            lambda m: source(m, "cbs-85525-onderwijsniveau-2023")["columns"].update(x="inwoners-kwb"),
            "indicator inwoners-kwb wordt gevuld door twee bronnen",
        ),
    ],
)
def test_the_mapping_is_checked(tmp_path, change, message):
    with pytest.raises(importers.ImportProblem, match=message):
        importers.load_mapping(mapping_with(tmp_path, change))


@pytest.mark.django_db
def test_the_direction_basis_is_stored_as_a_sentence_in_both_languages():
    indicator = Indicator.objects.get(code="brengdelicten-per-1000")
    assert indicator.source_note.startswith(importers.DIRECTION_BASIS_NL["inferred"])
    assert indicator.source_note_en.startswith(importers.DIRECTION_BASIS_EN["inferred"])
    # Never the mapping's key as it is ("Richting: inferred.").
    assert ": inferred" not in indicator.source_note + indicator.source_note_en


@pytest.mark.django_db
def test_the_catalogue_takes_level_age_group_source_and_judgement_from_the_mapping():
    fields = {
        i.code: (i.level, i.judged_in, i.age_group, i.source_key)
        for i in Indicator.objects.filter(
            code__in=["jv-schulden", "wmo-per-1000", "brengdelicten-per-1000", "levensverwachting-65", "inwoners"]
        )
    }
    assert fields == {
        "jv-schulden": ("municipality", ["profiel-v1", "profiel-v2"], "16-25", "cbs-50140-gezondheidsmonitor-jv-2024"),
        "wmo-per-1000": ("municipality", ["profiel-v1"], "", "cbs-85618-kwb-2023"),
        # A ratio of sums takes its numerator's source.
        "brengdelicten-per-1000": ("municipality", ["profiel-v2"], "", "nscr-brengdelicten-2023"),
        "levensverwachting-65": ("ggd", [], "", "rivm-levensverwachting-ggd-2019-2022"),
        "inwoners": ("municipality", [], "", "cbs-37259-bevolking"),
    }
    population = Indicator.objects.get(code="inwoners")
    assert population.trend_direction == "higher"
    assert (population.min_value, population.max_value) == (None, None)
    distance = Indicator.objects.get(code="afstand-kinderdagverblijf")
    assert (distance.min_value, distance.max_value) == (0, 50)


@pytest.mark.django_db
def test_every_judged_indicator_has_a_range():
    judged = Indicator.objects.exclude(judged_in=[])
    assert judged.count() >= 24
    assert not judged.filter(min_value__isnull=True).exists()
    assert not judged.filter(max_value__isnull=True).exists()
