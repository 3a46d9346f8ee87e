"""Agenda pages: list, create, the agenda document, and the forms for header, priority and measure."""

# STUB: replaced by the UI helper.
from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse(status=501)


agenda_list = agenda_create = agenda_detail = header_edit = priority_create = priority_detail = _todo
priority_edit = priority_delete = measure_create = measure_edit = measure_delete = _todo
