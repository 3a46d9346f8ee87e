"""The goal catalogues; data stewards keep the national one."""

# STUB: replaced by the collaboration helper.
from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse(status=501)


goal_list = national_goal_create = national_goal_edit = _todo
