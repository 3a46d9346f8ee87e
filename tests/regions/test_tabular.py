"""Tests for regions.tabular (pure Python, no Django needed)."""

import pickle
from decimal import Decimal
from pathlib import Path

import pytest

from regions.tabular import Cell, TableFormatError, read_plain_csv, read_statline_csv

FIXTURES = Path(__file__).parent / "fixtures"

MISSING = Cell(None, "missing")
SECRET = Cell(None, "secret")

STATLINE_HEADER = '"Perioden";"Regio\'s";"Inwoners (aantal)";"Jongeren (%)"\n'
PLAIN_HEADER = "region_code,inwoners,jongeren\n"


def statline(*lines: str) -> bytes:
    return (STATLINE_HEADER + "".join(lines)).encode("utf-8")


def plain(*lines: str) -> bytes:
    return (PLAIN_HEADER + "".join(lines)).encode("utf-8")


def statline_error(data: bytes | str, **kwargs) -> TableFormatError:
    with pytest.raises(TableFormatError) as info:
        read_statline_csv(data, filename="kerncijfers.csv", **kwargs)
    return info.value


def plain_error(data: bytes | str, **kwargs) -> TableFormatError:
    with pytest.raises(TableFormatError) as info:
        read_plain_csv(data, filename="data.csv", **kwargs)
    return info.value


def test_it_reads_a_statline_export():
    data = "\ufeff" + (
        '"Perioden";"Regio\'s";"Inwoners (aantal)";"Jongeren (%)";"Inkomen (x 1 000 euro)"\r\n'
        '"2024*";"Aa en Hunze";25935;4,8;-\r\n'
        '"2024*";"Nuenen, Gerwen en Nederwetten";  23617 ;.;x\r\n'
        '" 2023 ";" GM0014 ";-4,5;;12\r\n'
        "\r\n"
        '"Bron: CBS"\r\n'
    )
    table = read_statline_csv(data.encode("utf-8"), filename="kerncijfers.csv")

    assert table.filename == "kerncijfers.csv"
    assert table.columns == [
        "Inwoners (aantal)",
        "Jongeren (%)",
        "Inkomen (x 1 000 euro)",
    ]
    assert [row.line for row in table.rows] == [2, 3, 4]
    first, second, third = table.rows
    assert (first.region, first.period, first.year, first.provisional) == (
        "Aa en Hunze",
        "2024",
        2024,
        True,
    )
    assert first.cells == {
        "Inwoners (aantal)": Cell(Decimal(25935), ""),
        "Jongeren (%)": Cell(Decimal("4.8"), ""),
        "Inkomen (x 1 000 euro)": Cell(Decimal(0), ""),
    }
    assert second.region == "Nuenen, Gerwen en Nederwetten"
    assert second.cells["Inwoners (aantal)"] == Cell(Decimal(23617), "")
    assert second.cells["Jongeren (%)"] == MISSING
    assert second.cells["Inkomen (x 1 000 euro)"] == SECRET
    assert (third.region, third.period, third.year, third.provisional) == (
        "GM0014",
        "2023",
        2023,
        False,
    )
    assert third.cells["Inwoners (aantal)"] == Cell(Decimal("-4.5"), "")
    assert third.cells["Jongeren (%)"] == MISSING


def test_it_reads_a_plain_csv():
    data = '\ufeffregion_code , inwoners,jongeren\nGM0014,25935,4.8\n"PV20",-4.5,\n'
    table = read_plain_csv(data.encode("utf-8"), filename="data.csv")

    assert table.columns == ["inwoners", "jongeren"]
    assert [(row.line, row.region, row.period, row.year, row.provisional) for row in table.rows] == [
        (2, "GM0014", None, None, False),
        (3, "PV20", None, None, False),
    ]
    assert table.rows[0].cells == {
        "inwoners": Cell(Decimal(25935), ""),
        "jongeren": Cell(Decimal("4.8"), ""),
    }
    assert table.rows[1].cells == {
        "inwoners": Cell(Decimal("-4.5"), ""),
        "jongeren": MISSING,
    }


def test_it_reads_a_plain_csv_with_a_period_column():
    data = "jaar,regio,waarde\n2024JJ00,GM0014,1\n2024KW01,GM0014,2\nQ1,GM0014,3\n"
    table = read_plain_csv(data, filename="data.csv", region_column="regio", period_column="jaar")

    assert table.columns == ["waarde"]
    assert [(row.period, row.year) for row in table.rows] == [
        ("2024JJ00", 2024),
        ("2024KW01", 2024),
        ("Q1", None),
    ]


