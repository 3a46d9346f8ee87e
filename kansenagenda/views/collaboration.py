"""History and diff of an agenda, comments, and notifications."""

# STUB: replaced by the collaboration helper.
from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse(status=501)


history = compare = comment_create = notification_list = notifications_mark_read = _todo
