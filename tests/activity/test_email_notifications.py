"""E-mail notifications: delivery rows from the outbox, sent once by Celery, and the preferences page.

``notify`` makes a pending ``Delivery`` per recipient who wants e-mail for
the event's verb (their preference, else the default); the task
``send_event_deliveries`` runs after the commit, claims every pending row
(pending -> sending) and sends only what it claimed, so running it twice
sends one e-mail. People choose per event type at /meldingen/voorkeuren/.
"""

from __future__ import annotations

import datetime
import re
import smtplib

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.html import escape

from activity import notifications, registry, tasks
from activity.events import record_event
from activity.models import Delivery, Notification, NotificationPreference
from activity.notifications import notify
from activity.selectors import notifications_for, unread_notification_count
from core import background
from kansenagenda.celery import app
from reviews import event_types as review_event_types
from tests.agendas.factories import make_agenda, make_priority
from tests.factories import make_user


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://kansenagenda.example"


def assigned(actor, *recipients, verb="review.assigned", coalition=None):
    """An event to reviewers, recorded and notified the way the review services do."""
    data = {"submission_id": 7, "assignment_id": 9, "title": "Kansen voor Oost-Groningen", "due_date": "2027-03-01"}
    event = record_event(actor=actor, verb=verb, coalition_id=coalition.pk if coalition else None, data=data)
    notify(event=event, recipients=list(recipients))
    return event


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


# --- delivery rows -----------------------------------------------------------------------


@pytest.mark.django_db
def test_it_makes_a_pending_delivery_for_everyone_who_wants_email(alice, bob, victor, charlie):
    NotificationPreference.objects.create(user=victor, verb="review.assigned", email=False)
    NotificationPreference.objects.create(user=charlie, verb="comment.mentioned", email=False)  # another verb
    event = assigned(alice, bob, victor, charlie, alice)

    assert set(Notification.objects.filter(event=event).values_list("recipient__username", flat=True)) == {
        "bob",
        "victor",
        "charlie",
    }
    deliveries = Delivery.objects.filter(event=event)
    assert sorted(d.recipient.username for d in deliveries) == ["bob", "charlie"]  # not victor, never the actor
    assert {(d.channel, d.status, d.attempts) for d in deliveries} == {("email", "pending", 0)}


@pytest.mark.django_db
def test_a_verb_that_is_off_by_default_mails_only_who_chose_it(alice, bob, victor):
    NotificationPreference.objects.create(user=victor, verb="endorsement.given", email=True)
    assert notifications.email_default("endorsement.given") is False
    event = record_event(actor=alice, verb="endorsement.given", data={"agenda_id": 1, "organisation": "X"})
    notify(event=event, recipients=[bob, victor])
    assert list(Delivery.objects.values_list("recipient__username", flat=True)) == ["victor"]


@pytest.mark.django_db
def test_defaults_are_on_for_the_review_workflow_and_mentions():
    for verb in [t.verb for t in review_event_types.EVENT_TYPES if t.email_group == "beoordeling"]:
        assert notifications.email_default(verb), verb
    assert notifications.email_default("comment.mentioned")
    assert not notifications.email_default("comment.created")
    assert not notifications.email_default("iets.onbekends")


@pytest.mark.django_db
def test_no_delivery_without_an_address_or_for_an_inactive_account(alice, bob, victor):
    type(bob).objects.filter(pk=bob.pk).update(email="")
    type(victor).objects.filter(pk=victor.pk).update(is_active=False)
    bob.refresh_from_db()
    victor.refresh_from_db()
    event = assigned(alice, bob, victor)
    assert Notification.objects.filter(event=event).count() == 2  # the app still shows it
    assert not Delivery.objects.exists()


@pytest.mark.django_db
def test_notifying_twice_keeps_one_delivery_and_the_database_refuses_a_second(alice, bob):
    event = assigned(alice, bob)
    notify(event=event, recipients=[bob])
    assert Delivery.objects.filter(event=event, recipient=bob).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(event=event, recipient=bob, channel="email")


