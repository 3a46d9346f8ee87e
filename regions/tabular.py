"""Read tabular indicator files into a neutral structure.

Two formats are supported; both produce a :class:`Table` of :class:`Row` objects
that the importer maps onto indicators. This module only checks that the file is
well-formed. Whether region codes exist, or values are plausible, is the
importer's job because only it knows the indicators.

CBS StatLine CSV export (:func:`read_statline_csv`)
    * separator ``;``, quote ``"``, UTF-8 (a BOM is removed); bytes that are not
      valid UTF-8 are decoded as cp1252, which older exports and Excel use;
    * decimal comma (``12,3``, ``-4,5``); a point is never accepted in a number,
      because in Dutch text ``1.234`` usually means one thousand two hundred
      and thirty-four;
    * StatLine symbols: ``.`` or empty = missing, ``x`` = secret, ``-`` = zero;
    * a period ending in ``*`` (``2024*``) is a provisional figure;
    * fully empty lines and a ``Bron...``/``Source...`` footer are skipped.

Plain CSV (:func:`read_plain_csv`)
    * separator ``,``, quote ``"``, UTF-8 (BOM allowed);
    * decimal point (``12.3``); an empty cell is missing. StatLine symbols are
      not special here, so ``x`` is an error.

Both formats
    * the first non-empty line is the header; names are stripped and must be
      unique; the region column (and the period column, when given) must exist;
    * every data line has exactly as many fields as the header;
    * whitespace around every field is ignored;
    * numbers are plain decimals only: no thousands separators, exponents,
      ``NaN`` or ``inf``;
    * each (region, period) combination occurs once.

Every problem raises :class:`TableFormatError` naming the file and the 1-based
physical line, so a data steward can find it in the file. Error codes:
``empty``, ``encoding``, ``bad_csv``, ``bad_header``, ``duplicate_column``,
``missing_column``, ``field_count``, ``missing_region``, ``missing_period``,
``duplicate_row``, ``bad_number``.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from decimal import Decimal

__all__ = [
    "Cell",
    "Row",
    "Table",
    "TableFormatError",
    "read_plain_csv",
    "read_statline_csv",
]


class TableFormatError(ValueError):
    """A problem in an input file, worded for the data steward who supplied it.

    ``str(err)`` is ``"{filename}, regel {line}: {message}"`` when the line is
    known, else ``"{filename}: {message}"``.
    """

    def __init__(
        self,
        filename: str,
        message: str,
        *,
        line: int | None = None,
        column: str | None = None,
        code: str = "invalid",
    ) -> None:
        self.filename = filename
        self.message = message
        self.line = line
        self.column = column
        self.code = code
        where = filename if line is None else f"{filename}, regel {line}"
        super().__init__(f"{where}: {message}")

    def __reduce__(self):  # type: ignore[override]
        # The keyword-only arguments would otherwise be lost when the error is
        # pickled, e.g. when it travels back from a Celery task.
        return (
            _rebuild_error,
            (self.filename, self.message, self.line, self.column, self.code),
        )


def _rebuild_error(filename: str, message: str, line: int | None, column: str | None, code: str) -> TableFormatError:
    return TableFormatError(filename, message, line=line, column=column, code=code)


@dataclass(frozen=True)
class Cell:
    """One value cell.

    ``flag`` is ``""`` for a normal value, ``"missing"`` for an empty cell (or
    StatLine ``.``) and ``"secret"`` for StatLine ``x``; ``value`` is ``None``
    for both. StatLine ``-`` means zero: ``Cell(Decimal(0), "")``.
    """

    value: Decimal | None
    flag: str


@dataclass(frozen=True)
class Row:
    """One data record.

    ``line`` is the physical line (header = 1) on which the record starts, so
    it stays right when a quoted field spans several lines.
    """

    line: int
    region: str
    period: str | None
    year: int | None
    provisional: bool
    cells: dict[str, Cell]


@dataclass(frozen=True)
class Table:
    """A parsed file; ``columns`` are the value columns in file order."""

    filename: str
    columns: list[str]
    rows: list[Row]


_MISSING = Cell(None, "missing")
_SECRET = Cell(None, "secret")
_STATLINE_SYMBOLS = {
    "": _MISSING,
    ".": _MISSING,
    "x": _SECRET,
    "-": Cell(Decimal(0), ""),
}
# re.ASCII: without it \d also matches other scripts' digits, which Decimal accepts.
_STATLINE_NUMBER = re.compile(r"-?\d+(,\d+)?", re.ASCII)
_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?", re.ASCII)
_FOOTER_PREFIXES = ("Bron", "Source")
_PERIOD_YEAR = re.compile(r"(\d{4})(?!\d)", re.ASCII)


def read_statline_csv(
    data: bytes | str,
    *,
    filename: str,
    region_column: str = "Regio's",
    period_column: str | None = "Perioden",
    value_columns: Collection[str] | None = None,
) -> Table:
    """Read a CBS StatLine CSV export (see the module docstring for the rules).

    With ``value_columns`` only those columns are read (they must exist);
    other columns, such as a name column next to the code, are ignored.
    """
    return _read_table(
        _decode(data, filename, fallback="cp1252"),
        filename,
        delimiter=";",
        region_column=region_column,
        period_column=period_column,
        parse_cell=_statline_cell,
        number_hint="12,3 of een StatLine-teken (. x -)",
        skip_footer=True,
        value_columns=value_columns,
    )


def read_plain_csv(
    data: bytes | str,
    *,
    filename: str,
    region_column: str = "region_code",
    period_column: str | None = None,
    value_columns: Collection[str] | None = None,
) -> Table:
    """Read a plain comma-separated file (see :func:`read_statline_csv`)."""
    return _read_table(
        _decode(data, filename, fallback=None),
        filename,
        delimiter=",",
        region_column=region_column,
        period_column=period_column,
        parse_cell=_plain_cell,
        number_hint="12.3 of een leeg veld",
        skip_footer=False,
        value_columns=value_columns,
    )


def _statline_cell(text: str) -> Cell | None:
    """Parse a StatLine cell; ``None`` means the text is not a valid value."""
    if text in _STATLINE_SYMBOLS:
        return _STATLINE_SYMBOLS[text]
    if _STATLINE_NUMBER.fullmatch(text):
        return Cell(Decimal(text.replace(",", ".")), "")
    return None


def _plain_cell(text: str) -> Cell | None:
    """Parse a plain CSV cell; ``None`` means the text is not a valid value."""
    if text == "":
        return _MISSING
    if _PLAIN_NUMBER.fullmatch(text):
        return Cell(Decimal(text), "")
    return None


def _decode(data: bytes | str, filename: str, *, fallback: str | None) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if fallback is not None:
            try:
                return data.decode(fallback)
            except UnicodeDecodeError:
                pass  # report the UTF-8 problem: that is the encoding we ask for
        raise TableFormatError(
            filename,
            "het bestand bevat tekens die geen geldige UTF-8 zijn; sla het op als 'CSV UTF-8'",
            line=data.count(b"\n", 0, exc.start) + 1,
            code="encoding",
        ) from exc


def _records(text: str, filename: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (start line, stripped fields) for every record that is not blank."""
    # newline="" leaves line endings to the csv module, so quoted newlines survive.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', strict=True)
    start = 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise TableFormatError(
                filename,
                f"ongeldige CSV-opmaak, controleer de aanhalingstekens ({exc})",
                line=start,
                code="bad_csv",
            ) from exc
        # line_num counts physical lines read so far, including quoted newlines.
        line, start = start, reader.line_num + 1
        fields = [field.strip() for field in fields]
        if any(fields):
            yield line, fields


