"""A bad new data file names file, line and column, imports nothing, and the profile stays on the previous version.

The cases of issue 13: a region code that does not exist, a duplicate row, a
value out of the indicator's range, and a unit change against the previous
version of the same source. Each with a small hand-made file; the previous
version is the real import every test database starts with (tests/conftest.py).
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from regions import importers, selectors
from regions.models import Dataset, ImportJob, IndicatorValue
from tests.factories import make_user

MAPPING = importers.load_mapping()
SOURCES = {source["key"]: source for source in MAPPING["sources"]}
CRIME = SOURCES["nscr-brengdelicten-2023"]
EDUCATION = SOURCES["cbs-85525-onderwijsniveau-2023"]
ADULT_HEALTH = SOURCES["ggd-gezondheidsmonitor-volwassenen-2022"]
LIFE_EXPECTANCY = SOURCES["rivm-levensverwachting-ggd-2019-2022"]
KWB = SOURCES["cbs-85618-kwb-2023"]
KWB_FILE = Path(settings.BASE_DIR) / "regions" / "data" / "cbs" / "kwb2023_gemeenten.csv"

CRIME_HEADER = (
    "gemeente_code,gemeente_naam,brengdelicten_geregistreerd_2023_aantal,bevolking_buurten_2024_01_01_aantal,"
    "brengdelicten_per_1000_inwoners_afgeleid,buurten_aantal,gini_misdaadconcentratie_buurten\n"
)
EDUCATION_HEADER = "gemeente_code,gemeente_naam,pct_hbo_wo_hoogstbehaald_15_75jr_2023\n"
ADULT_HEADER = (
    "ggd_code,ggd_naam,pct_ervaren_gezondheid_goed_zeergoed_18plus,pct_psychische_klachten_mhi5_le60_18plus,"
    "pct_een_of_meer_langdurige_aandoeningen_18plus,pct_voldoet_aan_beweegrichtlijn_18plus,"
    "pct_wekelijkse_sporters_18plus,pct_rokers_18plus,pct_voldoet_aan_alcoholrichtlijn_18plus,"
    "pct_overmatige_drinkers_18plus\n"
)
LIFE_HEADER = "ggd_code,ggd_naam,levensverwachting_bij_geboorte_totaal_jaren,levensverwachting_op_65_totaal_jaren\n"


def state() -> tuple:
    """What a refused import must leave as it was: the versions, the values, the profile's datasets."""
    selectors.forget_current_datasets()
    current = sorted((d.source_key, d.version) for d in selectors.current_datasets())
    return Dataset.objects.count(), IndicatorValue.objects.count(), current


def refused(source: dict, text: str, filename: str) -> importers.ImportProblem:
    before = state()
    with pytest.raises(importers.ImportProblem) as excinfo:
        importers.import_source(source, text.encode(), filename=filename)
    assert state() == before
    return excinfo.value


# --- a region code that does not exist -------------------------------------------------------


@pytest.mark.django_db
def test_an_unknown_municipality_code_is_refused():
    problem = refused(
        CRIME,
        CRIME_HEADER + "GM0014,Groningen,12700,243790,52.1,151,0.74\nGM9999,Nergenshuizen,10,1000,10.0,1,0.5\n",
        "misdrijven.csv",
    )
    assert str(problem) == 'misdrijven.csv, regel 3: kolom "gemeente_code": onbekende gemeente "GM9999"'
    assert (problem.line, problem.column) == (3, "gemeente_code")


@pytest.mark.django_db
def test_an_unknown_ggd_code_is_refused():
    problem = refused(
        ADULT_HEALTH,
        ADULT_HEADER
        + "NL01,Nederland,70,21.5,33,47.5,53.6,16.6,42.5,7.1\n"
        + "GG0111,GGD Groningen,69.1,21.9,34.3,50.4,50.7,19.3,42,7.6\n"
        + "GG9999,GGD Nergens,69.1,21.9,34.3,50.4,50.7,19.3,42,7.6\n",
        "volwassenen.csv",
    )
    assert str(problem) == 'volwassenen.csv, regel 4: kolom "ggd_code": onbekende GGD-regio "GG9999"'


# --- a duplicate row -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_duplicate_row_is_refused():
    problem = refused(
        CRIME,
        CRIME_HEADER + "GM0014,Groningen,12700,243790,52.1,151,0.74\nGM0014,Groningen,12701,243790,52.1,151,0.74\n",
        "misdrijven.csv",
    )
    assert str(problem) == 'misdrijven.csv, regel 3: kolom "gemeente_code": regio "GM0014" staat ook al op regel 2'
    assert problem.column == "gemeente_code"


