"""Reminders to reviewers before their due date (``reviews.reminders.send_review_reminders``, daily by beat).

One reminder per due date, for open invitations and accepted reviews of an
active submission, due within REVIEW_REMINDER_DAYS and not yet past. A run
again (or a second beat) reminds nobody twice; a new due date gets a new
reminder. The event has no actor and no coalition, so the reviewer does not
show up in the coalition's event list.
"""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from activity.models import Delivery, Event, Notification
from kansenagenda.celery import app
from reviews.models import Assignment, Submission
from reviews.reminders import send_review_reminders
from tests.agendas.factories import make_agenda
from tests.factories import make_user
from tests.reviews.factories import freeze, make_round

TODAY = datetime.date(2027, 2, 1)


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.REVIEW_REMINDER_DAYS = 3


@pytest.fixture
def chair(db):
    return make_user("chiara", role="review_chair")


@pytest.fixture
def submission(coalition, alice, chair):
    return freeze(make_agenda(coalition, alice), make_round(chair), actor=alice)


def invite(submission, due_date, *, name="rita", status=Assignment.Status.INVITED, **fields):
    reviewer = make_user(name, role="reviewer")
    return Assignment.objects.create(
        submission=submission, reviewer=reviewer, due_date=due_date, status=status, **fields
    )


def reminder_events():
    return Event.objects.filter(verb="review.reminder")


@pytest.mark.django_db
def test_it_reminds_a_reviewer_once_per_due_date(submission):
    assignment = invite(submission, days(2))

    assert send_review_reminders(today=TODAY) == 1
    assignment.refresh_from_db()
    assert assignment.reminded_for == days(2)
    event = reminder_events().get()
    assert event.actor is None and event.coalition_id is None  # not in the coalition's event list
    assert event.data == {
        "submission_id": submission.pk,
        "assignment_id": assignment.pk,
        "title": submission.title,
        "due_date": "2027-02-03",
    }
    assert Notification.objects.get(event=event).recipient == assignment.reviewer
    assert Delivery.objects.get(event=event).recipient == assignment.reviewer  # e-mail is on by default

    assert send_review_reminders(today=TODAY) == 0  # the second run sends nothing
    assert send_review_reminders(today=days(1)) == 0  # nor the next day
    assert reminder_events().count() == 1
    assert Notification.objects.count() == 1


@pytest.mark.django_db
def test_an_accepted_review_due_today_is_reminded(submission):
    invite(submission, TODAY, status=Assignment.Status.ACCEPTED)
    assert send_review_reminders(today=TODAY) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "due_in"),
    [
        (Assignment.Status.DECLINED, 1),
        (Assignment.Status.SUBMITTED, 1),
        (Assignment.Status.INVITED, -1),  # already past
        (Assignment.Status.ACCEPTED, 4),  # not yet within the three days
    ],
)
def test_no_reminder_for_declined_submitted_past_or_far_off_reviews(submission, status, due_in):
    invite(submission, days(due_in), status=status)
    assert send_review_reminders(today=TODAY) == 0
    assert not reminder_events().exists()
    assert not Notification.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Submission.Status.WITHDRAWN, Submission.Status.ADVISED])
def test_no_reminder_when_the_submission_is_no_longer_under_way(submission, status):
    invite(submission, days(1))
    Submission.objects.filter(pk=submission.pk).update(status=status)
    assert send_review_reminders(today=TODAY) == 0


@pytest.mark.django_db
def test_a_new_due_date_gets_its_own_reminder(submission):
    assignment = invite(submission, days(1))
    send_review_reminders(today=TODAY)
    Assignment.objects.filter(pk=assignment.pk).update(due_date=days(6))  # extended
    assert send_review_reminders(today=TODAY) == 0
    assert send_review_reminders(today=days(3)) == 1
    assignment.refresh_from_db()
    assert assignment.reminded_for == days(6)
    assert [e.data["due_date"] for e in reminder_events().order_by("id")] == ["2027-02-02", "2027-02-07"]


@pytest.mark.django_db
def test_the_window_follows_the_setting(submission, settings):
    settings.REVIEW_REMINDER_DAYS = 7
    invite(submission, days(6))
    assert send_review_reminders(today=TODAY) == 1


@pytest.mark.django_db
def test_it_reminds_every_reviewer_due(submission):
    invite(submission, days(1), name="rita")
    invite(submission, days(3), name="ruben", status=Assignment.Status.ACCEPTED)
    invite(submission, days(1), name="roos", status=Assignment.Status.DECLINED)
    assert send_review_reminders(today=TODAY) == 2
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == ["rita", "ruben"]


@pytest.mark.django_db
def test_the_reviewer_gets_the_reminder_in_the_app_and_by_email_after_the_commit(
    client, submission, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    assignment = invite(submission, today + datetime.timedelta(days=2))
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            assert send_review_reminders() == 1
    finally:
        app.conf.task_always_eager = False

    [message] = mail.outbox
    assert message.to == [assignment.reviewer.email]
    assert message.subject.startswith(f"Kansenagenda: Herinnering: uw beoordeling van “{submission.title}”")

    # The reviewer is no member of the coalition, yet sees the reminder.
    client.force_login(assignment.reviewer)
    content = client.get("/meldingen/").content.decode()
    assert "U hebt 1 ongelezen melding." in content
    assert "Herinnering: uw beoordeling van" in content