def test_it_parses_the_real_statline_sample():
    data = (FIXTURES / "statline_70072NED_sample.csv").read_bytes()
    table = read_statline_csv(data, filename="70072NED.csv")

    assert len(table.columns) == 61
    assert [(row.line, row.region, row.year) for row in table.rows] == [
        (2, "Nederland", 2025),
        (3, "Aa en Hunze", 2025),
        (4, "Aalburg", 2025),
    ]
    aa_en_hunze = table.rows[1].cells
    population = "Bevolking/Bevolkingssamenstelling op 1 januari/Totale bevolking (aantal)"
    under_5 = "Bevolking/Bevolkingssamenstelling op 1 januari/Leeftijd/Leeftijdsgroepen, relatief/Jonger dan 5 jaar (%)"
    assert aa_en_hunze[population] == Cell(Decimal(25935), "")
    assert aa_en_hunze[under_5] == Cell(Decimal("3.9"), "")
    assert Cell(Decimal("2.21"), "") in aa_en_hunze.values()
    # Aalburg no longer exists as a municipality: every value is empty.
    assert set(table.rows[2].cells.values()) == {MISSING}


def test_it_falls_back_to_cp1252():
    data = (STATLINE_HEADER + '"2024";"Fryslân";651435;5,1\n').encode("cp1252")
    table = read_statline_csv(data, filename="kerncijfers.csv")

    assert table.rows[0].region == "Fryslân"


def test_it_accepts_text_input_with_a_bom():
    table = read_plain_csv("\ufeff" + PLAIN_HEADER + "GM0014,1,2\n", filename="data.csv")

    assert table.rows[0].region == "GM0014"


def test_it_counts_lines_across_quoted_newlines():
    data = statline(
        '"2024";"Aa en\nHunze";1;2\n',
        '"2024";"Assen";3;4\n',
        '"2024";"Borger-Odoorn";5;oops\n',
    )
    error = statline_error(data)

    assert (error.line, error.code) == (5, "bad_number")
    table = read_statline_csv(data.replace(b"oops", b"6"), filename="kerncijfers.csv")
    assert [(row.line, row.region) for row in table.rows] == [
        (2, "Aa en\nHunze"),
        (4, "Assen"),
        (5, "Borger-Odoorn"),
    ]


def test_it_keeps_a_short_region_row_that_looks_like_a_footer():
    data = '"Regio\'s";"Inwoners"\n"Bronckhorst";\n'
    table = read_statline_csv(data, filename="kerncijfers.csv", period_column=None)

    assert [(row.region, row.period, row.cells) for row in table.rows] == [("Bronckhorst", None, {"Inwoners": MISSING})]


def test_it_formats_the_error_message():
    with_line = TableFormatError("a.csv", "kapot", line=3, column="x", code="bad_number")
    without_line = TableFormatError("a.csv", "leeg")

    assert str(with_line) == "a.csv, regel 3: kapot"
    assert str(without_line) == "a.csv: leeg"
    assert (without_line.line, without_line.column, without_line.code) == (
        None,
        None,
        "invalid",
    )
    copy = pickle.loads(pickle.dumps(with_line))
    assert (str(copy), copy.line, copy.column, copy.code) == (
        "a.csv, regel 3: kapot",
        3,
        "x",
        "bad_number",
    )


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\n\r\n  \n", b";;;\n"])
def test_it_rejects_an_empty_file(data):
    error = statline_error(data)

    assert (error.code, error.line) == ("empty", None)
    assert str(error) == "kerncijfers.csv: het bestand is leeg"


def test_it_rejects_a_file_with_only_a_header():
    error = statline_error(statline("\n", '"Bron: CBS"\n'))

    assert (error.code, error.line) == ("empty", None)


def test_it_rejects_a_duplicate_column():
    error = plain_error("region_code,a, a \nGM0014,1,2\n")

    assert (error.code, error.line, error.column) == ("duplicate_column", 1, "a")
    assert str(error) == 'data.csv, regel 1: kolom "a" komt meer dan eens voor in de kopregel'


def test_it_rejects_a_column_without_a_name():
    error = plain_error("region_code,a,\nGM0014,1,2\n")

    assert (error.code, error.line) == ("bad_header", 1)


@pytest.mark.parametrize(
    ("kwargs", "missing"),
    [({"region_column": "Gemeente"}, "Gemeente"), ({"period_column": "Jaar"}, "Jaar")],
)
def test_it_rejects_a_missing_region_or_period_column(kwargs, missing):
    error = statline_error(statline('"2024";"Assen";1;2\n'), **kwargs)

    assert (error.code, error.line, error.column) == ("missing_column", 1, missing)
    assert f'kolom "{missing}" ontbreekt' in str(error)


