"""The review pages: the agenda's submit panel, rounds, the chair's submission page, a reviewer's page, advice."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agendas.models import Agenda
from coalitions.models import Affiliation
from reviews import services, workflow
from reviews.models import Assignment, Criterion, ReviewRound, Submission
from tests.reviews.factories import complete_agenda, endorse_all, freeze, full_scores, make_round, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_review(coalition, alice, chair, reviewers, review_round):
    agenda = complete_agenda(coalition, alice)
    submission = submit(agenda, alice, review_round)
    for reviewer in reviewers[:2]:
        services.assignment_create(actor=chair, submission_id=submission.pk, reviewer_id=reviewer.pk)
    workflow.transition(agenda_id=agenda.pk, action="start_review", actor=chair)
    return submission


def accept(submission, reviewer):
    assignment = submission.assignments.get(reviewer=reviewer)
    services.assignment_respond(actor=reviewer, assignment_id=assignment.pk, accept=True, no_conflict=True)
    return assignment


def test_the_coordinator_endorses_and_submits_from_the_agenda_page(client, coalition, alice, review_round):
    agenda = complete_agenda(coalition, alice)
    client.force_login(alice)
    page = client.get(reverse("agendas:detail", args=[agenda.pk]))
    assert "Instemming en indienen" in page.content.decode()
    organisation = alice.coalition_memberships.get().organisation
    response = client.post(reverse("reviews:endorse", args=[agenda.pk]), {"organisation": organisation.pk})
    assert response.status_code == 302
    assert agenda.endorsements.filter(organisation=organisation).exists()

    # Not everybody agreed yet: the submit is refused with the names, nothing changes.
    response = client.post(reverse("reviews:transition", args=[agenda.pk, "submit"]), {"action": "submit"}, follow=True)
    assert "Nog niet onderschreven" in response.content.decode()
    assert not Submission.objects.exists()

    endorse_all(agenda)
    url = reverse("reviews:transition", args=[agenda.pk, "submit"])
    # First the page that says what submitting means; only its button submits.
    response = client.post(url, {"action": "submit"})
    assert response.status_code == 200
    assert "Agenda indienen?" in response.content.decode()
    assert not Submission.objects.exists()
    response = client.post(url, {"action": "submit", "confirmed": "1"})
    assert response.status_code == 302
    agenda.refresh_from_db()
    assert agenda.status == Agenda.Status.SUBMITTED
    page = client.get(reverse("agendas:detail", args=[agenda.pk])).content.decode()
    assert "Indiening 1" in page
    assert "Indiening intrekken" in page


def test_a_step_not_allowed_from_the_state_is_a_409_page_listing_what_is_allowed(client, coalition, alice, chair):
    agenda = complete_agenda(coalition, alice)
    client.force_login(alice)
    response = client.post(reverse("reviews:transition", args=[agenda.pk, "withdraw"]), {"action": "withdraw"})
    assert response.status_code == 409
    assert "Indienen" in response.content.decode()
    agenda.refresh_from_db()
    assert agenda.status == Agenda.Status.DRAFT


def test_an_editor_cannot_submit(client, coalition, alice, bob, review_round):
    agenda = complete_agenda(coalition, alice)
    endorse_all(agenda)
    client.force_login(bob)
    response = client.post(reverse("reviews:transition", args=[agenda.pk, "submit"]), {"action": "submit"})
    assert response.status_code == 403
    assert not Submission.objects.exists()


def test_a_chair_opens_a_round_with_a_rubric_and_bad_input_is_shown_inline(client, chair):
    client.force_login(chair)
    assert client.get(reverse("reviews:round-create")).status_code == 200
    today = timezone.localdate()
    data = {
        "name": "Ronde 2030",
        "programme_name": "Regiodeals",
        "programme_start_year": "2030",
        "programme_end_year": "2029",
        "submission_deadline": (today + datetime.timedelta(days=10)).isoformat(),
        "review_deadline": (today + datetime.timedelta(days=5)).isoformat(),
        "use-theme-gezondheid": "on",
        "weight-theme-gezondheid": "0",
        "use-feasibility": "on",
        "weight-feasibility": "20",
    }
    response = client.post(reverse("reviews:round-create"), data)
    assert response.status_code == 400
    content = response.content.decode()
    assert "Er is nog iets niet goed" in content
    assert not ReviewRound.objects.exists()

    data.update({"programme_end_year": "2036", "weight-theme-gezondheid": "30"})
    response = client.post(reverse("reviews:round-create"), data)
    assert response.status_code == 400
    assert "De beoordelingsdatum ligt voor de uiterste indiendatum." in response.content.decode()

    data["review_deadline"] = (today + datetime.timedelta(days=40)).isoformat()
    response = client.post(reverse("reviews:round-create"), data)
    assert response.status_code == 302
    review_round = ReviewRound.objects.get()
    assert [(c.code, c.weight) for c in review_round.criteria.all()] == [
        ("theme-gezondheid", 30),
        ("feasibility", 20),
    ]


def test_only_chairs_open_rounds(client, alice, reviewers):
    for user in (alice, reviewers[0]):
        client.force_login(user)
        assert client.get(reverse("reviews:round-create")).status_code == 403


def test_the_chair_sees_conflicted_reviewers_and_cannot_assign_them(client, coalition, alice, chair, reviewers):
    make_round(chair)
    agenda = complete_agenda(coalition, alice)
    submission = submit(agenda, alice)
    tied = reviewers[2]
    Affiliation.objects.create(
        user=tied, organisation=coalition.organisations.first(), start_date=datetime.date(2020, 1, 1)
    )
    client.force_login(chair)
    page = client.get(reverse("reviews:submission", args=[submission.pk])).content.decode()
    assert "Niet beschikbaar wegens een belangenconflict" in page
    assert f"{tied.display_name}: werkt bij" in page
    response = client.post(reverse("reviews:assign", args=[submission.pk]), {"reviewer": tied.pk}, follow=True)
    assert "kan deze agenda niet beoordelen" in response.content.decode()
    assert not Assignment.objects.exists()
    client.post(reverse("reviews:assign", args=[submission.pk]), {"reviewer": reviewers[0].pk})
    assert Assignment.objects.get().reviewer == reviewers[0]


def test_a_past_affiliation_ties_for_two_years_only(coalition, alice, chair, reviewers):
    from reviews.conflicts import conflicts

    make_round(chair)
    submission = submit(complete_agenda(coalition, alice), alice)
    organisation = coalition.organisations.first()
    today = timezone.localdate()
    Affiliation.objects.create(
        user=reviewers[0],
        organisation=organisation,
        start_date=datetime.date(2010, 1, 1),
        end_date=today.replace(year=today.year - 1),
    )
    Affiliation.objects.create(
        user=reviewers[1],
        organisation=organisation,
        start_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2015, 1, 1),
    )
    found = conflicts(submission, reviewers)
    assert list(found) == [reviewers[0].pk]
    assert conflicts(submission, [alice])[alice.pk] == ["is lid van de coalitie"]


def test_a_reviewer_must_declare_no_conflict_to_accept(client, in_review, reviewers):
    assignment = in_review.assignments.get(reviewer=reviewers[0])
    client.force_login(reviewers[0])
    url = reverse("reviews:assignment", args=[assignment.pk])
    response = client.post(url, {"form": "respond", "decision": "accept"})
    assert response.status_code == 400
    assert "Verklaar dat u geen belangenconflict heeft" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.INVITED
    response = client.post(url, {"form": "respond", "decision": "decline"})
    assert "Geef een reden waarom u afwijst." in response.content.decode()
    assert client.post(url, {"form": "respond", "decision": "accept", "no_conflict": "on"}).status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.ACCEPTED
    assert assignment.no_conflict_declared_at is not None


def _review_post(submission, scores, *, submit=True, motivation=""):
    data = {"form": "review", "summary": "Samen sterk."}
    for criterion in submission.round.criteria.all():
        data[f"score_{criterion.pk}"] = str(scores)
        data[f"motivation_{criterion.pk}"] = motivation
    if submit:
        data["submit"] = "1"
        data["confirmed"] = "1"  # as from the button of the confirmation page
    return data


def test_scoring_rules_and_locking_on_the_reviewer_page(client, in_review, reviewers):
    assignment = accept(in_review, reviewers[0])
    client.force_login(reviewers[0])
    url = reverse("reviews:assignment", args=[assignment.pk])
    response = client.post(url, _review_post(in_review, 2))
    assert response.status_code == 400
    assert "Motiveer een score van 1 of 2" in response.content.decode()
    response = client.post(url, _review_post(in_review, 7))
    assert response.status_code == 400
    assert not assignment.scores.exists()

    assert client.post(url, _review_post(in_review, 2, motivation="Te weinig focus.")).status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.SUBMITTED
    assert sorted(set(assignment.scores.values_list("score", flat=True))) == [2]

    # Locked: another save is refused and changes nothing.
    response = client.post(url, _review_post(in_review, 5))
    assert response.status_code == 400
    assert "vergrendeld" in response.content.decode()
    assert sorted(set(assignment.scores.values_list("score", flat=True))) == [2]


def test_blind_until_submitted(client, in_review, reviewers):
    first, second = accept(in_review, reviewers[0]), accept(in_review, reviewers[1])
    services.review_save(
        actor=reviewers[1], assignment_id=second.pk, scores=full_scores(in_review, 5), summary="Uitstekend", submit=True
    )
    client.force_login(reviewers[0])
    page = client.get(reverse("reviews:assignment", args=[first.pk])).content.decode()
    assert "Uitstekend" not in page
    assert "pas als u uw eigen beoordeling heeft ingediend" in page
    # Somebody else's assignment does not exist for this reviewer.
    assert client.get(reverse("reviews:assignment", args=[second.pk])).status_code == 404

    services.review_save(actor=reviewers[0], assignment_id=first.pk, scores=full_scores(in_review, 3), submit=True)
    page = client.get(reverse("reviews:assignment", args=[first.pk])).content.decode()
    assert "Uitstekend" in page
    # Each reviewer's number on the submission, in the order they accepted (selectors.reviewer_numbers).
    assert "Beoordelaar 2" in page
    assert reviewers[1].display_name not in page


def test_a_review_after_the_deadline_is_refused_until_the_chair_extends(client, in_review, chair, reviewers):
    assignment = accept(in_review, reviewers[0])
    Assignment.objects.filter(pk=assignment.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(reviewers[0])
    url = reverse("reviews:assignment", args=[assignment.pk])
    response = client.post(url, _review_post(in_review, 4))
    assert response.status_code == 400
    assert "verlopen" in response.content.decode()
    assert not assignment.scores.exists()

    client.force_login(chair)
    new_date = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    client.post(reverse("reviews:assignment-extend", args=[assignment.pk]), {"due_date": new_date})
    client.force_login(reviewers[0])
    assert client.post(url, _review_post(in_review, 4)).status_code == 302


def test_only_the_chair_reopens_a_submitted_review(client, in_review, chair, reviewers):
    assignment = accept(in_review, reviewers[0])
    services.review_save(actor=reviewers[0], assignment_id=assignment.pk, scores=full_scores(in_review), submit=True)
    client.force_login(reviewers[0])
    assert client.post(reverse("reviews:assignment-reopen", args=[assignment.pk]), {"reason": "x"}).status_code == 403
    client.force_login(chair)
    client.post(reverse("reviews:assignment-reopen", args=[assignment.pk]), {"reason": "Score 3 klopt niet"})
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.ACCEPTED
    from activity.models import Event

    event = Event.objects.get(verb="review.reopened")
    assert (event.actor, event.data["reason"], event.coalition_id) == (chair, "Score 3 klopt niet", None)


def test_the_chair_publishes_advice_and_the_coalition_sees_it_without_reviewer_names(
    client, in_review, chair, reviewers, alice, victor
):
    assignment = accept(in_review, reviewers[0])
    services.review_save(actor=reviewers[0], assignment_id=assignment.pk, scores=full_scores(in_review), submit=True)
    client.force_login(chair)
    url = reverse("reviews:advice", args=[in_review.pk])
    response = client.post(url, {"outcome": "conditional", "rationale": "Goed plan."})
    assert response.status_code == 400
    assert "Noem de voorwaarden." in response.content.decode()
    client.post(url, {"outcome": "conditional", "rationale": "Goed plan.", "conditions": "Jaarlijkse rapportage."})

    # A draft advice is not visible to the coalition.
    client.force_login(victor)
    page = client.get(reverse("reviews:submission", args=[in_review.pk])).content.decode()
    assert "Goed plan." not in page

    client.force_login(chair)
    assert client.post(reverse("reviews:advice-publish", args=[in_review.pk]), {"confirmed": "1"}).status_code == 302
    in_review.refresh_from_db()
    assert in_review.status == Submission.Status.ADVISED

    for member in (alice, victor):
        client.force_login(member)
        page = client.get(reverse("reviews:submission", args=[in_review.pk])).content.decode()
        assert "Goed plan." in page and "Jaarlijkse rapportage." in page
        for reviewer in reviewers:
            assert reviewer.display_name not in page
            assert reviewer.username not in page


def test_who_sees_a_submission(client, in_review, charlie, reviewers, official):
    url = reverse("reviews:submission", args=[in_review.pk])
    assert client.get(url).status_code == 404  # anonymous, no published advice
    client.force_login(charlie)
    assert client.get(url).status_code == 404
    client.force_login(reviewers[2])  # in the pool, not invited
    assert client.get(url).status_code == 404
    for user in (reviewers[0], official):
        client.force_login(user)
        assert client.get(url).status_code == 200


def test_published_advice_in_a_public_round_is_public(client, coalition, alice, chair, reviewers):
    private = make_round(chair, name="Besloten", is_public=False)
    submission = freeze(complete_agenda(coalition, alice), private)
    Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.ADVISED)
    from reviews.models import Advice

    Advice.objects.create(submission=submission, outcome="positive", rationale="Prima.", published_at=timezone.now())
    url = reverse("reviews:submission", args=[submission.pk])
    assert client.get(url).status_code == 404
    ReviewRound.objects.filter(pk=private.pk).update(is_public=True)
    response = client.get(url)
    assert response.status_code == 200
    assert "Prima." in response.content.decode()
    listing = client.get(reverse("reviews:public-advice")).content.decode()
    assert submission.snapshot["title"] in listing


def test_the_public_advice_list_is_paged(client, coalition, alice, chair, monkeypatch):
    from reviews import views
    from reviews.models import Advice

    public = make_round(chair, name="Openbaar")
    older, newer = (freeze(complete_agenda(coalition, alice), public) for _ in range(2))
    for n, submission in enumerate((older, newer)):
        Advice.objects.create(
            submission=submission,
            outcome="positive",
            rationale="Prima.",
            published_at=timezone.now() + datetime.timedelta(minutes=n),
        )
    monkeypatch.setattr(views, "PUBLIC_ADVICE_PER_PAGE", 1)
    url = reverse("reviews:public-advice")
    first = client.get(url).content.decode()
    assert f"/toetsing/indieningen/{newer.pk}/" in first and f"/toetsing/indieningen/{older.pk}/" not in first
    second = client.get(url, {"page": 2}).content.decode()
    assert f"/toetsing/indieningen/{older.pk}/" in second and f"/toetsing/indieningen/{newer.pk}/" not in second


def test_the_round_overview_has_a_constant_number_of_queries(client, coalition, alice, chair, review_round):
    agenda = complete_agenda(coalition, alice)
    client.force_login(chair)
    url = reverse("reviews:round", args=[review_round.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    freeze(agenda, review_round)
    one = count()
    for _ in range(4):
        Agenda.objects.filter(pk=agenda.pk).update(status=Agenda.Status.DRAFT)
        Submission.objects.filter(agenda=agenda).update(status=Submission.Status.WITHDRAWN)
        freeze(agenda, review_round)
    assert Submission.objects.filter(round=review_round).count() == 5
    assert count() == one


def test_criteria_are_stored_in_dutch_and_english_whatever_the_chair_s_language(chair):
    from django.utils import translation

    with translation.override("en"):
        review_round = services.round_create(
            actor=chair,
            name="R",
            programme_name="P",
            programme_start_year=2027,
            programme_end_year=2030,
            submission_deadline=timezone.localdate(),
            review_deadline=timezone.localdate(),
            is_public=True,
            criteria=[services.CriterionInput("feasibility", 10), services.CriterionInput("theme-gezondheid", 10)],
        )
    feasibility, health = Criterion.objects.filter(round=review_round).order_by("position")
    assert (feasibility.title, feasibility.title_en) == ("Uitvoerbaarheid", "Feasibility")
    assert feasibility.description.startswith("Zijn planning") and feasibility.description_en.startswith("Are the")
    assert (health.title, health.title_en) == ("Gezondheid", "Health")
    assert health.description_en == "Does the agenda contribute to this broad welfare theme in the region?"


def test_a_chair_cannot_probe_drafts_that_were_never_submitted(client, coalition, alice, chair):
    agenda = complete_agenda(coalition, alice)
    client.force_login(chair)
    response = client.post(reverse("reviews:transition", args=[agenda.pk, "start_review"]), {"action": "start_review"})
    assert response.status_code == 404


def test_the_back_link_never_leaves_the_site(client, coalition, alice):
    agenda = complete_agenda(coalition, alice)
    client.force_login(alice)
    for target in ("/\\evil.example", "//evil.example", "https://evil.example/"):
        response = client.post(
            reverse("reviews:transition", args=[agenda.pk, "withdraw"]), {"action": "withdraw", "next": target}
        )
        assert response.status_code == 409
        assert "evil.example" not in response.content.decode()


def test_closing_an_unknown_round_is_a_404(client, chair):
    client.force_login(chair)
    assert client.post(reverse("reviews:round-close", args=[987654])).status_code == 404


def test_published_advice_freezes_the_current_scores_even_before_any_job_ran(in_review, chair, reviewers):
    from reviews.models import EvidenceScore, ScoreAggregate

    assignment = accept(in_review, reviewers[0])
    services.review_save(actor=reviewers[0], assignment_id=assignment.pk, scores=full_scores(in_review, 3), submit=True)
    # No worker ran: nothing is stored yet.
    assert not ScoreAggregate.objects.exists() and not EvidenceScore.objects.exists()
    services.advice_save(actor=chair, submission_id=in_review.pk, outcome="negative", rationale="Te smal.")
    services.advice_publish(actor=chair, submission_id=in_review.pk)
    advice = in_review.advice
    advice.refresh_from_db()
    assert advice.aggregate["review_count"] == 1
    assert advice.aggregate["weighted_total"] == "3.00"
    assert advice.evidence["model_version"] == "evidence-2"
