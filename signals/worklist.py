"""Signals on *Mijn taken*: the ministry's officials and the programme administrators.

* Officials of a ministry: signals to acknowledge (due: the acknowledgement's
  date) and to answer (due: the answer's date), and answered ones to close.
  One query.
* Programme administrators: open signals that passed a due date and were
  escalated, linking to the ministry in the catalogue (where they name its
  officials); the title only of public ones, as the escalation's event. One
  query.

The coalition hears of each step through its notifications; its signals are on
the agenda and coalition pages.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import GlobalRole
from accounts.permissions import has_global_role
from core.worklist import Task, register
from signals.models import Signal
from signals.permissions import is_rijk_official

OFFICIAL = GlobalRole.RIJK_OFFICIAL.value
PROGRAMME_ADMIN = GlobalRole.PROGRAMME_ADMIN.value
COLUMNS = ("reference", "title", "status", "acknowledge_due", "answer_due", "coalition__name", "ministry__name")


def official_tasks(user) -> list[Task]:
    if not is_rijk_official(user):
        return []
    signals = (
        Signal.objects.filter(
            ministry__officials__user=user,
            status__in=[Signal.Status.FILED, Signal.Status.ACKNOWLEDGED, Signal.Status.ANSWERED],
        )
        .select_related("coalition", "ministry")
        .only(*COLUMNS)
        .order_by("answer_due", "pk")
    )
    label = str(GlobalRole.RIJK_OFFICIAL.label)
    tasks = []
    for signal in signals:
        if signal.status == Signal.Status.FILED:
            kind, action, due = "signal.acknowledge", _("Ontvangst bevestigen"), signal.acknowledge_due
            detail = _("Aan %(ministry)s; antwoord uiterlijk %(date)s.") % {
                "ministry": signal.ministry.name,
                "date": date_format(signal.answer_due, "j F Y"),
            }
        elif signal.status == Signal.Status.ACKNOWLEDGED:
            kind, action, due = "signal.answer", _("Beantwoorden"), signal.answer_due
            detail = _("Aan %(ministry)s.") % {"ministry": signal.ministry.name}
        else:
            kind, action, due = "signal.close", _("Afsluiten"), None
            detail = _("Beantwoord; sluit het af als er niets meer te doen is.")
        tasks.append(
            Task(
                role=OFFICIAL,
                role_label=label,
                kind=kind,
                title=_("Signaal %(reference)s: %(title)s") % {"reference": signal.reference, "title": signal.title},
                detail=detail,
                context=signal.coalition.name,
                url=reverse("signals:detail", args=[signal.pk]),
                due=due,
                action=action,
            )
        )
    return tasks


def programme_admin_tasks(user) -> list[Task]:
    if not has_global_role(user, GlobalRole.PROGRAMME_ADMIN):
        return []
    signals = (
        Signal.objects.filter(status__in=Signal.OPEN, escalated_at__isnull=False)
        .select_related("ministry")
        .only("reference", "title", "is_public", "status", "acknowledge_due", "answer_due", "ministry__name")
        .order_by("answer_due", "pk")
    )
    label = str(GlobalRole.PROGRAMME_ADMIN.label)
    return [
        Task(
            role=PROGRAMME_ADMIN,
            role_label=label,
            kind="signal.escalated",
            title=(
                _("Signaal %(reference)s over de termijn: %(title)s")
                % {"reference": signal.reference, "title": signal.title}
                if signal.is_public
                else _("Signaal %(reference)s over de termijn (niet openbaar)") % {"reference": signal.reference}
            ),
            detail=_("%(ministry)s heeft nog niet bevestigd of geantwoord. Zorg dat het ministerie ambtenaren heeft.")
            % {"ministry": signal.ministry.name},
            context=signal.ministry.name,
            url=reverse("signals:ministry-edit", args=[signal.ministry_id]),
            due=signal.acknowledge_due if signal.status == Signal.Status.FILED else signal.answer_due,
            action=_("Naar het ministerie"),
        )
        for signal in signals
    ]


def register_worklist() -> None:
    register(official_tasks)
    register(programme_admin_tasks)