def _is_footer(fields: list[str], header_width: int) -> bool:
    # A short line with only a source note. Requiring fewer fields than the
    # header keeps a real row such as "Bronckhorst" with empty values from
    # being skipped.
    filled = [field for field in fields if field]
    return len(fields) < header_width and len(filled) == 1 and filled[0].startswith(_FOOTER_PREFIXES)


def _split_period(text: str) -> tuple[str, int | None, bool]:
    """Return (period, year, provisional) for a period cell such as ``2024*`` or ``2024JJ00``.

    The year is the period's first four digits when no fifth digit follows:
    ``99999`` is no year (not 9999), and neither is ``202401``.
    """
    provisional = text.endswith("*")
    period = text.removesuffix("*").rstrip()
    match = _PERIOD_YEAR.match(period)
    year = int(match.group(1)) if match else None
    return period, year, provisional


def _read_table(
    text: str,
    filename: str,
    *,
    delimiter: str,
    region_column: str,
    period_column: str | None,
    parse_cell: Callable[[str], Cell | None],
    number_hint: str,
    skip_footer: bool,
    value_columns: Collection[str] | None = None,
) -> Table:
    records = _records(text, filename, delimiter)
    first = next(records, None)
    if first is None:
        raise TableFormatError(filename, "het bestand is leeg", code="empty")
    header_line, header = first

    def error(message: str, line: int, code: str, column: str | None = None) -> TableFormatError:
        return TableFormatError(filename, message, line=line, column=column, code=code)

    for number, name in enumerate(header, start=1):
        if not name:
            raise error(
                f"kolom {number} in de kopregel heeft geen naam",
                header_line,
                "bad_header",
            )
        if header.index(name) != number - 1:
            raise error(
                f'kolom "{name}" komt meer dan eens voor in de kopregel',
                header_line,
                "duplicate_column",
                name,
            )
    for name in (region_column, period_column, *(value_columns or ())):
        if name is not None and name not in header:
            raise error(
                f'kolom "{name}" ontbreekt in de kopregel',
                header_line,
                "missing_column",
                name,
            )

    region_index = header.index(region_column)
    period_index = None if period_column is None else header.index(period_column)
    values = [
        (i, name)
        for i, name in enumerate(header)
        if i not in (region_index, period_index) and (value_columns is None or name in value_columns)
    ]

    rows: list[Row] = []
    first_seen: dict[tuple[str, str | None], int] = {}
    for line, fields in records:
        if len(fields) != len(header):
            if skip_footer and _is_footer(fields, len(header)):
                continue
            raise error(
                f"verwacht {len(header)} velden, gevonden {len(fields)}",
                line,
                "field_count",
            )

        region = fields[region_index]
        if not region:
            raise error(
                f'kolom "{region_column}" is leeg',
                line,
                "missing_region",
                region_column,
            )

        period, year, provisional = None, None, False
        if period_index is not None:
            period, year, provisional = _split_period(fields[period_index])
            if not period:
                raise error(
                    f'kolom "{period_column}" is leeg',
                    line,
                    "missing_period",
                    period_column,
                )

        # The key ignores '*': a provisional and a final figure for the same
        # period would otherwise both be imported.
        key = (region, period)
        if key in first_seen:
            what = f'regio "{region}"' if period is None else f'regio "{region}" met periode "{period}"'
            raise error(f"{what} staat ook al op regel {first_seen[key]}", line, "duplicate_row")
        first_seen[key] = line

        cells: dict[str, Cell] = {}
        for i, name in values:
            cell = parse_cell(fields[i])
            if cell is None:
                raise error(
                    f'kolom "{name}": "{fields[i]}" is geen geldig getal (verwacht bijvoorbeeld {number_hint})',
                    line,
                    "bad_number",
                    name,
                )
            cells[name] = cell
        rows.append(Row(line, region, period, year, provisional, cells))

    if not rows:
        raise TableFormatError(filename, "het bestand bevat een kopregel maar geen gegevens", code="empty")
    return Table(filename, [name for _, name in values], rows)
