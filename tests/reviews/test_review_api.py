"""The review API: /api/v1/rounds/, submissions/, assignments/ and agendas/{id}/transition|endorsements/.

Every workflow step through the API, refusals (409 with the allowed
actions, nothing changed), blind review, reviewer anonymity towards the
coalition, drafts never leaking, conflicts of interest, bad input (400 with
field errors, nothing changed), the content hash and anonymous access.
"""

import datetime
import hashlib
import json
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from activity.models import Event
from agendas import services as agenda_services
from agendas.models import Agenda
from coalitions.models import Affiliation, CoalitionMembership
from reviews import services, workflow
from reviews.models import (
    Advice,
    Assignment,
    Endorsement,
    EvidenceScore,
    ReviewRound,
    Score,
    ScoreAggregate,
    Submission,
)
from tests.agendas.factories import make_agenda
from tests.reviews.factories import (
    bring_to,
    complete_agenda,
    endorse_all,
    full_scores,
    make_round,
    prepare_guards,
    submit,
)

pytestmark = pytest.mark.django_db
S = Agenda.Status
API = "/api/v1"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def setting(coalition, alice, chair, reviewers, review_round):
    return {
        "coalition": coalition,
        "coordinator": alice,
        "chair": chair,
        "reviewer": reviewers[0],
        "review_round": review_round,
    }


def in_review(setting, *extra_reviewers, accept=True) -> tuple[Submission, list[Assignment]]:
    """An agenda in review with the setting's reviewer (and ``extra_reviewers``) assigned and, by default, accepted."""
    agenda = bring_to(S.IN_REVIEW, **setting)
    submission = agenda.submissions.get(status=Submission.Status.IN_REVIEW)
    assignments = [submission.assignments.get()]
    for reviewer in extra_reviewers:
        assignments.append(
            services.assignment_create(actor=setting["chair"], submission_id=submission.pk, reviewer_id=reviewer.pk)
        )
    if accept:
        for assignment in assignments:
            services.assignment_respond(
                actor=assignment.reviewer, assignment_id=assignment.pk, accept=True, no_conflict=True
            )
    return submission, assignments


def review_body(submission, score=4, motivation="Goed onderbouwd.", submit=False, **overrides) -> dict:
    scores = [{"criterion": c.pk, "score": score, "motivation": motivation} for c in submission.round.criteria.all()]
    return {"scores": scores, "summary": "Een sterke agenda.", "submit": submit, **overrides}


def review_state(assignment) -> tuple:
    """Everything a refused review save must leave alone."""
    assignment.refresh_from_db()
    return (
        assignment.status,
        assignment.version,
        assignment.summary,
        assignment.due_date,
        list(Score.objects.filter(assignment=assignment).order_by("pk").values_list("criterion_id", "score")),
    )


def canonical_sha256(snapshot) -> str:
    text = json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ------------------------------------------------------------------ transitions


@pytest.mark.parametrize("rule", workflow.TABLE, ids=lambda r: f"{r.source}-{r.action}")
def test_every_allowed_transition_works_through_the_api(rule, setting):
    agenda = bring_to(rule.source, **setting)
    prepare_guards(agenda, rule.action, chair=setting["chair"], reviewer=setting["reviewer"])
    actor = setting["chair"] if rule.who == workflow.CHAIR else setting["coordinator"]
    body = {"action": rule.action, "comment": "Via de API"}
    if rule.action == "submit":
        body["round"] = setting["review_round"].pk

    response = client_for(actor).post(f"{API}/agendas/{agenda.pk}/transition/", body, format="json")

    assert response.status_code == 200, response.content
    data = response.json()
    agenda.refresh_from_db()
    assert agenda.status == rule.target == data["state"]
    assert data["allowed_actions"] == workflow.allowed_actions(rule.target)
    submission = Submission.objects.get(pk=data["submission"])
    assert submission.agenda_id == agenda.pk
    assert submission.status == workflow.SUBMISSION_STATUS[rule.action] == data["submission_status"]
    event = Event.objects.filter(verb=f"submission.{rule.action}").latest("id")
    assert (event.actor, event.data["from"], event.data["to"], event.data["comment"]) == (
        actor,
        rule.source,
        rule.target,
        "Via de API",
    )


def _world_state(agenda) -> tuple:
    agenda.refresh_from_db()
    return (
        agenda.status,
        agenda.version,
        Event.objects.count(),
        list(Submission.objects.order_by("pk").values_list("pk", "status", "closed_at")),
        list(Advice.objects.order_by("pk").values_list("pk", "published_at")),
    )