@pytest.mark.django_db
def test_notify_uses_the_same_queries_for_two_or_ten_recipients(alice):
    few = [make_user(f"few{n}") for n in range(2)]
    many = [make_user(f"many{n}") for n in range(10)]
    NotificationPreference.objects.create(user=many[0], verb="review.assigned", email=False)
    counts = []
    for people in (few, many):
        event = record_event(actor=alice, verb="review.assigned", data={"title": "T"})
        with CaptureQueriesContext(connection) as context:
            notify(event=event, recipients=people)
        counts.append(len(context.captured_queries))
    # insert notifications, read the preferences for this verb, insert deliveries
    assert counts == [3, 3], counts
    assert Delivery.objects.count() == 2 + 9


# --- sending after the commit, once --------------------------------------------------------


@pytest.mark.django_db
def test_nothing_is_sent_before_the_commit(alice, bob, eager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        event = assigned(alice, bob)
    assert len(callbacks) == 1
    assert mail.outbox == []
    assert Delivery.objects.get().status == Delivery.Status.PENDING

    callbacks[0]()  # the commit: the task is queued and (eagerly) run
    assert len(mail.outbox) == 1
    delivery = Delivery.objects.get(event=event)
    assert delivery.status == Delivery.Status.SENT and delivery.sent_at and delivery.attempts == 1


@pytest.mark.django_db
def test_no_task_is_queued_when_nobody_wants_email(alice, bob, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=bob, verb="review.assigned", email=False)
    with django_capture_on_commit_callbacks() as callbacks:
        assigned(alice, bob)
    assert callbacks == []


@pytest.mark.django_db
def test_running_the_task_twice_sends_one_email(alice, bob, victor):
    event = assigned(alice, bob, victor)
    assert tasks.send_event_deliveries(event.pk) == 2
    assert tasks.send_event_deliveries(event.pk) == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["bob@example.org", "victor@example.org"]
    rows = Delivery.objects.filter(event=event)
    assert [(d.status, d.attempts) for d in rows] == [("sent", 1), ("sent", 1)]


@pytest.mark.django_db
def test_a_delivery_claimed_by_another_worker_is_not_sent(alice, bob):
    event = assigned(alice, bob)
    delivery = Delivery.objects.get(event=event)
    # Another worker claimed it (and may be sending it right now).
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.SENDING, claimed_at=timezone.now())
    assert notifications.delivery_send(delivery_id=delivery.pk) is False
    assert tasks.send_event_deliveries(event.pk) == 0
    assert mail.outbox == []
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENDING and delivery.attempts == 0  # untouched


@pytest.mark.django_db
def test_an_smtp_error_marks_the_delivery_failed_and_it_is_not_sent_again(alice, bob, monkeypatch):
    class RefusingMessage(notifications.EmailMessage):
        def send(self, fail_silently=False):
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    event = assigned(alice, bob)
    monkeypatch.setattr(notifications, "EmailMessage", RefusingMessage)
    assert tasks.send_event_deliveries(event.pk) == 0
    delivery = Delivery.objects.get(event=event)
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert delivery.sent_at is None

    monkeypatch.undo()
    Delivery.objects.filter(pk=delivery.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))
    assert tasks.send_event_deliveries(event.pk) == 0
    assert tasks.sweep_deliveries() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_mail_server_that_is_down_leaves_the_rows_pending_for_the_sweep(alice, bob, monkeypatch):
    class Down:
        def open(self):
            raise ConnectionRefusedError(111, "Connection refused")

    event = assigned(alice, bob)
    monkeypatch.setattr(notifications, "get_connection", lambda: Down())
    with pytest.raises(ConnectionRefusedError):
        tasks.send_event_deliveries(event.pk)
    delivery = Delivery.objects.get(event=event)
    assert (delivery.status, delivery.attempts) == ("pending", 0)


# --- the e-mail ----------------------------------------------------------------------------


@pytest.fixture
def agenda(coalition, alice):
    return make_agenda(coalition, alice)