@pytest.mark.django_db
def test_a_region_named_once_by_code_and_once_by_name_is_a_duplicate_too():
    problem = refused(
        EDUCATION, EDUCATION_HEADER + "GM0014,Groningen,44.8\nGroningen,Groningen,44.8\n", "onderwijs.csv"
    )
    assert str(problem) == (
        'onderwijs.csv, regel 3: kolom "gemeente_code": regio "Groningen" (GM0014, 2023) staat ook al op regel 2'
    )


# --- a value out of the indicator's range ------------------------------------------------------


@pytest.mark.django_db
def test_a_value_out_of_range_is_refused():
    problem = refused(
        LIFE_EXPECTANCY, LIFE_HEADER + "GG0111,GGD Groningen,80.9,19.4\nGG0706,GGD Drenthe,811,19.8\n", "lv.csv"
    )
    assert str(problem) == (
        'lv.csv, regel 3: kolom "levensverwachting_bij_geboorte_totaal_jaren": waarde 811 ligt buiten het bereik'
        " 50 tot 100 van Levensverwachting bij geboorte (jaren)"
    )
    assert problem.column == "levensverwachting_bij_geboorte_totaal_jaren"


@pytest.mark.django_db
def test_a_distance_out_of_range_in_the_real_file_is_refused():
    text = KWB_FILE.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("GM0037,"))
    fields = row.split(",")
    fields[28] = "75"  # afstand_kinderdagverblijf_km
    problem = refused(KWB, text.replace(row, ",".join(fields)), "kwb.csv")
    assert str(problem) == (
        'kwb.csv, regel 4: kolom "afstand_kinderdagverblijf_km": waarde 75 ligt buiten het bereik 0 tot 50'
        " van Gemiddelde afstand tot kinderdagverblijf (km)"
    )


# --- a unit change against the previous version --------------------------------------------------


@pytest.mark.django_db
def test_fractions_instead_of_percentages_are_refused():
    # Version 1 holds 44.8, 30.8 and 17.4 for these three.
    problem = refused(
        EDUCATION,
        EDUCATION_HEADER + "GM0014,Groningen,0.448\nGM0034,Almere,0.308\nGM0037,Stadskanaal,0.174\n",
        "onderwijs.csv",
    )
    assert str(problem) == (
        'onderwijs.csv, regel 2: kolom "pct_hbo_wo_hoogstbehaald_15_75jr_2023": eenheid veranderd? waarden van'
        " Inwoners met hbo of wo als hoogst behaalde opleiding zijn ongeveer 100 keer zo klein als in versie 1"
        " van cbs-85525-onderwijsniveau-2023"
    )
    assert problem.column == "pct_hbo_wo_hoogstbehaald_15_75jr_2023"


@pytest.mark.django_db
def test_a_unit_change_names_the_first_row_that_moved():
    # Groningen as in version 1; Almere and Stadskanaal counted in another unit (x 1000).
    problem = refused(
        CRIME,
        CRIME_HEADER
        + "GM0014,Groningen,12700,243790,52.1,151,0.74\n"
        + "GM0034,Almere,6945000,226425,30.7,238,0.56\n"
        + "GM0037,Stadskanaal,749000,32035,23.4,27,0.56\n",
        "misdrijven.csv",
    )
    assert str(problem) == (
        'misdrijven.csv, regel 3: kolom "brengdelicten_geregistreerd_2023_aantal": eenheid veranderd? waarden van'
        " Geregistreerde brengdelicten zijn ongeveer 1000 keer zo groot als in versie 1 van nscr-brengdelicten-2023"
    )


@pytest.mark.django_db
def test_one_large_change_is_not_a_unit_change():
    text = CRIME_HEADER + (
        "GM0014,Groningen,127000,243790,52.1,151,0.74\n"  # ten times version 1
        "GM0034,Almere,6945,226425,30.7,238,0.56\n"
        "GM0037,Stadskanaal,749,32035,23.4,27,0.56\n"
    )
    result = importers.import_source(CRIME, text.encode(), filename="misdrijven.csv", dry_run=True)
    assert result.status == "would_change"
    assert result.changed == 1


# --- through the data steward's upload page ----------------------------------------------------------


@pytest.mark.django_db
def test_the_upload_page_shows_the_problem_and_queues_nothing(client):
    client.force_login(make_user("steward", role="data_steward"))
    before = state()
    fractions = EDUCATION_HEADER + "GM0014,Groningen,0.448\nGM0034,Almere,0.308\n"
    response = client.post(
        "/regios/importeren/",
        {"source": EDUCATION["key"], "file": SimpleUploadedFile("onderwijs.csv", fractions.encode())},
    )
    assert response.status_code == 200
    (error,) = response.context["form"].errors["file"]
    assert error.startswith('onderwijs.csv, regel 2: kolom "pct_hbo_wo_hoogstbehaald_15_75jr_2023": eenheid veranderd?')
    assert "100 keer zo klein als in versie 1" in response.content.decode()
    assert response.context["token"] is None
    assert ImportJob.objects.count() == 0
    assert state() == before


