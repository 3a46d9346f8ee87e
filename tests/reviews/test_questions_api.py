"""The questions to the coalition in the API: /api/v1/submissions/{id}/questions/ and /api/v1/questions/{id}/….

Who reads and does what (the same rule as the pages: selectors.questions_visible_to),
field errors with nothing changed, multipart answers with an attachment, the
answers against the published schema, and the list in constant queries.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from reviews import services
from reviews.models import Question
from tests.factories import make_coalition, make_user
from tests.helpers import assert_counts
from tests.reviews.factories import answer, ask, full_scores, in_review_with, make_round, propose, upload
from tests.schema_check import answer_errors

pytestmark = pytest.mark.django_db
API = "/api/v1"
TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def submission(coalition, alice, chair, reviewers, review_round):
    return in_review_with(coalition, alice, chair, reviewers[:2], review_round)


@pytest.fixture
def people(chair, reviewers, alice, bob, victor, charlie, submission, review_round):
    coordinator = make_user("olga")
    elsewhere = make_coalition(coordinator=coordinator, slug="elders", region_code="CR02")
    in_review_with(elsewhere, coordinator, chair, reviewers[2:], review_round)
    return {
        "chair": chair,
        "reviewer": reviewers[0],
        "other_reviewer": reviewers[2],
        "coordinator": alice,
        "editor": bob,
        "viewer": victor,
        "outsider": charlie,
        "anonymous": None,
    }


# What each may do through the API: list the questions, create one (chair: ask; reviewer: propose),
# answer, send a proposal, download an attachment.
MATRIX = {
    # who: (list, create, answer, send, download)
    "chair": (200, 201, 403, 200, 200),
    "reviewer": (200, 201, 403, 404, 200),  # another reviewer's proposal: not theirs to know of
    "other_reviewer": (404, 404, 404, 404, 404),
    "coordinator": (200, 403, 200, 404, 200),
    "editor": (200, 403, 200, 404, 200),
    "viewer": (200, 403, 403, 404, 200),
    "outsider": (404, 404, 404, 404, 404),
    "anonymous": (404, 401, 401, 401, 404),
}


@pytest.mark.parametrize("who", list(MATRIX))
def test_who_may_do_what(who, people, submission, chair, alice, reviewers):
    person = people[who]
    may_list, may_create, may_answer, may_send, may_download = MATRIX[who]
    with_file = answer(alice, ask(chair, submission, "Met bijlage"), attachment=upload())
    open_question = ask(chair, submission, "Open vraag")
    proposal = propose(reviewers[1], submission, "Voorstel van een ander")
    client = client_for(person)
    url = f"{API}/submissions/{submission.pk}/questions/"

    response = client.get(url)
    assert response.status_code == may_list
    if may_list == 200:
        texts = {row["text"] for row in response.json()}
        assert {"Met bijlage", "Open vraag"} <= texts
        # A proposal only for the chair (and its proposer, reviewers[1], who is not in this matrix).
        assert ("Voorstel van een ander" in texts) is (who == "chair")
        assert answer_errors("/api/v1/submissions/{id}/questions/", response.json()) == []

    before = Question.objects.count()
    response = client.post(url, {"text": "Nieuw", "deadline": (TODAY() + DAY).isoformat()}, format="json")
    if who == "reviewer":
        # A reviewer proposes: the deadline is the chair's.
        assert response.status_code == 400 and "deadline" in response.json()
        response = client.post(url, {"text": "Nieuw"}, format="json")
    assert response.status_code == may_create, response.content
    assert Question.objects.count() == before + (1 if may_create == 201 else 0)
    if may_create == 201:
        expected = "open" if who == "chair" else "proposed"
        assert response.json()["status"] == expected

    response = client.post(f"{API}/questions/{open_question.pk}/answer/", {"answer": "Zo."}, format="json")
    assert response.status_code == may_answer, response.content
    open_question.refresh_from_db()
    assert open_question.status == ("answered" if may_answer == 200 else "open")

    response = client.post(
        f"{API}/questions/{proposal.pk}/send/", {"deadline": (TODAY() + DAY).isoformat()}, format="json"
    )
    assert response.status_code == may_send, response.content
    proposal.refresh_from_db()
    assert proposal.status == ("open" if may_send == 200 else "proposed")

    response = client.get(f"{API}/questions/{with_file.pk}/attachment/")
    assert response.status_code == may_download
    if may_download == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_an_answer_with_an_attachment_by_multipart(submission, chair, alice):
    question = ask(chair, submission)
    client = client_for(alice)
    response = client.post(
        f"{API}/questions/{question.pk}/answer/",
        {"answer": "Zie het plan.", "attachment": upload("plan.pdf")},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["status"], data["attachment_name"]) == ("answered", "plan.pdf")
    assert data["attachment_url"] == f"{API}/questions/{question.pk}/attachment/"
    assert answer_errors("/api/v1/questions/{id}/answer/", data, method="post") == []
    download = client.get(data["attachment_url"])
    assert download["Content-Type"] == "application/pdf"
    assert 'filename="plan.pdf"' in download["Content-Disposition"]


def test_bad_input_is_a_400_with_field_errors_and_nothing_changes(submission, chair, alice):
    url = f"{API}/submissions/{submission.pk}/questions/"
    chair_client = client_for(chair)
    for body, field in (
        ({"text": "Vraag", "deadline": (TODAY() - DAY).isoformat()}, "deadline"),
        ({"text": "Vraag"}, "deadline"),
        ({"text": "", "deadline": TODAY().isoformat()}, "text"),
        ({"text": "x" * 10_001, "deadline": TODAY().isoformat()}, "text"),
        ({"text": "Vraag", "deadline": "morgen"}, "deadline"),
    ):
        response = chair_client.post(url, body, format="json")
        assert response.status_code == 400, body
        assert field in response.json(), (body, response.json())
    assert not Question.objects.exists()

    question = ask(chair, submission)
    coordinator = client_for(alice)
    answer_url = f"{API}/questions/{question.pk}/answer/"
    assert "answer" in coordinator.post(answer_url, {"answer": " "}, format="json").json()
    response = coordinator.post(
        answer_url, {"answer": "Zo.", "attachment": upload("plan.pdf", b"MZ not a pdf")}, format="multipart"
    )
    assert response.status_code == 400 and "attachment" in response.json()
    response = coordinator.post(answer_url, {"answer": "Zo.", "attachment": "geen bestand"}, format="json")
    assert response.status_code == 400
    question.refresh_from_db()
    assert (question.status, question.attachment.name) == ("open", "")
    # A state that does not allow the step: a 400 naming the question, nothing changed.
    response = chair_client.post(f"{API}/questions/{question.pk}/dismiss/", {}, format="json")
    assert response.status_code == 400 and "question" in response.json()


def test_the_chair_dismisses_and_the_proposer_sees_it(submission, chair, reviewers):
    proposal = propose(reviewers[0], submission, "Misschien overbodig")
    response = client_for(chair).post(
        f"{API}/questions/{proposal.pk}/dismiss/", {"reason": "Staat in de agenda."}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["proposed_by_assignment"] == submission.assignments.get(reviewer=reviewers[0]).pk
    data = client_for(reviewers[0]).get(f"{API}/questions/{proposal.pk}/").json()
    assert (data["status"], data["dismiss_reason"], data["proposed_by_assignment"]) == (
        "dismissed",
        "Staat in de agenda.",
        None,
    )
    assert client_for(reviewers[1]).get(f"{API}/questions/{proposal.pk}/").status_code == 404


def test_the_coalition_reads_a_number_never_a_reviewer(submission, chair, alice, reviewers):
    proposal = propose(reviewers[1], submission, "Vraag van nummer twee")
    client_for(chair).post(f"{API}/questions/{proposal.pk}/send/", {"deadline": TODAY().isoformat()}, format="json")
    response = client_for(alice).get(f"{API}/submissions/{submission.pk}/questions/")
    [row] = response.json()
    assert row["asker"] == "Beoordelaar 2 vraagt"
    assert row["proposed_by_assignment"] is None
    body = response.content.decode().lower()
    for reviewer in reviewers[:2]:
        assert reviewer.username not in body and reviewer.display_name.lower() not in body


def test_public_only_with_published_advice_in_a_public_round(coalition, alice, chair):
    reviewer = make_user("publiek", role="reviewer")
    hidden_round = make_round(chair, name="Besloten", is_public=False)
    public_round = make_round(chair, name="Openbaar")
    found = {}
    for review_round, coordinator, slug in ((public_round, alice, None), (hidden_round, make_user("bea"), "b")):
        owner = coalition if slug is None else make_coalition(coordinator=coordinator, slug=slug, region_code="CR04")
        submission = in_review_with(owner, coordinator, chair, [reviewer], review_round)
        sent = answer(coordinator, ask(chair, submission, "Publieke vraag"), attachment=upload())
        propose(reviewer, submission, "Verborgen voorstel")
        anonymous = APIClient()
        assert anonymous.get(f"{API}/submissions/{submission.pk}/questions/").status_code == 404
        assert anonymous.get(f"{API}/questions/{sent.pk}/").status_code == 404
        assignment = submission.assignments.get()
        services.review_save(actor=reviewer, assignment_id=assignment.pk, scores=full_scores(submission), submit=True)
        services.advice_save(actor=chair, submission_id=submission.pk, outcome="positive", rationale="Goed.")
        services.advice_publish(actor=chair, submission_id=submission.pk)
        found[review_round.is_public] = (submission, sent)

    anonymous = APIClient()
    submission, sent = found[True]
    response = anonymous.get(f"{API}/submissions/{submission.pk}/questions/")
    assert [row["text"] for row in response.json()] == ["Publieke vraag"]
    assert anonymous.get(f"{API}/questions/{sent.pk}/attachment/").status_code == 200
    submission, sent = found[False]
    assert anonymous.get(f"{API}/submissions/{submission.pk}/questions/").status_code == 404
    assert anonymous.get(f"{API}/questions/{sent.pk}/").status_code == 404
    assert anonymous.get(f"{API}/questions/{sent.pk}/attachment/").status_code == 404


def test_unknown_and_malformed_ids_are_404(chair):
    client = client_for(chair)
    for url in (f"{API}/questions/999999/", f"{API}/questions/abc/", f"{API}/questions/999999/attachment/"):
        assert client.get(url).status_code == 404
    assert client.post(f"{API}/questions/999999/send/", {"deadline": "2030-01-01"}, format="json").status_code == 404


def test_the_list_in_constant_queries(submission, chair, alice, reviewers):
    def grow(n: int) -> None:
        for i in range(n):
            answer(alice, ask(chair, submission, f"Beantwoord {i}"), attachment=upload())
            ask(chair, submission, f"Open {i}")
            propose(reviewers[i % 2], submission, f"Voorstel {i}")

    url = f"{API}/submissions/{submission.pk}/questions/"
    counts = []
    for person in (chair, alice, reviewers[0]):
        client = client_for(person)
        sizes = []
        for n in (1, 4):
            grow(n)
            client.get(url)
            with CaptureQueriesContext(connection) as context:
                response = client.get(url)
            assert response.status_code == 200
            sizes.append([query["sql"] for query in context.captured_queries])
        small, large = sizes
        # the groups, the submission (visible to you), then the questions' rule (your assignment, the
        # coalition's permissions, the advice, as they apply), the questions, the reviewers' numbers
        assert_counts(small, large, len(small))
        counts.append(len(small))
    assert max(counts) <= 8, counts
