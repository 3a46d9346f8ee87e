"""Pages of a person's notifications and their e-mail preferences."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from activity import notifications, selectors
from activity.forms import NotificationPreferenceForm

NOTIFICATIONS_PER_PAGE = 25


@dataclass
class NotificationRow:
    id: int
    text: str
    link: str
    created_at: Any
    unread: bool


@require_GET
@login_required
def notification_list(request):
    page = Paginator(selectors.notifications_for(request.user), NOTIFICATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [
        NotificationRow(
            id=n.pk,
            text=notifications.describe(n.event),
            link=notifications.link(n.event),
            created_at=n.created_at,
            unread=n.read_at is None,
        )
        for n in page.object_list
    ]
    return render(request, "notifications/notification_list.html", {"page": page, "rows": rows})


@require_POST
@login_required
def notifications_mark_read(request):
    raw = request.POST.getlist("id")
    if raw and not all(v.strip().isascii() and v.strip().isdigit() and len(v.strip()) < 19 for v in raw):
        return HttpResponseBadRequest(_("Ongeldige melding."))
    ids = [int(value) for value in raw] if raw else None
    count = notifications.notifications_mark_read(user=request.user, ids=ids)
    if count:
        messages.success(
            request,
            ngettext("%(n)s melding als gelezen gemarkeerd.", "%(n)s meldingen als gelezen gemarkeerd.", count)
            % {"n": count},
        )
    return redirect("notifications:list")


def notifications_context(request):
    """Template context: the unread count for the header badge.

    A callable that remembers its answer: the query runs only when a template
    shows the badge, once per request, and never for anonymous visitors.
    """
    answer: list[int] = []

    def unread_count() -> int:
        if not answer:
            user = getattr(request, "user", None)
            answer.append(selectors.unread_notification_count(user) if user is not None else 0)
        return answer[0]

    return {"unread_notification_count": unread_count}


# ------------------------------------------------------- notification preferences


@require_http_methods(["GET", "POST"])
@login_required
def notification_preferences(request):
    """Per event type: the in-app notification only, or also an e-mail."""
    status = 200
    if request.method == "POST":
        form = NotificationPreferenceForm(request.POST)
        if form.is_valid():
            notifications.notification_preferences_set(user=request.user, email_verbs=form.email_verbs())
            messages.success(request, _("Uw meldingsvoorkeuren zijn opgeslagen."))
            return redirect("notifications:preferences")
        status = 400
    else:
        form = NotificationPreferenceForm(
            initial=NotificationPreferenceForm.initial_for(notifications.email_choices_for(request.user))
        )
    return render(request, "notifications/preferences.html", {"form": form}, status=status)
