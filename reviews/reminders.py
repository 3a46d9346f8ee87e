"""Reminders to reviewers before their due date (run daily by Celery beat).

One reminder per due date: ``Assignment.reminded_for`` holds the due date
the last reminder was about, and it is set with a conditional UPDATE before
the event is recorded, so two runs (or two beat processes) never remind
twice. A new due date (extension, reopening) gets its own reminder.
"""

from __future__ import annotations

import datetime

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone

from activity.events import record_event
from activity.notifications import notify
from reviews.models import Assignment, Submission

OPEN_STATUSES = (Assignment.Status.INVITED, Assignment.Status.ACCEPTED)


def _due_for_reminder(today: datetime.date):
    """Open assignments of active submissions due within the reminder window, not yet reminded for that date."""
    return Assignment.objects.filter(
        status__in=OPEN_STATUSES,
        due_date__gte=today,
        due_date__lte=today + datetime.timedelta(days=settings.REVIEW_REMINDER_DAYS),
        submission__status__in=Submission.ACTIVE,
    ).exclude(reminded_for=F("due_date"))


def send_review_reminders(*, today: datetime.date | None = None) -> int:
    """Remind every reviewer whose open review is due within ``REVIEW_REMINDER_DAYS``; returns how many.

    After: each reminded assignment has ``reminded_for == due_date``, one
    ``review.reminder`` event (no actor and no coalition: reviewers must not
    show up in a coalition's event list) and a notification for the
    reviewer (e-mail by their preference). Running it again the same day,
    or concurrently, reminds nobody twice.
    """
    today = today or timezone.localdate()
    candidates = list(
        _due_for_reminder(today)
        .select_related("reviewer")
        .annotate(title=KeyTextTransform("title", "submission__snapshot"))
        .order_by("due_date", "pk")
    )
    reminded = 0
    for assignment in candidates:
        with transaction.atomic():
            # The claim: whoever sets reminded_for first sends the reminder.
            # Only the row's own columns in the condition, so PostgreSQL
            # re-checks it against a concurrent run's committed update.
            claimed = (
                Assignment.objects.filter(pk=assignment.pk, due_date=assignment.due_date, status__in=OPEN_STATUSES)
                .exclude(reminded_for=assignment.due_date)
                .update(reminded_for=assignment.due_date)
            )
            if not claimed:
                continue
            event = record_event(
                actor=None,
                verb="review.reminder",
                target=assignment,
                coalition_id=None,
                data={
                    "submission_id": assignment.submission_id,
                    "assignment_id": assignment.pk,
                    "title": assignment.title or "",
                    "due_date": assignment.due_date.isoformat(),
                },
            )
            notify(event=event, recipients=[assignment.reviewer])
            reminded += 1
    return reminded


@shared_task(acks_late=True, time_limit=300, soft_time_limit=240)
def send_review_reminders_task() -> int:
    return send_review_reminders()