def test_it_rejects_a_wrong_number_of_fields():
    error = statline_error(statline('"2024";"Assen";1;2\n', '"2024";"Emmen";1\n'))

    assert (error.code, error.line) == ("field_count", 3)
    assert str(error) == "kerncijfers.csv, regel 3: verwacht 4 velden, gevonden 3"


def test_it_rejects_a_footer_that_is_not_a_source_note():
    error = statline_error(statline('"2024";"Assen";1;2\n', '"Let op: voorlopig"\n'))

    assert (error.code, error.line) == ("field_count", 3)


@pytest.mark.parametrize(
    "text",
    [
        "1.234",
        "1.234,5",
        "12.3",
        "1e3",
        "NaN",
        "inf",
        "+5",
        ",5",
        "5,",
        "--",
        "X",
        "1 234",
        "١٢",
    ],
)
def test_it_rejects_a_bad_statline_number(text):
    error = statline_error(statline('"2024";"Assen";1;2\n', f'"2024";"Emmen";1;"{text}"\n'))

    assert (error.code, error.line, error.column) == ("bad_number", 3, "Jongeren (%)")
    assert f'kolom "Jongeren (%)": "{text}" is geen geldig getal' in str(error)


@pytest.mark.parametrize("text", ["x", ".", "-", "12,3", "1,234.5", "1e3", "NaN", "-inf", "+5", ".5"])
def test_it_rejects_a_bad_plain_number(text):
    error = plain_error(plain(f'GM0014,1,"{text}"\n'))

    assert (error.code, error.line, error.column) == ("bad_number", 2, "jongeren")
    assert error.message.startswith(f'kolom "jongeren": "{text}" is geen geldig getal')


def test_it_rejects_an_empty_region():
    error = statline_error(statline('"2024";"Assen";1;2\n', '"2024";" ";1;2\n'))

    assert (error.code, error.line, error.column) == ("missing_region", 3, "Regio's")


def test_it_rejects_an_empty_period():
    error = statline_error(statline('"2024";"Assen";1;2\n', '"*";"Emmen";1;2\n'))

    assert (error.code, error.line, error.column) == ("missing_period", 3, "Perioden")


def test_it_rejects_a_duplicate_row_even_if_one_is_provisional():
    error = statline_error(statline('"2024";"Assen";1;2\n', '"2023";"Assen";1;2\n', '"2024*";"Assen";1;2\n'))

    assert (error.code, error.line) == ("duplicate_row", 4)
    assert str(error) == 'kerncijfers.csv, regel 4: regio "Assen" met periode "2024" staat ook al op regel 2'


def test_it_rejects_a_duplicate_row_without_period():
    error = plain_error(plain("GM0014,1,2\n", "GM0034,1,2\n", "GM0014,3,4\n"))

    assert (error.code, error.line) == ("duplicate_row", 4)
    assert 'regio "GM0014" staat ook al op regel 2' in str(error)


def test_it_rejects_broken_quoting():
    error = statline_error(statline('"2024";"Assen";1;2\n', '"2024";"Emmen"x;1;2\n'))

    assert (error.code, error.line) == ("bad_csv", 3)


def test_it_rejects_an_unclosed_quote_at_its_starting_line():
    error = statline_error(statline('"2024";"Assen";1;2\n', '"2024";"Emmen;1;2\n', '"2024";"Ede";1;2\n'))

    assert (error.code, error.line) == ("bad_csv", 3)


def test_it_rejects_plain_csv_that_is_not_utf8():
    error = plain_error(plain("GM0014,1,2\n", "GM0080,1,2\n").replace(b"GM0080", "Fryslân".encode("cp1252")))

    assert (error.code, error.line) == ("encoding", 3)


def test_it_rejects_statline_bytes_that_are_neither_utf8_nor_cp1252():
    error = statline_error(statline('"2024";"Assen";1;2\n') + b'"2024";"\x81";1;2\n')

    assert (error.code, error.line) == ("encoding", 3)


def test_it_reads_only_the_requested_value_columns():
    data = "code,naam,inwoners\nGM0014,Groningen,238147\n"
    table = read_plain_csv(data, filename="f.csv", region_column="code", value_columns=["inwoners"])
    assert table.columns == ["inwoners"]
    assert table.rows[0].cells["inwoners"].value == Decimal("238147")


def test_it_names_a_missing_value_column():
    data = "code,inwoners\nGM0014,238147\n"
    with pytest.raises(TableFormatError) as excinfo:
        read_plain_csv(data, filename="f.csv", region_column="code", value_columns=["huishoudens"])
    assert excinfo.value.code == "missing_column"
    assert excinfo.value.line == 1