@pytest.mark.django_db
def test_the_email_names_the_event_and_links_to_the_site(agenda, alice, bob, victor, settings):
    from agendas import comments as services

    priority = make_priority(agenda, alice, title="Gezonde jeugd")
    services.comment_create(agenda=agenda, actor=bob, body="@victor kijk je even?", priority=priority)
    event = Delivery.objects.get().event
    tasks.send_event_deliveries(event.pk)

    [message] = mail.outbox
    assert message.to == ["victor@example.org"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.subject == "Kansenagenda: Bob noemde u in een reactie op “Gezonde jeugd”."
    assert message.body.startswith("Beste Victor,\n\nBob noemde u in een reactie op “Gezonde jeugd”.\n")
    assert f"https://kansenagenda.example/agendas/{agenda.pk}/prioriteiten/{priority.pk}/#reacties" in message.body
    assert "https://kansenagenda.example/meldingen/voorkeuren/" in message.body
    assert "&" not in message.body and "&#" not in message.subject  # plain text, not HTML-escaped


@pytest.mark.django_db
def test_the_email_is_in_the_recipients_language_not_the_workers(alice, bob, monkeypatch):
    event = assigned(alice, bob)
    with translation.override("en"):  # whatever language the process happens to have active
        tasks.send_event_deliveries(event.pk)
    [message] = mail.outbox
    assert (
        message.subject
        == "Kansenagenda: U bent uitgenodigd om “Kansen voor Oost-Groningen” te beoordelen, uiterlijk 1 maart 2027."
    )
    assert message.body.startswith("Beste Bob,")


@pytest.mark.django_db
def test_a_recipient_language_of_english_gives_english_words(agenda, alice, bob, victor, monkeypatch):
    from agendas import comments as services

    monkeypatch.setattr(notifications, "recipient_language", lambda user: "en")
    services.comment_create(agenda=agenda, actor=bob, body="@victor kijk je even?")
    tasks.send_event_deliveries(Delivery.objects.get().event_id)
    [message] = mail.outbox
    assert f"Bob mentioned you in a comment on “{agenda.title}”." in message.body
    assert f"https://kansenagenda.example/agendas/{agenda.pk}/#reacties" in message.body


@pytest.mark.django_db
def test_a_title_with_a_line_break_cannot_break_the_subject(alice, bob):
    event = record_event(actor=alice, verb="review.assigned", data={"title": "Een\r\nBcc: x@example.org"})
    notify(event=event, recipients=[bob])
    tasks.send_event_deliveries(event.pk)
    [message] = mail.outbox
    assert "\n" not in message.subject and "\r" not in message.subject
    assert Delivery.objects.get().status == Delivery.Status.SENT


# --- the sweep ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sweep_sends_deliveries_whose_task_was_lost(alice, bob, victor, eager):
    lost = assigned(alice, bob)
    Delivery.objects.filter(event=lost).update(created_at=timezone.now() - datetime.timedelta(minutes=5))
    fresh = assigned(alice, victor)  # its own task is probably still on the way

    assert tasks.sweep_deliveries() == 1  # one task sent again (run in place here), for the lost event
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]
    assert Delivery.objects.get(event=lost).status == Delivery.Status.SENT
    assert Delivery.objects.get(event=fresh).status == Delivery.Status.PENDING
    assert tasks.sweep_deliveries() == 0  # and once more: nothing new
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_sweep_never_resends_a_row_stuck_in_sending(alice, bob, eager):
    event = assigned(alice, bob)
    long_ago = timezone.now() - datetime.timedelta(days=1)
    Delivery.objects.filter(event=event).update(status="sending", claimed_at=long_ago, created_at=long_ago)
    assert tasks.sweep_deliveries() == 0
    assert mail.outbox == []


def test_beat_runs_the_sweep_and_the_reminders(settings):
    tasks_by_name = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"core.tasks.sweep_background_work", "reviews.reminders.send_review_reminders_task"} <= (tasks_by_name)
    app.loader.import_default_modules()
    assert {"core.tasks.sweep_background_work", "reviews.reminders.send_review_reminders_task"} <= set(app.tasks)
    # The e-mail's part of that one sweep.
    assert background.registered_sweeps()["activity.deliveries"] is tasks.sweep_deliveries


