"""Importers: good files, bad files (named line, nothing changed), idempotence."""

import shutil
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from regions import importers
from regions.models import Dataset, IndicatorValue, Region

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
    assert Region.objects.count() == 1 + 12 + 40 + 342


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