# --- values the database cannot hold, periods that are no year (issue 15) --------------------------------

POPULATION = SOURCES["cbs-37259-bevolking"]
POPULATION_HEADER = (
    "region_code,region_name,year,population_1jan,population_density_per_km2,live_births,deaths,"
    "population_growth,population_31dec\n"
)


@pytest.mark.django_db
def test_a_value_too_large_for_the_database_is_refused_by_the_dry_run():
    # 10^400: a plain decimal (no exponent), so the reader takes it; the database column holds 14 digits
    # before the point. It used to pass the dry run and then fail the import itself.
    huge = "1" + "0" * 400
    text = CRIME_HEADER + f"GM0014,Groningen,12700,243790,52.1,151,0.74\nGM0034,Almere,{huge},226425,30.7,238,0.56\n"
    for dry_run in (True, False):
        before = state()
        with pytest.raises(importers.ImportProblem) as excinfo:
            importers.import_source(CRIME, text.encode(), filename="misdrijven.csv", dry_run=dry_run)
        assert state() == before
        assert str(excinfo.value) == (
            'misdrijven.csv, regel 3: kolom "brengdelicten_geregistreerd_2023_aantal": waarde met 401 cijfers'
            " is te groot: hoogstens 14 cijfers voor de komma"
        )


@pytest.mark.django_db
def test_the_largest_value_the_database_holds_is_taken_and_one_more_is_not():
    def dry_run(value: str):
        text = EDUCATION_HEADER.replace("pct_hbo_wo_hoogstbehaald_15_75jr_2023", "x") + f"GM0014,Groningen,{value}\n"
        source = {**EDUCATION, "columns": {"x": "bijstand-personen"}}  # a count: no upper bound of its own
        return importers.import_source(source, text.encode(), filename="x.csv", dry_run=True)

    assert dry_run("99999999999999.999999").status == "would_change"
    # Rounded to the column's six decimals this is 10^14: one digit too many.
    with pytest.raises(importers.ImportProblem, match="waarde 99999999999999.9999999 is te groot"):
        dry_run("99999999999999.9999999")
    with pytest.raises(importers.ImportProblem, match=r"regel 2: .*waarde 100000000000000 is te groot"):
        dry_run("100000000000000")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("period", "problem"),
    [
        ("99999", 'periode "99999" is geen jaar'),
        ("20231", 'periode "20231" is geen jaar'),
        ("1850", 'periode "1850" ligt niet tussen 1900 en '),
        ("9999", 'periode "9999" ligt niet tussen 1900 en '),
        ("2204*", 'periode "2204" ligt niet tussen 1900 en '),
    ],
)
def test_a_period_that_is_no_sane_year_is_refused_naming_its_line(period, problem):
    text = POPULATION_HEADER + (
        "GM0014,Groningen,2022,233218,1180,2400,1900,1500,234718\n"
        f"GM0034,Almere,{period},218096,1690,2500,1300,4000,222096\n"
    )
    error = refused(POPULATION, text, "bevolking.csv")
    assert str(error).startswith(f'bevolking.csv, regel 3: kolom "year": {problem}')
    assert (error.line, error.column) == (3, "year")


@pytest.mark.django_db
def test_a_forecast_year_is_still_a_year():
    last = timezone.localdate().year + importers.FORECAST_YEARS
    text = POPULATION_HEADER + f"GM0014,Groningen,{last},233218,1180,2400,1900,1500,234718\n"
    result = importers.import_source(POPULATION, text.encode(), filename="bevolking.csv", dry_run=True)
    assert result.status == "would_change"


@pytest.mark.django_db
def test_the_upload_page_names_the_line_of_a_value_too_large(client):
    client.force_login(make_user("steward", role="data_steward"))
    text = KWB_FILE.read_text(encoding="utf-8").replace("GM0034,Almere,222825", "GM0034,Almere,1" + "0" * 400, 1)
    response = client.post(
        "/regios/importeren/", {"source": KWB["key"], "file": SimpleUploadedFile("kwb.csv", text.encode())}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        'kwb.csv, regel 3: kolom "inwoners_aantal": waarde met 401 cijfers is te groot: hoogstens 14 cijfers voor'
        " de komma"
    ]
    assert response.context["token"] is None
    assert ImportJob.objects.count() == 0