def test_a_refused_transition_is_409_with_the_allowed_actions_and_changes_nothing(setting):
    agenda = bring_to(S.SUBMITTED, **setting)
    before = _world_state(agenda)

    for actor, action in ((setting["chair"], "advise"), (setting["coordinator"], "submit")):
        response = client_for(actor).post(f"{API}/agendas/{agenda.pk}/transition/", {"action": action}, format="json")
        assert response.status_code == 409, response.content
        data = response.json()
        assert data["state"] == S.SUBMITTED
        assert data["action"] == action
        assert data["allowed_actions"] == ["start_review", "withdraw"]
        assert data["detail"]

    assert _world_state(agenda) == before


def test_transition_bad_input_wrong_person_and_invisible_agenda(setting, bob, charlie, reviewers):
    agenda = complete_agenda(setting["coalition"], setting["coordinator"])
    url = f"{API}/agendas/{agenda.pk}/transition/"
    alice = client_for(setting["coordinator"])
    before = _world_state(agenda)

    cases = [
        ({"action": "fly"}, "action"),
        ({}, "action"),
        ({"action": "submit", "comment": "x" * (workflow.COMMENT_MAX + 1)}, "comment"),
        ({"action": "submit", "round": "x"}, "round"),
        ({"action": "submit", "round": 1.5}, "round"),
        # Not endorsed yet: the guard's reasons, not tied to a field.
        ({"action": "submit"}, "non_field_errors"),
    ]
    for body, field in cases:
        response = alice.post(url, body, format="json")
        assert response.status_code == 400, (body, response.content)
        assert field in response.json(), (body, response.json())

    endorse_all(agenda)
    before = _world_state(agenda)
    # An editor is a member but not the coordinator.
    assert client_for(bob).post(url, {"action": "submit"}, format="json").status_code == 403
    # Outsiders, reviewers and chairs do not see a draft that was never submitted.
    for someone in (charlie, reviewers[0], setting["chair"]):
        assert client_for(someone).post(url, {"action": "submit"}, format="json").status_code == 404
    for missing in ("99999999", "abc", "-1"):
        response = alice.post(f"{API}/agendas/{missing}/transition/", {"action": "submit"}, format="json")
        assert response.status_code == 404, missing
        assert "detail" in response.json()
    assert client_for().post(url, {"action": "submit"}, format="json").status_code in (401, 403)
    assert _world_state(agenda) == before

    response = alice.post(url, {"action": "submit", "round": setting["review_round"].pk}, format="json")
    assert response.status_code == 200, response.content


def test_the_chair_may_not_withdraw_and_a_reviewer_may_not_start_the_review(setting, reviewers):
    agenda = bring_to(S.SUBMITTED, **setting)
    submission = agenda.submissions.get()
    services.assignment_create(actor=setting["chair"], submission_id=submission.pk, reviewer_id=reviewers[0].pk)
    before = _world_state(agenda)
    url = f"{API}/agendas/{agenda.pk}/transition/"
    assert client_for(setting["chair"]).post(url, {"action": "withdraw"}, format="json").status_code == 403
    assert client_for(reviewers[0]).post(url, {"action": "start_review"}, format="json").status_code == 403
    assert _world_state(agenda) == before


# ------------------------------------------------------------------ endorsements


def test_endorsements_are_listed_and_given_by_representatives(setting, charlie, reviewers):
    alice, chair = setting["coordinator"], setting["chair"]
    agenda = complete_agenda(setting["coalition"], alice)
    url = f"{API}/agendas/{agenda.pk}/endorsements/"
    organisations = list(setting["coalition"].organisations.order_by("name"))
    own = CoalitionMembership.objects.get(coalition=setting["coalition"], user=alice).organisation
    other = next(o for o in organisations if o.pk != own.pk)

    response = client_for(alice).get(url)
    assert response.status_code == 200
    data = response.json()
    assert data["revision"] == agenda.revision_count
    assert data["complete"] is False
    assert [row["organisation"] for row in data["organisations"]] == [o.pk for o in organisations]
    assert not any(row["endorsed"] for row in data["organisations"])

    for body, code in (({"organisation": "x"}, 400), ({}, 400), ({"organisation": other.pk}, 403)):
        assert client_for(alice).post(url, body, format="json").status_code == code
    assert not Endorsement.objects.exists()
    for someone in (charlie, reviewers[0], chair):
        assert client_for(someone).get(url).status_code == 404
        assert client_for(someone).post(url, {"organisation": own.pk}, format="json").status_code == 404
    assert not Endorsement.objects.exists()

    response = client_for(alice).post(url, {"organisation": own.pk}, format="json")
    assert response.status_code == 200, response.content
    rows = {row["organisation"]: row for row in response.json()["organisations"]}
    assert rows[own.pk]["endorsed"] is True
    assert rows[own.pk]["endorsed_by"] == alice.display_name
    assert rows[other.pk]["endorsed"] is False
    assert Endorsement.objects.filter(agenda=agenda, organisation=own, revision_number=agenda.revision_count).exists()