# --- wording and links of the review events ---------------------------------------------------


def _path(name: str, pk: int) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return reverse("home")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("verb", "sentence"),
    [
        ("submission.submit", "Alice heeft “Kansen voor Oost-Groningen” ingediend voor beoordeling."),
        ("submission.start_review", "De beoordeling van “Kansen voor Oost-Groningen” is begonnen."),
        ("submission.withdraw", "Alice heeft de indiening van “Kansen voor Oost-Groningen” ingetrokken."),
        ("submission.advise", "Er is advies uitgebracht over “Kansen voor Oost-Groningen”."),
        ("submission.return_for_revision", "“Kansen voor Oost-Groningen” is teruggestuurd voor herziening."),
        (
            "review.assigned",
            "U bent uitgenodigd om “Kansen voor Oost-Groningen” te beoordelen, uiterlijk 1 maart 2027.",
        ),
        (
            "review.extended",
            "De termijn van uw beoordeling van “Kansen voor Oost-Groningen” is verlengd tot 1 maart 2027.",
        ),
        ("review.declined", "Alice heeft de uitnodiging om “Kansen voor Oost-Groningen” te beoordelen afgewezen."),
        ("review.submitted", "Alice heeft een beoordeling van “Kansen voor Oost-Groningen” ingediend."),
    ],
)
def test_review_events_are_described_in_dutch_and_link_to_their_page(alice, verb, sentence):
    data = {"submission_id": 7, "assignment_id": 9, "title": "Kansen voor Oost-Groningen", "due_date": "2027-03-01"}
    event = record_event(actor=alice, verb=verb, data=data)
    assert notifications.describe(event) == sentence
    expected = _path("reviews:submission", 7) if verb.startswith("submission.") else _path("reviews:assignment", 9)
    assert notifications.link(event) == expected


@pytest.mark.django_db
def test_every_choosable_verb_has_its_own_sentence(alice):
    data = {"submission_id": 7, "assignment_id": 9, "title": "T", "due_date": "2027-03-01", "agenda_id": 1}
    for verb in registry.email_defaults():
        sentence = notifications.describe(record_event(actor=alice, verb=verb, data=data))
        assert verb not in sentence, verb


@pytest.mark.django_db
def test_an_endorsement_links_to_the_agenda(alice):
    event = record_event(
        actor=alice, verb="endorsement.given", data={"agenda_id": 3, "organisation": "Gemeente Emmen", "revision": 12}
    )
    assert notifications.describe(event) == "Alice stemt namens Gemeente Emmen in met revisie 12 van de agenda."
    assert notifications.link(event) == "/agendas/3/"


# --- who sees which notification in the app ------------------------------------------------------


@pytest.mark.django_db
def test_a_reviewer_outside_the_coalition_sees_submission_events_but_no_draft_events(coalition, alice):
    reviewer = make_user("rita", role="reviewer")
    about_submission = record_event(
        actor=alice, verb="submission.submit", coalition_id=coalition.pk, data={"submission_id": 7, "title": "T"}
    )
    about_draft = record_event(
        actor=alice, verb="comment.mentioned", coalition_id=coalition.pk, data={"where": "Concept"}
    )
    about_other_draft = record_event(actor=alice, verb="agenda.updated", coalition_id=coalition.pk, data={})
    for event in (about_submission, about_draft, about_other_draft):
        Notification.objects.create(recipient=reviewer, event=event)

    assert [n.event for n in notifications_for(reviewer)] == [about_submission]
    assert unread_notification_count(reviewer) == 1


# --- the preferences page ------------------------------------------------------------------------


def checked(content: str) -> set[str]:
    return set(re.findall(r'<input type="checkbox" name="\w+" value="([\w.]+)"[^>]*checked', content))


