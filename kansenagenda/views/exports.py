"""The agenda as PDF, and its budget as CSV and XLSX."""

# STUB: replaced by the exports helper.
from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse(status=501)


agenda_pdf = budget_csv = budget_xlsx = _todo