# ------------------------------------------------------------------ blind review and anonymity


def test_blind_review_others_only_after_submitting_and_anonymised(setting, reviewers):
    submission, (first, second) = in_review(setting, reviewers[1])
    a, b = client_for(reviewers[0]), client_for(reviewers[1])

    assert a.get(f"{API}/assignments/{first.pk}/others/").status_code == 403
    # Reviewer B's assignment does not exist for reviewer A.
    assert a.get(f"{API}/assignments/{second.pk}/").status_code == 404
    assert a.get(f"{API}/assignments/{second.pk}/others/").status_code == 404
    assert [row["id"] for row in a.get(f"{API}/assignments/").json()["results"]] == [first.pk]
    assert a.put(f"{API}/assignments/{second.pk}/review/", review_body(submission), format="json").status_code == 404

    response = b.put(f"{API}/assignments/{second.pk}/review/", review_body(submission, submit=True), format="json")
    assert response.status_code == 200, response.content
    # B's review is in, A's is not: A is still blind.
    assert a.get(f"{API}/assignments/{first.pk}/others/").status_code == 403

    response = a.put(
        f"{API}/assignments/{first.pk}/review/", review_body(submission, score=3, submit=True), format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["can_see_other_reviews"] is True
    response = a.get(f"{API}/assignments/{first.pk}/others/")
    assert response.status_code == 200
    others = response.json()
    # B's number on the submission: B accepted second (selectors.reviewer_numbers, the same as on the questions).
    assert [row["label"] for row in others] == ["Beoordelaar 2"]
    assert others[0]["reviewer"] is None and others[0]["reviewer_name"] is None
    assert {s["score"] for s in others[0]["scores"]} == {4}
    assert reviewers[1].username not in response.content.decode().lower()

    response = client_for(setting["chair"]).get(f"{API}/assignments/{first.pk}/others/")
    assert response.status_code == 200
    assert [(row["reviewer"], row["reviewer_name"]) for row in response.json()] == [
        (reviewers[1].pk, reviewers[1].display_name)
    ]


def _has_reviewer_key(value) -> bool:
    if isinstance(value, dict):
        return any("reviewer" in key or _has_reviewer_key(v) for key, v in value.items())
    if isinstance(value, list):
        return any(_has_reviewer_key(v) for v in value)
    return False


def test_coalition_members_never_see_who_reviews(setting, bob, victor, reviewers):
    agenda = bring_to(S.ADVISED, **setting)
    submission = agenda.submissions.get()
    assignment = submission.assignments.get()
    reviewer = setting["reviewer"]
    secrets = [reviewer.username.lower(), reviewer.email.lower(), reviewer.display_name.lower()]

    EvidenceScore.objects.create(
        submission=submission, model_version="evidence-1", datasets_key="cbs:1", total=Decimal("61.5"), components=[]
    )
    ScoreAggregate.objects.update_or_create(
        submission=submission,
        defaults={"reviews_key": "k", "review_count": 1, "weighted_total": Decimal("4.00"), "criteria": []},
    )

    # The chair does see them (so the check below can fail), and the review's figures.
    chair_view = client_for(setting["chair"]).get(f"{API}/submissions/{submission.pk}/")
    assert reviewer.display_name in chair_view.content.decode()
    assert chair_view.json()["assignments"][0]["reviewer"] == reviewer.pk
    assert chair_view.json()["evidence"]["total"] == "61.5"
    assert chair_view.json()["aggregate"]["weighted_total"] == "4.00"

    urls = [
        f"{API}/submissions/",
        f"{API}/submissions/?round={submission.round_id}",
        f"{API}/submissions/{submission.pk}/",
        f"{API}/submissions/{submission.pk}/advice/",
        f"{API}/assignments/",
        f"{API}/assignments/?submission={submission.pk}",
        f"{API}/rounds/",
        f"{API}/rounds/{submission.round_id}/",
        f"{API}/agendas/{agenda.pk}/endorsements/",
        f"{API}/notifications/",
    ]
    for member in (setting["coordinator"], bob, victor):
        client = client_for(member)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            text = response.content.decode().lower()
            for secret in secrets:
                assert secret not in text, (member.username, url, secret)
            assert not _has_reviewer_key(response.json()), (member.username, url)
        assert client.get(f"{API}/submissions/").json()["count"] == 1
        assert client.get(f"{API}/assignments/").json()["count"] == 0
        assert client.get(f"{API}/assignments/{assignment.pk}/").status_code == 404
        assert client.get(f"{API}/assignments/{assignment.pk}/others/").status_code == 404
        detail = client.get(f"{API}/submissions/{submission.pk}/").json()
        assert detail["assignments"] is None and detail["evidence"] is None and detail["aggregate"] is None
        assert detail["advice"]["is_published"] is True


# ------------------------------------------------------------------ drafts never leak


def _visit_everything(client, *, agendas, submissions, assignments) -> list[str]:
    """Every reviews endpoint a non-member can try (reads, and a refused step on each agenda); the answers' texts."""
    urls = [f"{API}/submissions/", f"{API}/assignments/", f"{API}/rounds/"]
    for submission in submissions:
        urls += [f"{API}/submissions/{submission.pk}/", f"{API}/submissions/{submission.pk}/advice/"]
    for assignment in assignments:
        urls += [f"{API}/assignments/{assignment.pk}/", f"{API}/assignments/{assignment.pk}/others/"]
    texts = []
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 403, 404), (url, response.status_code)
        texts.append(response.content.decode())
    for agenda in agendas:
        # Endorsements are about the draft: for the coalition's members only.
        response = client.get(f"{API}/agendas/{agenda.pk}/endorsements/")
        assert response.status_code == 404, (agenda.pk, response.status_code)
        response = client.post(f"{API}/agendas/{agenda.pk}/transition/", {"action": "advise"}, format="json")
        assert response.status_code in (403, 404, 409), response.status_code
        texts.append(response.content.decode())
    return texts