@pytest.mark.django_db
def test_the_preferences_page_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get("/meldingen/voorkeuren/")
    assert response.status_code == 302 and response.url == "/account/login/?next=/meldingen/voorkeuren/"
    response = client.post("/meldingen/voorkeuren/", {"samenwerking": ["comment.mentioned"]})
    assert response.status_code == 302 and response.url.startswith("/account/login/")
    assert not NotificationPreference.objects.exists()


@pytest.mark.django_db
def test_the_preferences_page_shows_the_choices_grouped_with_the_defaults(client, bob):
    NotificationPreference.objects.create(user=bob, verb="review.reminder", email=False)
    client.force_login(bob)
    response = client.get("/meldingen/voorkeuren/")
    assert response.status_code == 200
    content = response.content.decode()
    legends = re.findall(r"<legend[^>]*>([^<]*)</legend>", content)
    assert legends == [
        "Beoordeling",
        "Financiering",
        "Signalen aan het Rijk",
        "Regiotoets van rijksbesluiten",
        "Samenwerking",
        "Uitnodigingen",
    ]
    assert '<label class="utrecht-form-label utrecht-form-label--checkbox" for="id_samenwerking_0">' in content
    assert escape("Iemand noemt u in een reactie") in content
    assert checked(content) == {verb for verb, on in registry.email_defaults().items() if on} - {"review.reminder"}
    assert "bob@example.org" in content
    assert 'name="csrfmiddlewaretoken"' in content


@pytest.mark.django_db
def test_saving_preferences_stores_every_choice_and_notify_follows_them(client, alice, bob):
    client.force_login(bob)
    response = client.post(
        "/meldingen/voorkeuren/", {"beoordeling": ["review.reminder"], "samenwerking": ["endorsement.given"]}
    )
    assert response.status_code == 302 and response.url == "/meldingen/voorkeuren/"
    saved = dict(NotificationPreference.objects.filter(user=bob).values_list("verb", "email"))
    assert saved == {verb: verb in {"review.reminder", "endorsement.given"} for verb in registry.email_defaults()}
    content = client.get(response.url).content.decode()
    assert "Uw meldingsvoorkeuren zijn opgeslagen." in content
    assert checked(content) == {"review.reminder", "endorsement.given"}

    assigned(alice, bob)  # review.assigned: now off for bob
    assert not Delivery.objects.exists()

    client.post("/meldingen/voorkeuren/", {})  # everything off, saved over the earlier choice
    assert not NotificationPreference.objects.filter(user=bob, email=True).exists()
    assert NotificationPreference.objects.filter(user=bob).count() == len(registry.email_defaults())


@pytest.mark.django_db
def test_an_unknown_choice_is_refused_inline_and_nothing_is_saved(client, bob):
    client.force_login(bob)
    response = client.post(
        "/meldingen/voorkeuren/", {"beoordeling": ["review.reminder", "comment.mentioned"], "samenwerking": ["x"]}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert 'class="utrecht-form-fieldset utrecht-form-fieldset--invalid"' in content
    assert "Fout: Selecteer een geldige keuze. comment.mentioned is geen beschikbare keuze." in text(content)
    assert 'aria-describedby="id_beoordeling_helptext id_beoordeling_error"' in content
    assert "Controleer de gemarkeerde velden." in content
    assert not NotificationPreference.objects.exists()


@pytest.mark.django_db
def test_the_preferences_form_needs_its_csrf_token(bob):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)
    assert client.post("/meldingen/voorkeuren/", {"samenwerking": ["comment.mentioned"]}).status_code == 403
    assert not NotificationPreference.objects.exists()


@pytest.mark.django_db
def test_other_methods_are_not_allowed(client, bob):
    client.force_login(bob)
    assert client.put("/meldingen/voorkeuren/").status_code == 405


@pytest.mark.django_db
def test_the_notification_list_links_to_the_preferences(client, bob):
    client.force_login(bob)
    assert 'href="/meldingen/voorkeuren/"' in client.get("/meldingen/").content.decode()
