"""Questions of the review to the coalition (reviews.questions): the rules, the pages, who reads what, queries.

The people: alice coordinates the coalition, bob edits, victor views, charlie is
an outsider; reviewers[0] and [1] review the submission (they accepted in that
order: Beoordelaar 1 and 2), reviewers[2] reviews another coalition's
submission only.
"""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from activity.models import Delivery, Event, Notification
from activity.notifications import describe, render_email
from core.worklist import tasks_for
from reviews import attachments, questions, selectors, services
from reviews.models import Question, Submission
from tests.factories import make_coalition, make_user
from tests.helpers import assert_counts, measure
from tests.reviews.factories import (
    answer,
    ask,
    full_scores,
    in_review_with,
    make_round,
    propose,
    upload,
    zip_package,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def submission(coalition, alice, chair, reviewers, review_round):
    return in_review_with(coalition, alice, chair, reviewers[:2], review_round)


@pytest.fixture
def other_submission(chair, reviewers, review_round):
    """Another coalition's submission in review, reviewed by reviewers[2] only."""
    coordinator = make_user("olga")
    coalition = make_coalition(coordinator=coordinator, slug="elders", region_code="CR02")
    return in_review_with(coalition, coordinator, chair, reviewers[2:], review_round)


def page(client, user, url) -> tuple[int, str]:
    client.force_login(user)
    response = client.get(url)
    return response.status_code, response.content.decode()


# ------------------------------------------------------------------ the rules


def test_the_chair_asks_and_the_coordinator_answers(submission, chair, alice):
    question = ask(chair, submission, "Hoe is de zorg na 2034 geregeld?")
    assert (question.status, question.number, question.deadline) == ("open", 1, TODAY() + 7 * DAY)
    answered = answer(alice, question, "Zie het dekkingsplan.", attachment=upload())
    assert answered.status == Question.Status.ANSWERED
    assert answered.answered_by == alice
    assert answered.attachment_name == "toelichting.pdf"
    # Stored under a generated name, never the sender's.
    assert answered.attachment.name.startswith("questions/") and "toelichting" not in answered.attachment.name
    assert not answered.is_late(TODAY())


def test_an_editor_answers_too(submission, chair, bob):
    assert answer(bob, ask(chair, submission)).status == Question.Status.ANSWERED


def test_a_deadline_in_the_past_is_refused_and_nothing_changes(submission, chair):
    with pytest.raises(ValidationError) as refused:
        questions.question_ask(actor=chair, submission_id=submission.pk, text="Vraag", deadline=TODAY() - DAY)
    assert "deadline" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        questions.question_ask(actor=chair, submission_id=submission.pk, text="  ", deadline=None)
    assert set(refused.value.message_dict) == {"text", "deadline"}
    assert not Question.objects.exists()
    assert not Event.objects.filter(verb__startswith="question.").exists()


def test_today_is_a_valid_deadline(submission, chair):
    assert ask(chair, submission, days=0).deadline == TODAY()


def test_a_viewer_cannot_answer_and_nothing_changes(submission, chair, victor):
    question = ask(chair, submission)
    with pytest.raises(PermissionDenied):
        answer(victor, question)
    question.refresh_from_db()
    assert (question.status, question.answer) == ("open", "")


def test_nobody_outside_the_coalition_answers(submission, chair, charlie, reviewers):
    question = ask(chair, submission)
    for person in (charlie, reviewers[0], chair):
        with pytest.raises(PermissionDenied):
            answer(person, question)
    question.refresh_from_db()
    assert question.status == Question.Status.OPEN


def test_a_late_answer_is_taken_and_marked_late(submission, chair, alice):
    question = ask(chair, submission, days=0)
    Question.objects.filter(pk=question.pk).update(deadline=TODAY() - 2 * DAY)
    question.refresh_from_db()
    assert question.is_late(TODAY())
    answered = answer(alice, question)
    assert answered.status == Question.Status.ANSWERED
    assert answered.is_late(TODAY())
    assert selectors.questions_shown(chair, submission)[0].late


def test_a_question_is_answered_once(submission, chair, alice, bob):
    question = answer(alice, ask(chair, submission), "Eerste antwoord.")
    with pytest.raises(ValidationError) as refused:
        answer(bob, question, "Tweede antwoord.")
    assert "question" in refused.value.message_dict
    question.refresh_from_db()
    assert question.answer == "Eerste antwoord."


def test_empty_and_too_long_answers_are_refused(submission, chair, alice):
    question = ask(chair, submission)
    for text in ("", "   ", "x" * 10_001):
        with pytest.raises(ValidationError) as refused:
            answer(alice, question, text)
        assert "answer" in refused.value.message_dict
    question.refresh_from_db()
    assert question.status == Question.Status.OPEN


def test_proposals_get_a_number_only_when_sent(submission, chair, reviewers):
    first = propose(reviewers[0], submission, "Voorstel één")
    second = propose(reviewers[1], submission, "Voorstel twee")
    assert (first.status, first.number, first.deadline) == ("proposed", None, None)
    questions.question_dismiss(actor=chair, question_id=first.pk, reason="Staat al in de agenda.")
    asked = ask(chair, submission)
    sent = questions.question_ask(
        actor=chair, submission_id=submission.pk, deadline=TODAY() + DAY, proposed_question_id=second.pk
    )
    # No gaps for the coalition: the dismissed proposal has no number.
    assert (asked.number, sent.number, sent.text) == (1, 2, "Voorstel twee")
    first.refresh_from_db()
    assert (first.status, first.number, first.dismiss_reason) == ("dismissed", None, "Staat al in de agenda.")


def test_the_chair_may_rewrite_a_proposal_when_sending_it(submission, chair, reviewers):
    proposal = propose(reviewers[0], submission, "Wie betaalt?")
    sent = questions.question_ask(
        actor=chair,
        submission_id=submission.pk,
        text="Wie betaalt de leerwerkplekken na 2030?",
        deadline=TODAY() + DAY,
        proposed_question_id=proposal.pk,
    )
    assert sent.text == "Wie betaalt de leerwerkplekken na 2030?"


def test_steps_out_of_order_are_refused(submission, chair, reviewers, alice):
    proposal = propose(reviewers[0], submission)
    with pytest.raises(ValidationError):
        answer(alice, proposal)  # not sent yet
    asked = ask(chair, submission)
    for step in (
        lambda: questions.question_dismiss(actor=chair, question_id=asked.pk),
        lambda: questions.question_ask(
            actor=chair, submission_id=submission.pk, deadline=TODAY(), proposed_question_id=asked.pk
        ),
    ):
        with pytest.raises(ValidationError) as refused:
            step()
        assert "question" in refused.value.message_dict
    asked.refresh_from_db()
    assert (asked.status, asked.number) == ("open", 1)


def test_only_the_chair_asks_sends_and_dismisses(submission, reviewers, alice):
    proposal = propose(reviewers[0], submission)
    for person in (reviewers[0], alice):
        with pytest.raises(PermissionDenied):
            ask(person, submission)
        with pytest.raises(PermissionDenied):
            questions.question_dismiss(actor=person, question_id=proposal.pk)
    assert Question.objects.get().status == Question.Status.PROPOSED


def test_only_a_reviewer_who_accepted_proposes(submission, chair, reviewers, other_submission, alice):
    with pytest.raises(PermissionDenied):
        questions.question_propose(actor=reviewers[2], assignment_id=submission.assignments.first().pk, text="Mag ik?")
    invited = services.assignment_create(
        actor=chair, submission_id=submission.pk, reviewer_id=make_user("nieuw", role="reviewer").pk
    )
    with pytest.raises(ValidationError) as refused:
        questions.question_propose(actor=invited.reviewer, assignment_id=invited.pk, text="Mag ik?")
    assert "text" in refused.value.message_dict
    assert not Question.objects.exists()


def test_a_submission_out_of_review_refuses_every_step(submission, chair, reviewers, alice):
    open_question = ask(chair, submission)
    proposal = propose(reviewers[0], submission)
    for reviewer in reviewers[:2]:
        assignment = submission.assignments.get(reviewer=reviewer)
        services.review_save(actor=reviewer, assignment_id=assignment.pk, scores=full_scores(submission), submit=True)
    services.advice_save(actor=chair, submission_id=submission.pk, outcome="positive", rationale="Sterk.")
    services.advice_publish(actor=chair, submission_id=submission.pk)
    submission.refresh_from_db()
    assert submission.status == Submission.Status.ADVISED
    for step in (
        lambda: ask(chair, submission),
        lambda: propose(reviewers[0], submission),
        lambda: answer(alice, open_question),
        lambda: questions.question_dismiss(actor=chair, question_id=proposal.pk),
        lambda: questions.question_ask(
            actor=chair, submission_id=submission.pk, deadline=TODAY(), proposed_question_id=proposal.pk
        ),
    ):
        with pytest.raises(ValidationError) as refused:
            step()
        assert "submission" in refused.value.message_dict
    assert sorted(Question.objects.values_list("status", flat=True)) == ["open", "proposed"]


def test_a_submitted_agenda_may_be_asked_before_the_review_starts(coalition, alice, chair, review_round):
    from tests.reviews.factories import complete_agenda, submit

    submission = submit(complete_agenda(coalition, alice), alice, review_round)
    assert ask(chair, submission).status == Question.Status.OPEN


# ------------------------------------------------------------------ attachments


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plan.pdf", b"%PDF-1.7\n..."),
        ("plan.odt", zip_package({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})),
        ("plan.docx", zip_package({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"})),
        ("cijfers.xlsx", zip_package({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>"})),
        ("cijfers.csv", "jaar;bedrag\n2030;€ 100\n".encode()),
        ("cijfers.csv", "jaar;bedrag\r\n2030;€ 100\r\n".encode("cp1252")),
    ],
)
def test_the_kinds_of_attachment_accepted(name, content):
    assert attachments.attachment_errors(upload(name, content)) == []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plan.exe", b"MZ..."),
        ("plan.html", b"<script>alert(1)</script>"),
        ("plan.pdf", b"<html>not a pdf</html>"),
        ("plan.docx", b"%PDF-1.7 a pdf called docx"),
        ("plan.docx", zip_package({"xl/workbook.xml": b"<x/>"})),
        ("plan.odt", zip_package({"mimetype": b"application/zip"})),
        ("cijfers.csv", b"jaar;bedrag\x00\x01\x02"),
        ("leeg.pdf", b""),
    ],
)
def test_other_files_are_refused(name, content):
    assert attachments.attachment_errors(upload(name, content)) != []


def test_a_refused_attachment_changes_nothing(submission, chair, alice, monkeypatch):
    question = ask(chair, submission)
    with pytest.raises(ValidationError) as refused:
        answer(alice, question, attachment=upload("x.exe", b"MZ"))
    assert "attachment" in refused.value.message_dict
    monkeypatch.setattr(attachments, "MAX_BYTES", 10)
    with pytest.raises(ValidationError) as refused:
        answer(alice, question, attachment=upload())
    assert "groter dan" in str(refused.value)
    question.refresh_from_db()
    assert (question.status, question.attachment.name) == ("open", "")


def test_the_shown_name_is_safe():
    assert attachments.shown_name("../../etc/passwd.pdf") == "passwd.pdf"
    assert attachments.shown_name("Plan van aanpak (def).pdf") == "Plan_van_aanpak_def.pdf"
    assert len(attachments.shown_name("x" * 500 + ".pdf")) == 200


# ------------------------------------------------------------------ events: nobody learns who reviews


def test_events_tell_the_right_people_and_never_name_a_reviewer(submission, chair, alice, bob, victor, reviewers):
    reviewer = reviewers[0]
    proposal = propose(reviewer, submission, "Hoe werkt de samenwerking met Duitsland?")
    proposed = Event.objects.get(verb="question.proposed")
    assert set(Notification.objects.filter(event=proposed).values_list("recipient__username", flat=True)) == {"chair"}
    assert proposed.coalition_id is None  # never on the coalition's pages

    questions.question_ask(
        actor=chair, submission_id=submission.pk, deadline=TODAY() + 3 * DAY, proposed_question_id=proposal.pk
    )
    asked = Event.objects.get(verb="question.asked")
    told = set(Notification.objects.filter(event=asked).values_list("recipient__username", flat=True))
    # The coalition's writers, and the reviewer whose proposal it was; not the viewer.
    assert told == {"alice", "bob", reviewer.username}

    answer(alice, Question.objects.get(pk=proposal.pk))
    answered = Event.objects.get(verb="question.answered")
    told = set(Notification.objects.filter(event=answered).values_list("recipient__username", flat=True))
    assert told == {"chair", reviewers[0].username, reviewers[1].username}

    for delivery in Delivery.objects.filter(event__verb__startswith="question.", recipient__in=[alice, bob]):
        subject, body = render_email(delivery)
        for text in (subject, body, describe(delivery.event)):
            for name in (reviewer.display_name, reviewer.username, reviewer.email):
                assert name.lower() not in text.lower()
    assert "uiterlijk" in describe(asked)


def test_the_coalition_reads_beoordelaar_n_never_a_name(client, submission, chair, alice, victor, reviewers):
    reviewer = reviewers[1]
    proposal = propose(reviewer, submission, "Vraag van de tweede beoordelaar")
    questions.question_ask(
        actor=chair, submission_id=submission.pk, deadline=TODAY() + DAY, proposed_question_id=proposal.pk
    )
    urls = [
        reverse("agendas:detail", args=[submission.agenda_id]),
        reverse("reviews:submission", args=[submission.pk]),
        reverse("notifications:list"),
        reverse("tasks"),
    ]
    for person in (alice, victor):
        for url in urls:
            status, text = page(client, person, url)
            assert status == 200, url
            for name in (reviewer.display_name, reviewer.username):
                assert name not in text, (person, url)
        status, text = page(client, person, reverse("agendas:detail", args=[submission.agenda_id]))
        assert "Beoordelaar 2 vraagt" in text and "Vraag van de tweede beoordelaar" in text
    # The chair sees who it was.
    status, text = page(client, chair, reverse("reviews:submission", args=[submission.pk]))
    assert "Beoordelaar 2 vraagt" in text and reviewer.display_name in text


# ------------------------------------------------------------------ who reads what


def test_proposals_are_for_the_chair_and_the_proposer_only(submission, chair, alice, victor, reviewers):
    proposal = propose(reviewers[0], submission)
    sent = ask(chair, submission)
    dismissed = propose(reviewers[0], submission, "Nog een")
    questions.question_dismiss(actor=chair, question_id=dismissed.pk)

    def visible(person):
        return set(selectors.questions_visible_to(person, submission).values_list("pk", flat=True))

    assert visible(chair) == {proposal.pk, sent.pk, dismissed.pk}
    assert visible(reviewers[0]) == {proposal.pk, sent.pk, dismissed.pk}
    assert visible(reviewers[1]) == {sent.pk}
    assert visible(alice) == visible(victor) == {sent.pk}


def test_a_reviewer_of_another_submission_and_outsiders_see_nothing(
    client, submission, other_submission, chair, charlie, reviewers, alice
):
    question = answer(alice, ask(chair, submission, "Geheime vraag zeearend"), attachment=upload())
    for person in (reviewers[2], charlie, make_user("ambtenaar", role="rijk_official")):
        assert not selectors.questions_visible_to(person, submission).exists()
        client.force_login(person)
        for url in (
            reverse("reviews:question-attachment", args=[question.pk]),
            reverse("reviews:question", args=[question.pk]),
            reverse("reviews:question-answer", args=[question.pk]),
            reverse("reviews:question-send", args=[question.pk]),
        ):
            assert client.get(url).status_code == 404, (person, url)
        response = client.get(reverse("reviews:submission", args=[submission.pk]))
        assert "zeearend" not in response.content.decode()
    anonymous = Client()
    assert anonymous.get(reverse("reviews:question-attachment", args=[question.pk])).status_code == 404


def test_questions_are_public_only_with_published_advice_in_a_public_round(client, coalition, alice, bob, chair):
    reviewer = make_user("publiek-beoordelaar", role="reviewer")
    results = {}
    for is_public in (True, False):
        review_round = make_round(chair, name=f"Ronde {is_public}", is_public=is_public)
        agenda_coalition = (
            coalition if is_public else make_coalition(coordinator=bob, slug="besloten", region_code="CR03")
        )
        writer = alice if is_public else bob
        submission = in_review_with(agenda_coalition, writer, chair, [reviewer], review_round)
        sent = answer(writer, ask(chair, submission, f"Openbare vraag {is_public}"), attachment=upload())
        open_question = ask(chair, submission, f"Open vraag {is_public}")
        proposal = propose(reviewer, submission, f"Voorstel kwartel {is_public}")
        anonymous = Client()
        # Before the advice is published: nothing, in either round.
        assert not selectors.questions_visible_to(anonymous_user(), submission).exists()
        assert anonymous.get(reverse("reviews:question-attachment", args=[sent.pk])).status_code == 404
        assignment = submission.assignments.get()
        services.review_save(actor=reviewer, assignment_id=assignment.pk, scores=full_scores(submission), submit=True)
        services.advice_save(actor=chair, submission_id=submission.pk, outcome="positive", rationale="Goed.")
        services.advice_publish(actor=chair, submission_id=submission.pk)
        submission.refresh_from_db()
        results[is_public] = (submission, sent, open_question, proposal)

    submission, sent, open_question, proposal = results[True]
    assert set(selectors.questions_visible_to(anonymous_user(), submission)) == {sent, open_question}
    response = Client().get(reverse("reviews:submission", args=[submission.pk]))
    text = response.content.decode()
    assert "Openbare vraag True" in text and "Open vraag True" in text
    assert "Voorstel kwartel" not in text
    download = Client().get(reverse("reviews:question-attachment", args=[sent.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"%PDF-")

    submission, sent, _open, _proposal = results[False]
    assert not selectors.questions_visible_to(anonymous_user(), submission).exists()
    assert Client().get(reverse("reviews:question-attachment", args=[sent.pk])).status_code == 404
    assert Client().get(reverse("reviews:submission", args=[submission.pk])).status_code == 404


def anonymous_user():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


# ------------------------------------------------------------------ the permission matrix (pages)

PEOPLE = ["chair", "reviewer", "other_reviewer", "coordinator", "editor", "viewer", "outsider", "anonymous"]
# What each may do on the pages: read the questions on the submission page, ask, propose, answer, download.
# 404: may not know it exists; 403: may read but not do; 302: sent to log in.
MATRIX = {
    # who: (reads them on the submission page, ask, propose, answer, download)
    "chair": (True, 302, None, 403, 200),
    "reviewer": (True, 403, 302, 403, 200),
    "other_reviewer": (False, 404, None, 404, 404),
    "coordinator": (True, 403, None, 302, 200),
    "editor": (True, 403, None, 302, 200),
    "viewer": (True, 403, None, 403, 200),
    "outsider": (False, 404, None, 404, 404),
    "anonymous": (False, 302, None, 302, 404),
}


@pytest.mark.parametrize("who", PEOPLE)
def test_who_may_do_what_on_the_pages(
    client, who, submission, other_submission, chair, alice, bob, victor, charlie, reviewers
):
    people = {
        "chair": chair,
        "reviewer": reviewers[0],
        "other_reviewer": reviewers[2],
        "coordinator": alice,
        "editor": bob,
        "viewer": victor,
        "outsider": charlie,
        "anonymous": None,
    }
    person = people[who]
    read, may_ask, may_propose, may_answer, may_download = MATRIX[who]
    with_file = answer(alice, ask(chair, submission, "Vraag met bijlage"), attachment=upload())
    question = ask(chair, submission, "Open vraag reiger")
    if person is not None:
        client.force_login(person)

    response = client.get(reverse("reviews:submission", args=[submission.pk]))
    assert ("Open vraag reiger" in response.content.decode()) is read, response.status_code

    before = Question.objects.count()
    response = client.post(
        reverse("reviews:question-ask", args=[submission.pk]),
        {"ask-text": "Nieuwe vraag", "ask-deadline": (TODAY() + DAY).isoformat()},
    )
    assert response.status_code == may_ask
    assert Question.objects.count() == before + (1 if may_ask == 302 and who == "chair" else 0)

    if may_propose is not None:
        assignment = submission.assignments.get(reviewer=person)
        response = client.post(
            reverse("reviews:assignment", args=[assignment.pk]), {"form": "propose", "text": "Voorstel"}
        )
        assert response.status_code == may_propose
        assert Question.objects.filter(status="proposed").count() == 1

    response = client.post(
        reverse("reviews:question-answer", args=[question.pk]), {f"answer{question.pk}-answer": "Antwoord"}
    )
    assert response.status_code == may_answer
    question.refresh_from_db()
    answered_by_them = who in ("coordinator", "editor")
    assert question.status == ("answered" if answered_by_them else "open")
    if may_answer == 302 and who != "anonymous":
        assert response.url.endswith("#vragen")

    response = client.get(reverse("reviews:question-attachment", args=[with_file.pk]))
    assert response.status_code == may_download


# ------------------------------------------------------------------ the pages


def test_the_chair_asks_on_the_submission_page_and_a_bad_date_is_shown_inline(client, submission, chair):
    client.force_login(chair)
    text = client.get(reverse("reviews:submission", args=[submission.pk])).content.decode()
    assert "Vragen aan de coalitie" in text and 'name="ask-deadline"' in text
    url = reverse("reviews:question-ask", args=[submission.pk])
    response = client.post(url, {"ask-text": "Vraag", "ask-deadline": (TODAY() - DAY).isoformat()})
    assert response.status_code == 400
    assert "De datum voor het antwoord ligt in het verleden." in response.content.decode()
    response = client.post(url, {"ask-text": "", "ask-deadline": "geen datum"})
    assert response.status_code == 400
    assert not Question.objects.exists()
    response = client.post(url, {"ask-text": "Vraag <b>vet</b>", "ask-deadline": TODAY().isoformat()})
    assert response.status_code == 302
    text = client.get(reverse("reviews:submission", args=[submission.pk])).content.decode()
    assert "Vraag &lt;b&gt;vet&lt;/b&gt;" in text  # user text is escaped
    assert "De voorzitter vraagt" in text


def test_the_chair_sends_or_dismisses_a_proposal(client, submission, chair, reviewers):
    first, second = propose(reviewers[0], submission, "Eerste"), propose(reviewers[1], submission, "Tweede")
    client.force_login(chair)
    text = client.get(reverse("reviews:submission", args=[submission.pk])).content.decode()
    assert text.count("Voorgestelde vraag") >= 2
    response = client.post(
        reverse("reviews:question-send", args=[first.pk]),
        {f"send{first.pk}-text": "Eerste", f"send{first.pk}-deadline": ""},
    )
    assert response.status_code == 400  # no deadline: the form again with the error
    response = client.post(
        reverse("reviews:question-send", args=[first.pk]),
        {f"send{first.pk}-text": "Eerste", f"send{first.pk}-deadline": (TODAY() + DAY).isoformat()},
    )
    assert response.status_code == 302
    response = client.post(reverse("reviews:question-dismiss", args=[second.pk]), {f"dismiss{second.pk}-reason": ""})
    assert response.status_code == 302
    assert dict(Question.objects.values_list("text", "status")) == {"Eerste": "open", "Tweede": "dismissed"}


def test_a_late_answer_offers_the_chair_to_extend_the_reviewers(client, submission, chair, alice):
    question = ask(chair, submission, days=0)
    Question.objects.filter(pk=question.pk).update(deadline=TODAY() - DAY)
    answer(alice, Question.objects.get(pk=question.pk))
    status, text = page(client, chair, reverse("reviews:submission", args=[submission.pk]))
    assert "te laat beantwoord" in text
    assert 'href="#beoordelaars"' in text


def test_the_reviewer_reads_the_answers_beside_the_agenda_and_proposes(client, submission, chair, alice, reviewers):
    answer(alice, ask(chair, submission, "Hoe borgt u de zorg?"), "Met de zorgverzekeraar.", attachment=upload())
    assignment = submission.assignments.get(reviewer=reviewers[0])
    url = reverse("reviews:assignment", args=[assignment.pk])
    status, text = page(client, reviewers[0], url)
    agenda_column = text.split('id="agenda-column"')[1].split('id="review-column"')[0]
    assert "Hoe borgt u de zorg?" in agenda_column and "Met de zorgverzekeraar." in agenda_column
    assert "Bijlage: toelichting.pdf" in agenda_column
    assert "Vraag voorstellen" in agenda_column
    response = client.post(url, {"form": "propose", "text": ""})
    assert response.status_code == 400
    assert not Question.objects.filter(status="proposed").exists()
    response = client.post(url, {"form": "propose", "text": "Wat kost het?"})
    assert response.status_code == 302
    assert Question.objects.get(status="proposed").proposed_by_assignment == assignment


def test_the_coalition_answers_on_the_agenda_page(client, submission, chair, alice, victor):
    question = ask(chair, submission, "Welke partner draagt de maatregel?")
    url = reverse("agendas:detail", args=[submission.agenda_id])
    status, text = page(client, alice, url)
    assert "Vragen van de beoordeling" in text and f'name="answer{question.pk}-answer"' in text
    assert 'enctype="multipart/form-data"' in text
    status, text = page(client, victor, url)
    assert "Welke partner draagt de maatregel?" in text
    assert f'name="answer{question.pk}-answer"' not in text

    client.force_login(alice)
    answer_url = reverse("reviews:question-answer", args=[question.pk])
    prefix = f"answer{question.pk}"
    response = client.post(
        answer_url, {f"{prefix}-answer": "Zie bijlage", f"{prefix}-attachment": upload("x.exe", b"MZ")}
    )
    assert response.status_code == 400
    assert "Voeg een PDF-, ODT-, DOCX-, XLSX- of CSV-bestand toe." in response.content.decode()
    question.refresh_from_db()
    assert question.status == Question.Status.OPEN
    response = client.post(answer_url, {f"{prefix}-answer": "De provincie.", f"{prefix}-attachment": upload()})
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.status, question.answer, question.attachment_name) == (
        "answered",
        "De provincie.",
        "toelichting.pdf",
    )


def test_the_advice_form_lists_the_questions_and_answers(client, submission, chair, alice, reviewers):
    answer(alice, ask(chair, submission, "Vraag voor het advies"), "Antwoord voor het advies")
    propose(reviewers[0], submission, "Voorstel niet in het advies")
    status, text = page(client, chair, reverse("reviews:advice", args=[submission.pk]))
    assert "Vraag voor het advies" in text and "Antwoord voor het advies" in text
    assert "Voorstel niet in het advies" not in text


def test_a_notification_leads_each_reader_to_their_page(client, submission, chair, alice, reviewers):
    question = ask(chair, submission)
    url = reverse("reviews:question", args=[question.pk])
    assignment = submission.assignments.get(reviewer=reviewers[0])
    for person, target in (
        (chair, reverse("reviews:submission", args=[submission.pk]) + "#vragen"),
        (reviewers[0], reverse("reviews:assignment", args=[assignment.pk]) + "#vragen"),
        (alice, reverse("agendas:detail", args=[submission.agenda_id]) + f"#vraag-{question.pk}"),
    ):
        client.force_login(person)
        assert client.get(url).url == target


# ------------------------------------------------------------------ the task lists


def test_the_task_lists(submission, chair, alice, bob, victor, reviewers):
    question = ask(chair, submission, days=3)
    propose(reviewers[0], submission)
    for person in (alice, bob):
        tasks = [t for t in tasks_for(person) if t.kind == "question.answer"]
        assert [(t.due, t.url.endswith(f"#vraag-{question.pk}")) for t in tasks] == [(TODAY() + 3 * DAY, True)]
        assert "Beantwoord de vraag over" in tasks[0].title
    assert not [t for t in tasks_for(victor) if t.kind == "question.answer"]
    kinds = {t.kind for t in tasks_for(chair)}
    assert "question.send" in kinds and "question.late" not in kinds
    Question.objects.filter(pk=question.pk).update(deadline=TODAY() - DAY)
    late = [t for t in tasks_for(chair) if t.kind == "question.late"]
    assert [(t.due, t.overdue) for t in late] == [(TODAY() - DAY, True)]
    assert late[0].title.startswith("Antwoord te laat")
    assert late[0].url.endswith("#beoordelaars")
    answer(alice, Question.objects.get(pk=question.pk))
    assert not [t for t in tasks_for(alice) if t.kind == "question.answer"]


# ------------------------------------------------------------------ queries at two sizes


def grow_questions(submission, chair, alice, reviewers, n: int) -> None:
    """``n`` rounds of: an answered question with an attachment, an open one, a proposal."""
    for i in range(n):
        answer(alice, ask(chair, submission, f"Beantwoorde vraag {i}"), attachment=upload())
        ask(chair, submission, f"Open vraag {i}")
        propose(reviewers[i % 2], submission, f"Voorstel {i}")


def test_the_chair_s_submission_page_in_constant_queries(client, submission, chair, alice, reviewers):
    client.force_login(chair)
    url = reverse("reviews:submission", args=[submission.pk])
    grow_questions(submission, chair, alice, reviewers, 1)
    _response, small = measure(client, url)
    grow_questions(submission, chair, alice, reviewers, 4)
    response, large = measure(client, url)
    assert len(response.context["question_rows"]) == 15
    base = len(small)
    assert_counts(small, large, base)
    # The section's own: the questions, the reviewers' numbers, the reviewers' names (chair only).
    assert sum("reviews_question" in sql for sql in large) == 1


def test_the_review_form_in_constant_queries(client, submission, chair, alice, reviewers):
    assignment = submission.assignments.get(reviewer=reviewers[0])
    client.force_login(reviewers[0])
    url = reverse("reviews:assignment", args=[assignment.pk])
    grow_questions(submission, chair, alice, reviewers, 1)
    _response, small = measure(client, url)
    grow_questions(submission, chair, alice, reviewers, 4)
    response, large = measure(client, url)
    # Sent ones (10) and this reviewer's own proposals (3 of 5).
    assert len(response.context["question_rows"]) == 13
    assert_counts(small, large, len(small))


def test_the_agenda_panel_in_constant_queries(client, submission, chair, alice, reviewers):
    client.force_login(alice)
    url = reverse("agendas:detail", args=[submission.agenda_id])
    grow_questions(submission, chair, alice, reviewers, 1)
    _response, small = measure(client, url)
    grow_questions(submission, chair, alice, reviewers, 4)
    _response, large = measure(client, url)
    assert_counts(small, large, len(small))


def test_no_mail_goes_out_in_the_request(client, submission, chair):
    # Deliveries are sent by the worker after the commit; the page does not send mail itself.
    client.force_login(chair)
    client.post(
        reverse("reviews:question-ask", args=[submission.pk]),
        {"ask-text": "Vraag", "ask-deadline": TODAY().isoformat()},
    )
    assert mail.outbox == []
    assert Delivery.objects.filter(event__verb="question.asked").exists()