def _edit_header(agenda, actor, **changes) -> None:
    agenda.refresh_from_db()
    header = {
        "title": agenda.title,
        "summary": agenda.summary,
        "vision": agenda.vision,
        "start_year": agenda.start_year,
        "end_year": agenda.end_year,
        "lead_partner_id": agenda.lead_partner_id,
        "theme_ids": list(agenda.themes.values_list("pk", flat=True)),
    }
    agenda_services.agenda_update_header(
        agenda_id=agenda.pk, actor=actor, base_version=agenda.version, **{**header, **changes}
    )


def test_a_draft_is_not_reachable_through_the_review_api(setting, charlie, official, reviewers):
    alice, chair = setting["coordinator"], setting["chair"]
    # One agenda was submitted, reviewed a bit, withdrawn and is being edited again...
    withdrawn, _assignments = in_review(setting)
    workflow.transition(agenda_id=withdrawn.agenda_id, action="withdraw", actor=alice)
    agenda = Agenda.objects.get(pk=withdrawn.agenda_id)
    _edit_header(agenda, alice, title="Geheim concepttitel", summary="Vertrouwelijke conceptsamenvatting")
    # ...and another was never submitted.
    never = make_agenda(setting["coalition"], alice, title="Nooit ingediend concept", summary="Verborgen plan")
    secrets = ["Geheim concepttitel", "Vertrouwelijke conceptsamenvatting", "Nooit ingediend concept", "Verborgen plan"]

    everything = {
        "agendas": [agenda, never],
        "submissions": list(Submission.objects.all()),
        "assignments": list(Assignment.objects.all()),
    }
    chair_texts = _visit_everything(client_for(chair), **everything)
    # The chair still reads the frozen snapshot of the withdrawn submission (so this test can fail).
    assert any(withdrawn.snapshot["title"] in text for text in chair_texts)
    for user in (charlie, official, reviewers[0], reviewers[1], chair):
        for text in _visit_everything(client_for(user), **everything):
            for secret in secrets:
                assert secret not in text, (user.username, secret)
    # The draft is the members' own: they do see it (in the agenda API).
    assert "Geheim concepttitel" in client_for(alice).get(f"{API}/agendas/{agenda.pk}/").content.decode()


# ------------------------------------------------------------------ assignments


