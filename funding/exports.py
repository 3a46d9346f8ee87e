"""Approved decisions per region and year as CSV and XLSX (public, like the decisions themselves).

One row per approved decision × tranche year, with the tranche's status:
planned, paid out (and when) or (partly) reclaimed. The CSV is made for Dutch
Excel like the agenda budget export (``;`` and a byte order mark); text cells
are neutralised against formula injection in both formats
(``core.documents.neutralise``). The XLSX has a second sheet with the
totals per region and year.
"""

from __future__ import annotations

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.documents import CSV_DELIMITER, XLSX_AMOUNT_FORMAT, neutralise
from funding.models import Decision
from funding.national import NationalPicture

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def header() -> list[str]:
    return [
        _("Kenmerk"),
        _("Programma"),
        _("Regiocode"),
        _("Regio"),
        _("Penvoerder"),
        _("Jaar"),
        _("Bedrag (euro)"),
        _("Datum besluit"),
        _("Status tranche"),
        _("Uitbetaald op"),
        _("Teruggevorderd (euro)"),
    ]


def _date(decision: Decision):
    return timezone.localdate(decision.decided_at) if decision.decided_at else None


def rows(decisions: list[Decision]) -> list[list]:
    """One row per decision and tranche year, by reference and year."""
    result = []
    for decision in sorted(decisions, key=lambda d: d.reference):
        date = _date(decision)
        for tranche in sorted(decision.tranches.all(), key=lambda t: t.year):
            result.append(
                [
                    neutralise(decision.reference),
                    neutralise(decision.programme.name),
                    neutralise(decision.region.code),
                    neutralise(decision.region.name),
                    neutralise(decision.lead_partner.name),
                    tranche.year,
                    tranche.amount,
                    date,
                    str(tranche.get_status_display()),
                    timezone.localdate(tranche.released_at) if tranche.released_at else None,
                    tranche.reclaimed_amount,
                ]
            )
    return result


def decisions_csv(decisions: list[Decision]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(header())
    for row in rows(decisions):
        writer.writerow([cell.isoformat() if hasattr(cell, "isoformat") else cell for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def decisions_xlsx(picture: NationalPicture) -> bytes:
    bold = Font(bold=True)
    workbook = Workbook()

    sheet = workbook.active
    sheet.title = _("Beschikkingen")
    sheet.append(header())
    for row in rows(picture.decisions):
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2, min_col=7, max_col=11):
        amount, decided, _status, paid, reclaimed = cells
        amount.number_format = reclaimed.number_format = XLSX_AMOUNT_FORMAT
        decided.number_format = paid.number_format = "dd-mm-yyyy"
    for cell in sheet[1]:
        cell.font = bold
    sheet.freeze_panes = "A2"
    for index, width in enumerate((16, 30, 12, 30, 30, 8, 14, 14, 16, 14, 14), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width

    totals = workbook.create_sheet(_("Per regio en jaar"))
    totals.append([_("Regiocode"), _("Regio"), *picture.years, _("Totaal"), _("Inwoners"), _("Euro per inwoner")])
    for figure in picture.regions:
        per_inhabitant = figure.per_inhabitant
        totals.append(
            [
                neutralise(figure.region.code),
                neutralise(figure.region.name),
                *[figure.by_year.get(year, 0) for year in picture.years],
                figure.total,
                figure.population,
                round(per_inhabitant, 2) if per_inhabitant is not None else None,
            ]
        )
    totals.append([_("Totaal"), "", *picture.year_totals(), picture.total, None, None])
    for row in totals.iter_rows(min_row=2, min_col=3, max_col=len(picture.years) + 4):
        for cell in row:
            cell.number_format = XLSX_AMOUNT_FORMAT
    for cell in totals[1]:
        cell.font = bold
    for cell in totals[totals.max_row]:
        cell.font = bold
    totals.freeze_panes = "C2"
    totals.column_dimensions["B"].width = 30

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
