"""docs/diagnosis.md on the real data: its worked example, and the generated validation is up to date."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from regions import validation
from regions.models import Region
from regions.profile import COROP, MUNICIPALITY, PROFILE_V1, PROFILE_V2, compute_profile
from regions.selectors import data_snapshot, region_profile

pytestmark = pytest.mark.django_db


def indicator(profile, code):
    return next(i for t in profile.themes for i in t.indicators if i.code == code and i.counts)


def test_the_worked_example_crime_in_zeeuws_vlaanderen():
    crime = indicator(region_profile(Region.objects.get(code="CR31")), "brengdelicten-per-1000")
    assert round(crime.value, 2) == 22.35 and round(crime.national_value, 2) == 34.84
    assert crime.compared_with == COROP and crime.units_compared == 40
    # 2 of the 39 other COROP areas are more favourable, none equal
    assert crime.position == pytest.approx(2 / 39) and crime.lags is False
    amsterdam = indicator(region_profile(Region.objects.get(code="CR23")), "brengdelicten-per-1000")
    assert round(amsterdam.value, 2) == 57.97 and amsterdam.position == 1 and amsterdam.lags is True


def test_the_worked_example_ties_in_the_distance_to_a_primary_school():
    snapshot = data_snapshot()

    def lagging(version):
        return sum(
            1
            for m in snapshot.municipalities
            if indicator(compute_profile([m], snapshot, kind=MUNICIPALITY, version=version), "afstand-basisschool").lags
        )

    assert (lagging(PROFILE_V1), lagging(PROFILE_V2)) == (107, 58)


def test_the_checked_in_validation_is_what_the_data_give():
    call_command("diagnosis_validation", "--check")


def test_a_stale_validation_fails_the_check(tmp_path, monkeypatch):
    stale = tmp_path / "diagnosis.md"
    stale.write_text(f"# Doc\n\n{validation.START}\nold figures\n{validation.END}\n", encoding="utf-8")
    monkeypatch.setattr(validation, "DOC", stale)
    with pytest.raises(CommandError, match="niet bijgewerkt"):
        call_command("diagnosis_validation", "--check")
    call_command("diagnosis_validation")
    text = stale.read_text(encoding="utf-8")
    assert "old figures" not in text and "### Lagging themes per region" in text and text.startswith("# Doc\n")
    call_command("diagnosis_validation", "--check")


def test_a_document_without_markers_is_refused(tmp_path, monkeypatch):
    bare = tmp_path / "diagnosis.md"
    bare.write_text("# Doc\n", encoding="utf-8")
    monkeypatch.setattr(validation, "DOC", bare)
    with pytest.raises(CommandError, match="markers"):
        call_command("diagnosis_validation")
    assert bare.read_text(encoding="utf-8") == "# Doc\n"


def test_the_validation_covers_the_reports_regions_cities_and_prosperous_regions():
    section = validation.generate()
    for name in ("Veenkoloniën", "Parkstad Limburg", "Twente", "Kop van Noord-Holland", "Zeeuws-Vlaanderen"):
        assert f"| {name} | Voorbeeldregio" in section
    for name in ("Amsterdam", "Rotterdam", "'s-Gravenhage", "Utrecht", "Het Gooi en Vechtstreek", "Groot-Amsterdam"):
        assert f"| {name} |" in section
    for version in (PROFILE_V1, PROFILE_V2):
        for cut in ("1/5", "1/4", "1/3"):
            assert f"| {version} | {cut} |" in section