def test_a_conflicted_reviewer_cannot_be_assigned(setting, reviewers):
    agenda = bring_to(S.SUBMITTED, **setting)
    submission = agenda.submissions.get()
    organisation = setting["coalition"].organisations.order_by("name").last()
    Affiliation.objects.create(
        user=reviewers[0], organisation=organisation, start_date=timezone.localdate() - datetime.timedelta(days=400)
    )
    chair = client_for(setting["chair"])

    response = chair.post(
        f"{API}/assignments/", {"submission": submission.pk, "reviewer": reviewers[0].pk}, format="json"
    )

    assert response.status_code == 400
    assert organisation.name in response.json()["reviewer"][0]
    assert not Assignment.objects.exists()
    response = chair.post(
        f"{API}/assignments/", {"submission": submission.pk, "reviewer": reviewers[1].pk}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["reviewer"] == reviewers[1].pk
    assert list(Assignment.objects.values_list("reviewer_id", flat=True)) == [reviewers[1].pk]


def test_assignment_create_bad_input_and_permissions(setting, reviewers, charlie):
    agenda = bring_to(S.SUBMITTED, **setting)
    submission = agenda.submissions.get()
    chair = client_for(setting["chair"])
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    cases = [
        ({"submission": "abc", "reviewer": reviewers[0].pk}, "submission"),
        ({"submission": 99999999, "reviewer": reviewers[0].pk}, "submission"),
        ({"submission": submission.pk, "reviewer": "x"}, "reviewer"),
        ({"submission": submission.pk, "reviewer": True}, "reviewer"),
        # Not in the reviewer pool.
        ({"submission": submission.pk, "reviewer": charlie.pk}, "reviewer"),
        ({"submission": submission.pk, "reviewer": 99999999}, "reviewer"),
        ({"submission": submission.pk, "reviewer": reviewers[0].pk, "due_date": "morgen"}, "due_date"),
        ({"submission": submission.pk, "reviewer": reviewers[0].pk, "due_date": yesterday.isoformat()}, "due_date"),
    ]
    for body, field in cases:
        response = chair.post(f"{API}/assignments/", body, format="json")
        assert response.status_code == 400, (body, response.content)
        assert field in response.json(), (body, response.json())
    body = {"submission": submission.pk, "reviewer": reviewers[0].pk}
    for someone in (reviewers[1], setting["coordinator"]):
        assert client_for(someone).post(f"{API}/assignments/", body, format="json").status_code == 403
    assert not Assignment.objects.exists()


def test_the_chair_lists_all_assignments_filtered_by_submission(setting, reviewers, chair):
    submission, (first,) = in_review(setting)
    other_round = make_round(chair, name="Andere ronde")
    other = submit(complete_agenda(setting["coalition"], setting["coordinator"]), setting["coordinator"], other_round)
    services.assignment_create(actor=chair, submission_id=other.pk, reviewer_id=reviewers[1].pk)
    client = client_for(chair)

    assert client.get(f"{API}/assignments/").json()["count"] == 2
    response = client.get(f"{API}/assignments/?submission={submission.pk}")
    assert [(row["id"], row["reviewer_name"]) for row in response.json()["results"]] == [
        (first.pk, reviewers[0].display_name)
    ]
    assert client.get(f"{API}/assignments/?submission=abc").status_code == 400
    assert client.get(f"{API}/assignments/abc/").status_code == 404
    assert client.get(f"{API}/submissions/abc/").status_code == 404


def test_responding_to_an_invitation(setting, reviewers):
    submission, (assignment,) = in_review(setting, accept=False)
    url = f"{API}/assignments/{assignment.pk}/respond/"
    reviewer = client_for(reviewers[0])
    cases = [
        ({}, "accept"),
        ({"accept": "misschien"}, "accept"),
        ({"accept": True}, "no_conflict"),
        ({"accept": False}, "reason"),
        ({"accept": False, "reason": "x" * 2001}, "reason"),
    ]
    for body, field in cases:
        response = reviewer.post(url, body, format="json")
        assert response.status_code == 400, (body, response.content)
        assert field in response.json(), (body, response.json())
    assert client_for(reviewers[1]).post(url, {"accept": True, "no_conflict": True}, format="json").status_code == 404
    assert (
        client_for(setting["chair"]).post(url, {"accept": True, "no_conflict": True}, format="json").status_code == 403
    )
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.INVITED

    response = reviewer.post(url, {"accept": True, "no_conflict": True}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Assignment.Status.ACCEPTED
    assert reviewer.post(url, {"accept": True, "no_conflict": True}, format="json").status_code == 400


# ------------------------------------------------------------------ reviews: bad input, deadline, reopen


def test_bad_scores_are_400_and_change_nothing(setting):
    submission, (assignment,) = in_review(setting)
    url = f"{API}/assignments/{assignment.pk}/review/"
    reviewer = client_for(setting["reviewer"])
    criteria = list(submission.round.criteria.all())
    before = review_state(assignment)

    for bad in (0, 6, "x", 2.5, True, -1):
        body = review_body(submission)
        body["scores"][0]["score"] = bad
        response = reviewer.put(url, body, format="json")
        assert response.status_code == 400, (bad, response.content)
        # DRF keys the errors of a list's items by their index.
        assert "score" in response.json()["scores"]["0"], (bad, response.json())
        assert review_state(assignment) == before

    body = review_body(submission)
    body["scores"].append({"criterion": 99999999, "score": 3})
    assert reviewer.put(url, body, format="json").status_code == 400
    body = review_body(submission)
    body["scores"].append(dict(body["scores"][0]))
    assert "scores" in reviewer.put(url, body, format="json").json()
    for body in ({"scores": "alles goed"}, {}, {"scores": [{"score": 3}]}, {**review_body(submission), "submit": "x"}):
        assert reviewer.put(url, body, format="json").status_code == 400, body
    assert review_state(assignment) == before

    # Submitting: a score of 2 needs a motivation; every criterion needs a score.
    body = review_body(submission, submit=True)
    body["scores"][1].update(score=2, motivation="   ")
    response = reviewer.put(url, body, format="json")
    assert response.status_code == 400
    assert f"motivation_{criteria[1].pk}" in response.json()
    body = review_body(submission, submit=True)
    del body["scores"][0]
    response = reviewer.put(url, body, format="json")
    assert response.status_code == 400
    assert f"score_{criteria[0].pk}" in response.json()
    assert review_state(assignment) == before

    # A draft save is fine with a low score without motivation; PUT replaces the scores.
    body = review_body(submission)
    body["scores"][1].update(score=2, motivation="")
    response = reviewer.put(url, body, format="json")
    assert response.status_code == 200, response.content
    assert Score.objects.filter(assignment=assignment).count() == len(criteria)
    response = reviewer.put(url, {"scores": body["scores"][:2]}, format="json")
    assert response.status_code == 200
    assert [s["score"] for s in response.json()["scores"]] == [4, 2]
    assert Score.objects.filter(assignment=assignment).count() == 2


def test_a_review_after_the_deadline_is_refused_until_the_chair_extends(setting, reviewers):
    submission, (assignment,) = in_review(setting)
    Assignment.objects.filter(pk=assignment.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=1))
    url = f"{API}/assignments/{assignment.pk}/review/"
    reviewer = client_for(setting["reviewer"])
    chair = client_for(setting["chair"])
    before = review_state(assignment)

    response = reviewer.put(url, review_body(submission, submit=True), format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert review_state(assignment) == before

    extend = f"{API}/assignments/{assignment.pk}/extend/"
    later = timezone.localdate() + datetime.timedelta(days=7)
    for body in ({"due_date": "x"}, {}, {"due_date": (timezone.localdate() - datetime.timedelta(days=2)).isoformat()}):
        response = chair.post(extend, body, format="json")
        assert response.status_code == 400, (body, response.content)
        assert "due_date" in response.json()
    assert reviewer.post(extend, {"due_date": later.isoformat()}, format="json").status_code == 403
    assert client_for(reviewers[1]).post(extend, {"due_date": later.isoformat()}, format="json").status_code == 404
    assert review_state(assignment) == before

    response = chair.post(extend, {"due_date": later.isoformat()}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["due_date"] == later.isoformat()

    response = reviewer.put(url, review_body(submission, submit=True), format="json")
    assert response.status_code == 200, response.content
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.SUBMITTED
    # Submitted and locked.
    assert reviewer.put(url, review_body(submission), format="json").status_code == 400


def test_only_the_chair_reopens_a_review_with_a_reason(setting):
    submission, (assignment,) = in_review(setting)
    services.review_save(
        actor=setting["reviewer"], assignment_id=assignment.pk, scores=full_scores(submission), submit=True
    )
    url = f"{API}/assignments/{assignment.pk}/reopen/"
    assert client_for(setting["reviewer"]).post(url, {"reason": "Graag"}, format="json").status_code == 403
    for body in ({}, {"reason": "  "}):
        response = client_for(setting["chair"]).post(url, body, format="json")
        assert response.status_code == 400
        assert "reason" in response.json()
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.SUBMITTED

    response = client_for(setting["chair"]).post(url, {"reason": "Motivering ontbreekt"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Assignment.Status.ACCEPTED


# ------------------------------------------------------------------ advice


def test_advice_draft_publish_and_who_sees_it(setting, bob):
    submission, (assignment,) = in_review(setting)
    services.review_save(
        actor=setting["reviewer"], assignment_id=assignment.pk, scores=full_scores(submission), submit=True
    )
    url = f"{API}/submissions/{submission.pk}/advice/"
    chair, alice = client_for(setting["chair"]), client_for(setting["coordinator"])

    assert chair.get(url).status_code == 404  # nothing drafted yet
    for body, field in (
        ({"outcome": "great", "rationale": "Ja."}, "outcome"),
        ({"outcome": "positive", "rationale": ""}, "rationale"),
        ({"outcome": "conditional", "rationale": "Ja."}, "conditions"),
        ({"outcome": "positive"}, "rationale"),
    ):
        response = chair.put(url, body, format="json")
        assert response.status_code == 400, (body, response.content)
        assert field in response.json()
    body = {"outcome": "positive", "rationale": "Sterke agenda."}
    for someone in (setting["coordinator"], setting["reviewer"]):
        assert client_for(someone).put(url, body, format="json").status_code == 403
    assert not Advice.objects.exists()

    response = chair.put(url, body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["is_published"] is False
    # A draft is for the chair only.
    assert alice.get(url).status_code == 404
    assert alice.get(f"{API}/submissions/{submission.pk}/").json()["advice"] is None
    assert client_for(setting["reviewer"]).get(url).status_code == 404

    response = chair.post(f"{API}/submissions/{submission.pk}/advice/publish/", {}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == S.ADVISED
    response = alice.get(url)
    assert response.status_code == 200
    assert response.json()["outcome"] == "positive" and response.json()["is_published"] is True

    # Publishing again: the agenda is advised, no step is left.
    events = Event.objects.count()
    response = chair.post(f"{API}/submissions/{submission.pk}/advice/publish/", {}, format="json")
    assert response.status_code == 409
    assert response.json()["allowed_actions"] == []
    assert Event.objects.count() == events
    assert client_for(bob).post(f"{API}/submissions/{submission.pk}/advice/publish/", {}).status_code == 403


def test_publishing_through_an_older_submission_does_not_touch_the_one_under_way(setting, reviewers):
    chair, alice, reviewer = setting["chair"], setting["coordinator"], setting["reviewer"]
    first, (assignment,) = in_review(setting)
    services.review_save(actor=reviewer, assignment_id=assignment.pk, scores=full_scores(first), submit=True)
    services.advice_save(actor=chair, submission_id=first.pk, outcome="revise", rationale="Meer focus.")
    services.advice_publish(actor=chair, submission_id=first.pk)
    # Revised and submitted again; its review is done and its advice drafted, not published.
    _edit_header(first.agenda, alice, title="Herziene agenda")
    second = submit(first.agenda, alice)
    again = services.assignment_create(actor=chair, submission_id=second.pk, reviewer_id=reviewer.pk)
    workflow.transition(agenda_id=second.agenda_id, action="start_review", actor=chair)
    services.assignment_respond(actor=reviewer, assignment_id=again.pk, accept=True, no_conflict=True)
    services.review_save(actor=reviewer, assignment_id=again.pk, scores=full_scores(second), submit=True)
    services.advice_save(actor=chair, submission_id=second.pk, outcome="revise", rationale="Nog steeds vaag.")
    before = _world_state(first.agenda)

    response = client_for(chair).post(f"{API}/submissions/{first.pk}/advice/publish/", {}, format="json")

    assert response.status_code == 400, response.content
    assert _world_state(first.agenda) == before
    assert Advice.objects.get(submission=second).published_at is None
    response = client_for(chair).post(f"{API}/submissions/{second.pk}/advice/publish/", {}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["submission"], response.json()["state"]) == (second.pk, S.DRAFT)


# ------------------------------------------------------------------ snapshot, hash, anonymous access


def test_the_content_hash_is_the_sha256_of_the_canonical_json_of_the_returned_snapshot(setting):
    agenda = bring_to(S.SUBMITTED, **setting)
    submission = agenda.submissions.get()

    response = client_for(setting["coordinator"]).get(f"{API}/submissions/{submission.pk}/")

    assert response.status_code == 200
    data = response.json()
    assert data["snapshot_format"] == "kansenagenda-snapshot/1"
    assert data["content_hash"] == canonical_sha256(data["snapshot"]) == submission.content_hash
    assert "sort_keys=True" in data["content_hash_method"]
    assert data["snapshot"]["title"] == agenda.title
    assert [c["id"] for c in data["criteria"]] == list(submission.round.criteria.values_list("pk", flat=True))


def test_anonymous_sees_published_advice_in_public_rounds_only(setting, chair):
    advised = bring_to(S.ADVISED, **setting).submissions.get()
    # In review: no advice published yet.
    other = make_round(chair, name="Ronde 2028")
    pending_agenda = complete_agenda(setting["coalition"], setting["coordinator"])
    pending = submit(pending_agenda, setting["coordinator"], other)
    anonymous = client_for()

    response = anonymous.get(f"{API}/submissions/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [advised.pk]
    response = anonymous.get(f"{API}/submissions/{advised.pk}/")
    assert response.status_code == 200
    assert response.json()["advice"]["is_published"] is True
    assert setting["reviewer"].username not in response.content.decode().lower()
    assert anonymous.get(f"{API}/submissions/{advised.pk}/advice/").status_code == 200
    assert anonymous.get(f"{API}/submissions/{pending.pk}/").status_code == 404
    assert anonymous.get(f"{API}/submissions/{pending.pk}/advice/").status_code == 404
    assert anonymous.put(f"{API}/submissions/{advised.pk}/advice/", {}, format="json").status_code in (401, 403)

    ReviewRound.objects.filter(pk=advised.round_id).update(is_public=False)
    assert anonymous.get(f"{API}/submissions/").json()["count"] == 0
    assert anonymous.get(f"{API}/submissions/{advised.pk}/").status_code == 404
    assert anonymous.get(f"{API}/submissions/{advised.pk}/advice/").status_code == 404
    # Members still see their own.
    assert client_for(setting["coordinator"]).get(f"{API}/submissions/{advised.pk}/advice/").status_code == 200


# ------------------------------------------------------------------ rounds


def test_rounds_list_retrieve_and_create(setting, reviewers):
    chair = client_for(setting["chair"])
    closed = make_round(setting["chair"], name="Oude ronde", status=ReviewRound.Status.CLOSED)
    reviewer = client_for(reviewers[0])

    assert {row["id"] for row in reviewer.get(f"{API}/rounds/").json()["results"]} == {setting["review_round"].pk}
    assert {row["id"] for row in chair.get(f"{API}/rounds/").json()["results"]} == {
        setting["review_round"].pk,
        closed.pk,
    }
    assert reviewer.get(f"{API}/rounds/{closed.pk}/").status_code == 404
    response = reviewer.get(f"{API}/rounds/{setting['review_round'].pk}/")
    assert response.status_code == 200
    assert len(response.json()["criteria"]) == setting["review_round"].criteria.count()
    assert client_for().get(f"{API}/rounds/").status_code in (401, 403)

    today = timezone.localdate()
    body = {
        "name": "Ronde 2029",
        "programme_name": "Regiodeals",
        "programme_start_year": 2029,
        "programme_end_year": 2032,
        "submission_deadline": (today + datetime.timedelta(days=10)).isoformat(),
        "review_deadline": (today + datetime.timedelta(days=40)).isoformat(),
        "criteria": [{"code": "support", "weight": 20}, {"code": "feasibility", "weight": 10}],
    }
    assert reviewer.post(f"{API}/rounds/", body, format="json").status_code == 403
    for change, field in (
        ({"criteria": [{"code": "onbekend", "weight": 10}]}, "criteria"),
        ({"criteria": [{"code": "support", "weight": 0}]}, "criteria"),
        ({"criteria": [{"code": "support", "weight": "x"}]}, "criteria"),
        ({"criteria": []}, "criteria"),
        ({"programme_start_year": "twee"}, "programme_start_year"),
        ({"programme_end_year": 2020}, "programme_end_year"),
        ({"submission_deadline": "2020-01-01"}, "submission_deadline"),
        ({"review_deadline": "gisteren"}, "review_deadline"),
        ({"name": setting["review_round"].name}, "name"),
    ):
        response = chair.post(f"{API}/rounds/", {**body, **change}, format="json")
        assert response.status_code == 400, (change, response.content)
        assert field in response.json(), (change, response.json())
    assert ReviewRound.objects.count() == 2

    response = chair.post(f"{API}/rounds/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert [(c["code"], c["weight"]) for c in data["criteria"]] == [("support", 20), ("feasibility", 10)]
    assert data["weight_total"] == 30 and data["is_public"] is True


def test_odd_ids_are_400_or_404_never_500(setting, reviewers):
    submission, (assignment,) = in_review(setting)
    chair, reviewer, alice = client_for(setting["chair"]), client_for(reviewers[0]), client_for(setting["coordinator"])
    huge = "9" * 19
    for url in (
        f"{API}/submissions/{huge}/",
        f"{API}/submissions/{huge}/advice/",
        f"{API}/assignments/{huge}/",
        f"{API}/rounds/{huge}/",
        f"{API}/rounds/x/",
        f"{API}/agendas/{huge}/endorsements/",
    ):
        assert chair.get(url).status_code == 404, url
    assert chair.get(f"{API}/assignments/?submission={huge}").status_code == 400
    assert chair.get(f"{API}/submissions/?round=x").status_code == 400
    assert chair.get(f"{API}/submissions/?status=x").status_code == 400
    for body in ({"submission": huge, "reviewer": reviewers[1].pk}, {"submission": submission.pk, "reviewer": huge}):
        assert chair.post(f"{API}/assignments/", body, format="json").status_code == 400, body
    response = reviewer.put(
        f"{API}/assignments/{assignment.pk}/review/",
        {"scores": [{"criterion": huge, "score": 3}]},
        format="json",
    )
    assert response.status_code == 400
    draft = complete_agenda(setting["coalition"], setting["coordinator"])
    endorse_all(draft)
    # Ids beyond what a database integer holds are bad input at the field (core.fields.WholeNumberField).
    response = alice.post(f"{API}/agendas/{draft.pk}/transition/", {"action": "submit", "round": huge}, format="json")
    assert response.status_code == 400
    assert "round" in response.json()
    response = alice.post(f"{API}/agendas/{draft.pk}/endorsements/", {"organisation": huge}, format="json")
    assert response.status_code == 400
    assert "organisation" in response.json()
    draft.refresh_from_db()
    assert draft.status == S.DRAFT
    assert Assignment.objects.count() == 1
