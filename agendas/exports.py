"""Exports of an agenda: the whole document as PDF, its budget as CSV and XLSX.

The builders take an :class:`~agendas.selectors.AgendaDocument`
(loaded with ``agenda_queryset``) and return bytes, so they run without HTTP
and without further queries; the views only check access and attach a file
name.

Two safety rules hold for every export:

* User text never turns into a formula in a spreadsheet: a text cell that
  starts with ``= + - @``, a tab or a carriage return gets a leading
  apostrophe (:func:`neutralise`), in the CSV and in the XLSX.
* The PDF renderer never fetches anything: :class:`NoNetworkURLFetcher`
  refuses every URL except inline ``data:`` URIs, so a link or image in the
  Markdown of an agenda cannot make the server request a URL (SSRF) or read a
  local file.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from weasyprint.urls import URLFetcher

from agendas import budget as budget_figures
from agendas.charts import GROUP_LABELS, PDF_FILLS, budget_chart
from agendas.models import Agenda, FundingSource, LinkStrength, MeasureStatus, PriorityKind
from agendas.selectors import AgendaDocument
from core.documents import CSV_DELIMITER, XLSX_AMOUNT_FORMAT, XLSX_SHARE_FORMAT, html_to_pdf, neutralise
from core.formatting import figure, in_language, unit_places
from core.markdown import render_markdown
from regions.profile import Profile

# Dashes and slashes that should separate words in a file name, as "-" does ("2027–2040" -> "2027-2040").
_SEPARATORS = re.compile(r"[\u2010-\u2015\u2212/\\]")
_PREFIX = "kansenagenda"


def export_filename(agenda: Agenda, extension: str) -> str:
    """One readable ASCII name: ``kansenagenda-veenkolonien-2027-2040-r12.pdf``.

    The agenda's title without a second "kansenagenda", with its period appended when the
    title does not name it; ASCII only, so the header needs no quoting rules.
    """
    slug = slugify(_SEPARATORS.sub("-", agenda.title))
    if slug == _PREFIX or slug.startswith(_PREFIX + "-"):
        slug = slug[len(_PREFIX) :].lstrip("-")
    slug = slug[:80].strip("-") or slugify(agenda.region.name)[:80].strip("-") or f"agenda-{agenda.pk}"
    period = f"{agenda.start_year}-{agenda.end_year}"
    if period not in slug:
        slug = f"{slug}-{period}"
    return f"{_PREFIX}-{slug}-r{agenda.revision_count}.{extension}"


# --- budget rows (CSV and XLSX) -----------------------------------------------------------------


@dataclass(frozen=True)
class BudgetRow:
    priority: str
    measure: str
    lead_organisation: str
    year: int
    source: str
    source_label: str
    source_group: str
    amount: int

    def cells(self) -> list[str | int]:
        return [
            neutralise(self.priority),
            neutralise(self.measure),
            neutralise(self.lead_organisation),
            self.year,
            self.source,
            neutralise(self.source_label),
            neutralise(self.source_group),
            self.amount,
        ]


def budget_header() -> list[str]:
    """Column names in the active language."""
    return [
        _("Prioriteit"),
        _("Maatregel"),
        _("Trekker"),
        _("Jaar"),
        _("Broncode"),
        _("Bron"),
        _("Brongroep"),
        _("Bedrag (euro)"),
    ]


def budget_rows(document: AgendaDocument) -> list[BudgetRow]:
    """One row per budget line, in the order of the document (priority, measure, year, source)."""
    rows = []
    for priority in document.priorities:
        for measure in priority.measures.all():
            for line in measure.budget_lines.all():
                rows.append(
                    BudgetRow(
                        priority=priority.title,
                        measure=measure.title,
                        lead_organisation=measure.lead_organisation.name,
                        year=line.year,
                        source=line.source,
                        source_label=str(FundingSource(line.source).label),
                        source_group=str(GROUP_LABELS[budget_figures.SOURCE_GROUPS[line.source]]),
                        amount=int(line.amount),
                    )
                )
    return rows


def budget_csv(document: AgendaDocument) -> bytes:
    """The budget lines as CSV, made for Dutch Excel.

    Choices: the delimiter is ``;`` because Excel with Dutch regional settings
    uses the comma as decimal separator and expects ``;`` between fields; the
    file is UTF-8 *with* a byte order mark, without which Excel reads it as
    Windows-1252 and mangles accents ("Fryslân"). Amounts are whole euros
    without thousands separators or decimals, so every program reads them as
    numbers. The header row is in the active language.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(budget_header())
    for row in budget_rows(document):
        writer.writerow(row.cells())
    return buffer.getvalue().encode("utf-8-sig")


