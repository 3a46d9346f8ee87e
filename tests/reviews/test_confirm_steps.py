"""The review's irreversible steps ask first: submitting an agenda, submitting a review, publishing advice.

Without ``confirmed=1`` the page says what will happen and nothing changes (no row, no event, no
notification); with it the step happens. A refused step is refused as before, without a page.
"""

import pytest
from django.urls import reverse

from activity.models import Event, Notification
from agendas.models import Agenda
from reviews import services, workflow
from reviews.models import Advice, Assignment, Submission
from tests.reviews.factories import complete_agenda, endorse_all, full_scores, submit

pytestmark = pytest.mark.django_db


def nothing_happened_since(events: int, notifications: int) -> bool:
    return Event.objects.count() == events and Notification.objects.count() == notifications


@pytest.fixture
def in_review(coalition, alice, chair, reviewers, review_round):
    submission = submit(complete_agenda(coalition, alice), alice, review_round)
    services.assignment_create(actor=chair, submission_id=submission.pk, reviewer_id=reviewers[0].pk)
    workflow.transition(agenda_id=submission.agenda_id, action="start_review", actor=chair)
    assignment = submission.assignments.get()
    services.assignment_respond(actor=reviewers[0], assignment_id=assignment.pk, accept=True, no_conflict=True)
    return submission


def test_submitting_an_agenda_shows_what_will_happen_first(client, coalition, alice, review_round):
    agenda = complete_agenda(coalition, alice)
    endorse_all(agenda)
    agenda.refresh_from_db()
    counts = Event.objects.count(), Notification.objects.count()
    client.force_login(alice)
    url = reverse("reviews:transition", args=[agenda.pk, "submit"])

    response = client.post(url, {"action": "submit", "round": review_round.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"U dient ‘{agenda.title}’ (revisie {agenda.revision_count}) in bij {review_round.name}." in page
    assert "niet meer wijzigen tot het advies er is" in page
    organisation = alice.coalition_memberships.get().organisation
    assert f"{alice.display_name} ({organisation.name})" in page
    assert f'name="round" value="{review_round.pk}"' in page and 'name="confirmed" value="1"' in page
    assert f'href="{reverse("agendas:detail", args=[agenda.pk])}"' in page  # Terug
    agenda.refresh_from_db()
    assert agenda.status == Agenda.Status.DRAFT
    assert not Submission.objects.exists()
    assert nothing_happened_since(*counts)

    response = client.post(url, {"action": "submit", "round": review_round.pk, "confirmed": "1"})
    assert response.status_code == 302
    agenda.refresh_from_db()
    assert agenda.status == Agenda.Status.SUBMITTED
    assert Submission.objects.get().round == review_round


def test_a_refused_submit_shows_the_reasons_and_no_confirmation(client, coalition, alice, review_round):
    agenda = complete_agenda(coalition, alice)  # nobody endorsed it yet
    client.force_login(alice)
    response = client.post(reverse("reviews:transition", args=[agenda.pk, "submit"]), {"action": "submit"})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Nog niet onderschreven" in page and "Agenda indienen?" not in page
    assert not Submission.objects.exists()


def test_withdrawing_does_not_ask(client, coalition, alice, review_round):
    agenda = complete_agenda(coalition, alice)
    submit(agenda, alice, review_round)
    client.force_login(alice)
    response = client.post(reverse("reviews:transition", args=[agenda.pk, "withdraw"]), {"action": "withdraw"})
    assert response.status_code == 302
    agenda.refresh_from_db()
    assert agenda.status == Agenda.Status.DRAFT


def review_post(submission, score, **extra):
    data = {"form": "review", "summary": "Samen sterk.", **extra}
    for criterion in submission.round.criteria.all():
        data[f"score_{criterion.pk}"] = str(score)
        data[f"motivation_{criterion.pk}"] = "Mager." if score < 3 else ""
    return data


def test_submitting_a_review_shows_the_scores_first_and_back_keeps_them(client, in_review, reviewers):
    assignment = in_review.assignments.get()
    criteria = list(in_review.round.criteria.all())
    counts = Event.objects.count(), Notification.objects.count()
    client.force_login(reviewers[0])
    url = reverse("reviews:assignment", args=[assignment.pk])

    response = client.post(url, review_post(in_review, 2, submit=""))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"U dient uw beoordeling van ‘{in_review.title}’ in" in page
    assert criteria[0].title in page and "Mager." in page and "Samen sterk." in page
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.ACCEPTED
    assert not assignment.scores.exists()
    assert nothing_happened_since(*counts)

    # "Terug": the form again with the input, nothing saved.
    response = client.post(url, review_post(in_review, 2, submit="", confirmed="0"))
    assert response.status_code == 200
    assert "Beoordeling indienen" in response.content.decode() and "Mager." in response.content.decode()
    assert not assignment.scores.exists()

    response = client.post(url, review_post(in_review, 2, submit="", confirmed="1"))
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.SUBMITTED
    assert set(assignment.scores.values_list("score", flat=True)) == {2}


def test_a_review_with_errors_is_refused_inline_before_any_confirmation(client, in_review, reviewers):
    assignment = in_review.assignments.get()
    client.force_login(reviewers[0])
    data = review_post(in_review, 2, submit="")
    data[f"motivation_{in_review.round.criteria.first().pk}"] = ""
    response = client.post(reverse("reviews:assignment", args=[assignment.pk]), data)
    assert response.status_code == 400
    assert "Motiveer een score van 1 of 2" in response.content.decode()
    assert "Beoordeling indienen?" not in response.content.decode()


def test_saving_scores_in_between_does_not_ask(client, in_review, reviewers):
    assignment = in_review.assignments.get()
    client.force_login(reviewers[0])
    response = client.post(reverse("reviews:assignment", args=[assignment.pk]), review_post(in_review, 4, save=""))
    assert response.status_code == 302
    assert assignment.scores.count() == in_review.round.criteria.count()


def test_publishing_advice_shows_what_will_happen_first(client, in_review, chair, reviewers):
    assignment = in_review.assignments.get()
    services.review_save(actor=reviewers[0], assignment_id=assignment.pk, scores=full_scores(in_review), submit=True)
    services.advice_save(
        actor=chair, submission_id=in_review.pk, outcome="positive", rationale="Goed plan.", conditions=""
    )
    counts = Event.objects.count(), Notification.objects.count()
    client.force_login(chair)
    url = reverse("reviews:advice-publish", args=[in_review.pk])

    response = client.post(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"U publiceert het advies ‘Positief’ over ‘{in_review.title}’." in page
    assert "ambtenaren van het Rijk krijgen bericht" in page
    assert Advice.objects.get().published_at is None
    in_review.refresh_from_db()
    assert in_review.status == Submission.Status.IN_REVIEW
    assert nothing_happened_since(*counts)

    assert client.post(url, {"confirmed": "1"}).status_code == 302
    in_review.refresh_from_db()
    assert in_review.status == Submission.Status.ADVISED
    assert Advice.objects.get().published_at is not None
