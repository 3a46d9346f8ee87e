"""The agenda as PDF, and its budget as CSV and XLSX.

Each view checks access on the bare agenda first (one query) and loads the
whole document only for people who may see it; the builders in
``agendas.exports`` do the rest without further queries.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET

from agendas import exports
from agendas.models import Agenda
from agendas.permissions import can_view_agenda
from agendas.selectors import AgendaDocument, agenda_document, agenda_queryset
from regions.selectors import region_profile

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _document(request, pk: int) -> AgendaDocument:
    agenda = get_object_or_404(Agenda.objects.select_related("coalition"), pk=pk)
    # 404, not 403: drafts never leak, not even that they exist.
    if not can_view_agenda(request.user, agenda):
        raise Http404
    return agenda_document(agenda_queryset().get(pk=agenda.pk))


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # An export is a snapshot of a draft: never keep it in a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def agenda_pdf(request, pk: int):
    document = _document(request, pk)
    content = exports.agenda_pdf(document, profile=region_profile(document.agenda.region), exported_at=timezone.now())
    return _attachment(content, "application/pdf", exports.export_filename(document.agenda, "pdf"))


@require_GET
@login_required
def budget_csv(request, pk: int):
    document = _document(request, pk)
    content = exports.budget_csv(document)
    return _attachment(content, "text/csv; charset=utf-8", exports.export_filename(document.agenda, "csv"))


@require_GET
@login_required
def budget_xlsx(request, pk: int):
    document = _document(request, pk)
    content = exports.budget_xlsx(document, exported_at=timezone.now())
    return _attachment(content, XLSX_TYPE, exports.export_filename(document.agenda, "xlsx"))