# --- XLSX ----------------------------------------------------------------------------------------


def budget_xlsx(document: AgendaDocument, *, exported_at: datetime | None = None) -> bytes:
    """A workbook with the budget lines, the budget per year and source, and a summary.

    Totals are written as values computed here, not as formulas: viewers that
    do not calculate (previews, some mobile apps) would otherwise show empty
    cells, and the figures are the same ones the agenda page shows.
    """
    exported_at = timezone.localtime(exported_at or timezone.now())
    agenda = document.agenda
    summary = document.budget
    bold = Font(bold=True)
    workbook = Workbook()

    # Sheet 1: one row per budget line, like the CSV.
    lines = workbook.active
    lines.title = _("Begroting")
    lines.append(budget_header())
    for row in budget_rows(document):
        lines.append(row.cells())
    amount_column = len(budget_header())
    for (cell,) in lines.iter_rows(min_row=2, min_col=amount_column, max_col=amount_column):
        cell.number_format = XLSX_AMOUNT_FORMAT
    for cell in lines[1]:
        cell.font = bold
    lines.freeze_panes = "A2"
    lines.auto_filter.ref = lines.dimensions
    for index, width in enumerate((40, 40, 30, 8, 14, 20, 12, 16), start=1):
        lines.column_dimensions[get_column_letter(index)].width = width

    # Sheet 2: year × source, with totals per year and per source.
    per_year = workbook.create_sheet(_("Per jaar"))
    sources = budget_figures.SOURCES
    per_year.append([_("Jaar"), *[str(FundingSource(s).label) for s in sources], _("Totaal")])
    for year, amounts, year_total in summary.rows():
        per_year.append([year, *amounts, year_total])
    per_year.append([_("Totaal"), *[summary.by_source.get(s, 0) for s in sources], summary.total])
    for row in per_year.iter_rows(min_row=2, min_col=2):
        for cell in row:
            cell.number_format = XLSX_AMOUNT_FORMAT
    for cell in per_year[1]:
        cell.font = bold
    for cell in per_year[per_year.max_row]:
        cell.font = bold
    per_year.freeze_panes = "B2"
    per_year.column_dimensions["A"].width = 10
    for index in range(2, len(sources) + 3):
        per_year.column_dimensions[get_column_letter(index)].width = 16

    # Sheet 3: the agenda's key figures.
    overview = workbook.create_sheet(_("Samenvatting"))
    rows: list[tuple[str, object, str | None]] = [
        (_("Titel"), neutralise(agenda.title), None),
        (_("Coalitie"), neutralise(agenda.coalition.name), None),
        (_("Regio"), neutralise(agenda.region.name), None),
        (_("Periode"), f"{agenda.start_year}–{agenda.end_year}", None),
        (_("Totale begroting (euro)"), summary.total, XLSX_AMOUNT_FORMAT),
        (_("Gevraagd van het Rijk (euro)"), summary.rijk_total, XLSX_AMOUNT_FORMAT),
        (_("Aandeel Rijk"), _share(summary.rijk_share), XLSX_SHARE_FORMAT),
        (_("Cofinancieringsgraad"), _share(summary.cofinancing_ratio), XLSX_SHARE_FORMAT),
        # openpyxl cannot store aware datetimes; the local time is what a reader expects.
        (_("Geëxporteerd op"), exported_at.replace(tzinfo=None), "dd-mm-yyyy hh:mm"),
        (_("Revisie"), agenda.revision_count, None),
        (_("Status"), _status_label(agenda), None),
    ]
    for label, value, number_format_ in rows:
        overview.append([label, value])
        if number_format_:
            overview.cell(row=overview.max_row, column=2).number_format = number_format_
    for (cell,) in overview.iter_rows(min_col=1, max_col=1):
        cell.font = bold
    overview.column_dimensions["A"].width = 32
    overview.column_dimensions["B"].width = 50

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _share(share) -> float | None:
    return float(share) if share is not None else None


def _status_label(agenda: Agenda) -> str:
    # "Concept" is the draft status' label; later statuses (submitted, ...) bring their own.
    return str(agenda.get_status_display())


# --- PDF -----------------------------------------------------------------------------------------


def _measure(value: Decimal | None, unit: str) -> str:
    """An indicator value with the precision of its unit, as on the pages ("61,9"); empty when unknown."""
    return "" if value is None else figure(value, unit_places(unit))


def _goal_link(link) -> dict:
    return {
        "label": link.goal.label,
        "name": link.goal.short or link.goal.title,
        "strength": str(LinkStrength(link.strength).label),
        "contribution": link.contribution,
    }


def _cell_labels(cells: list[str | None]) -> list[str]:
    return [str(LinkStrength(cell).label).lower() if cell else "" for cell in cells]


def pdf_context(document: AgendaDocument, *, profile: Profile | None, exported_at: datetime | None = None) -> dict:
    """What the PDF template shows, as plain values; the Markdown is rendered (sanitised) here."""
    agenda = document.agenda
    summary = document.budget
    priorities = []
    for priority in document.priorities:
        measures = []
        for measure in priority.measures.all():
            measures.append(
                {
                    "title": measure.title,
                    "description": render_markdown(measure.description),
                    "lead_organisation": measure.lead_organisation.name,
                    "start_year": measure.start_year,
                    "end_year": measure.end_year,
                    "status": str(MeasureStatus(measure.status).label),
                    "budget_total": document.budget_by_measure[measure.pk].total,
                    "goal_links": [_goal_link(link) for link in measure.goal_links.all()],
                }
            )
        priorities.append(
            {
                "title": priority.title,
                "kind": str(PriorityKind(priority.kind).label),
                "description": render_markdown(priority.description),
                "themes": [in_language(t.name_nl, t.name_en) for t in priority.themes.all()],
                "goal_links": [_goal_link(link) for link in priority.goal_links.all()],
                "targets": [
                    {
                        "indicator": in_language(t.indicator.name_nl, t.indicator.name_en),
                        "unit": t.indicator.unit_label,
                        "baseline_year": t.baseline_year,
                        "baseline_value": _measure(t.baseline_value, t.indicator.unit),
                        "baseline_from_data": t.baseline_from_data,
                        "target_year": t.target_year,
                        "target_value": _measure(t.target_value, t.indicator.unit),
                    }
                    for t in priority.targets.all()
                ],
                "measures": measures,
            }
        )
    groups = budget_figures.GROUPS
    return {
        "agenda": agenda,
        "is_draft": agenda.status == Agenda.Status.DRAFT,
        "status_label": _status_label(agenda),
        "exported_at": timezone.localtime(exported_at or timezone.now()),
        "summary_html": render_markdown(agenda.summary),
        "vision_html": render_markdown(agenda.vision),
        "agenda_themes": [in_language(t.name_nl, t.name_en) for t in document.themes],
        "profile": profile,
        "priorities": priorities,
        "budget": summary,
        "group_labels": [str(GROUP_LABELS[g]) for g in groups],
        "budget_rows": summary.group_rows(),
        "budget_chart": budget_chart(summary),
        "chart_fills": PDF_FILLS,
        "group_totals": [summary.by_group.get(g, 0) for g in groups],
        "theme_coverage": [
            (in_language(theme.name_nl, theme.name_en), _cell_labels(cells))
            for theme, cells in document.theme_coverage.table()
        ],
        "goal_coverage": [
            (f"{goal.label} {goal.short or goal.title}", _cell_labels(cells))
            for goal, cells in document.goal_coverage.table()
        ],
        "coverage_columns": [p.title for p in document.priorities],
        "gaps": document.gaps,
    }


def agenda_pdf(
    document: AgendaDocument,
    *,
    profile: Profile | None,
    exported_at: datetime | None = None,
    url_fetcher: URLFetcher | None = None,
) -> bytes:
    """The agenda as a printable A4 document."""
    html = render_to_string("agendas/export_pdf.html", pdf_context(document, profile=profile, exported_at=exported_at))
    return html_to_pdf(html, url_fetcher=url_fetcher)
