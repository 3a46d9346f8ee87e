"""The workflow table: every allowed move works, every other (state, action) is refused."""

import hashlib
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activity.models import Event
from agendas import services as agenda_services
from agendas.models import Agenda
from reviews import services, workflow
from reviews.models import Assignment, Submission
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


def retitle(agenda, actor, title):
    """Save the header with a new title (one revision)."""
    agenda_services.agenda_update_header(
        agenda_id=agenda.pk,
        actor=actor,
        base_version=agenda.version,
        title=title,
        summary=agenda.summary,
        vision=agenda.vision,
        start_year=agenda.start_year,
        end_year=agenda.end_year,
        lead_partner_id=agenda.lead_partner_id,
        theme_ids=list(agenda.themes.values_list("pk", flat=True)),
    )


@pytest.fixture
def setting(coalition, alice, chair, reviewers, review_round):
    return {
        "coalition": coalition,
        "coordinator": alice,
        "chair": chair,
        "reviewer": reviewers[0],
        "review_round": review_round,
    }


@pytest.mark.parametrize("rule", workflow.TABLE, ids=lambda r: f"{r.source}-{r.action}")
def test_every_allowed_transition_moves_and_is_recorded(rule, setting):
    agenda = bring_to(rule.source, **setting)
    prepare_guards(agenda, rule.action, chair=setting["chair"], reviewer=setting["reviewer"])
    actor = setting["chair"] if rule.who == workflow.CHAIR else setting["coordinator"]

    submission = workflow.transition(agenda_id=agenda.pk, action=rule.action, actor=actor, comment="Toelichting")

    agenda.refresh_from_db()
    assert agenda.status == rule.target
    assert submission.status == workflow.SUBMISSION_STATUS[rule.action]
    event = Event.objects.filter(verb=f"submission.{rule.action}").latest("id")
    assert (event.actor, event.data["from"], event.data["to"], event.data["comment"]) == (
        actor,
        rule.source,
        rule.target,
        "Toelichting",
    )


REFUSED = [
    (state, action) for state in S.values for action in workflow.ACTIONS if (state, action) not in workflow.RULES
]


def test_the_refused_pairs_are_the_complement_of_the_table():
    assert len(REFUSED) + len(workflow.TABLE) == len(S.values) * len(workflow.ACTIONS)
    assert len(REFUSED) == 14


@pytest.mark.parametrize(("state", "action"), REFUSED)
def test_every_other_state_action_pair_is_refused_and_changes_nothing(state, action, setting):
    agenda = bring_to(state, **setting)
    events = Event.objects.count()
    submissions = list(Submission.objects.values_list("pk", "status"))
    actor, other = (setting["chair"], setting["coordinator"])
    if workflow.WHO[action] == workflow.COORDINATOR:
        actor, other = other, actor
    with pytest.raises(workflow.TransitionNotAllowed) as refused:
        workflow.transition(agenda_id=agenda.pk, action=action, actor=actor)
    assert refused.value.allowed == workflow.allowed_actions(state)
    # The wrong kind of person learns nothing about the state: refused before the table is read.
    with pytest.raises(PermissionDenied):
        workflow.transition(agenda_id=agenda.pk, action=action, actor=other)
    agenda.refresh_from_db()
    assert agenda.status == state
    assert Event.objects.count() == events
    assert list(Submission.objects.values_list("pk", "status")) == submissions


def test_only_the_coordinator_submits_and_only_a_chair_starts_the_review(setting, bob, reviewers):
    agenda = complete_agenda(setting["coalition"], setting["coordinator"])
    endorse_all(agenda)
    with pytest.raises(PermissionDenied):
        workflow.transition(agenda_id=agenda.pk, action="submit", actor=bob)
    submission = workflow.transition(agenda_id=agenda.pk, action="submit", actor=setting["coordinator"])
    services.assignment_create(actor=setting["chair"], submission_id=submission.pk, reviewer_id=reviewers[0].pk)
    for someone in (setting["coordinator"], reviewers[0]):
        with pytest.raises(PermissionDenied):
            workflow.transition(agenda_id=agenda.pk, action="start_review", actor=someone)


def test_an_incomplete_agenda_cannot_be_submitted(setting):
    from tests.agendas.factories import make_agenda

    agenda = make_agenda(setting["coalition"], setting["coordinator"], lead_partner_id=None)
    endorse_all(agenda)
    with pytest.raises(ValidationError) as error:
        workflow.transition(agenda_id=agenda.pk, action="submit", actor=setting["coordinator"])
    messages = error.value.messages
    assert "Kies een penvoerder." in messages
    assert "Voeg minstens één prioriteit toe." in messages
    assert not Submission.objects.exists()
    agenda.refresh_from_db()
    assert agenda.status == S.DRAFT


def test_a_change_after_endorsement_resets_it(setting):
    agenda = complete_agenda(setting["coalition"], setting["coordinator"])
    endorse_all(agenda)
    retitle(agenda, setting["coordinator"], "Nieuwe titel")
    with pytest.raises(ValidationError) as error:
        workflow.transition(agenda_id=agenda.pk, action="submit", actor=setting["coordinator"])
    assert "Nog niet onderschreven" in error.value.messages[0]
    endorse_all(agenda)
    submission = workflow.transition(agenda_id=agenda.pk, action="submit", actor=setting["coordinator"])
    assert submission.snapshot["title"] == "Nieuwe titel"


def test_submitting_needs_an_open_round(coalition, alice, chair):
    make_round(chair, name="Gesloten", status="closed")
    agenda = complete_agenda(coalition, alice)
    endorse_all(agenda)
    with pytest.raises(ValidationError) as error:
        workflow.transition(agenda_id=agenda.pk, action="submit", actor=alice)
    assert error.value.messages == ["Er is geen beoordelingsronde open voor indiening."]


def test_the_content_hash_is_the_sha256_of_the_documented_canonical_json(setting):
    agenda = bring_to(S.SUBMITTED, **setting)
    submission = agenda.submissions.get()
    canonical = json.dumps(submission.snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert submission.content_hash == hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    assert submission.snapshot["revision"] == submission.revision_number == agenda.revision_count
    assert submission.snapshot["priorities"][0]["measures"][0]["budget"] == [
        {"year": 2026, "source": "province", "amount": 50000},
        {"year": 2026, "source": "rijk", "amount": 100000},
    ]
    assert submission.snapshot["priorities"][0]["targets"][0]["target_value"] == "50"


def test_the_agenda_is_read_only_while_in_review_and_the_snapshot_never_changes(setting):
    agenda = bring_to(S.IN_REVIEW, **setting)
    submission = agenda.submissions.get()
    frozen = (submission.snapshot, submission.content_hash)
    with pytest.raises(ValidationError):
        retitle(agenda, setting["coordinator"], "Stiekem gewijzigd")
    workflow.transition(agenda_id=agenda.pk, action="withdraw", actor=setting["coordinator"])
    agenda.refresh_from_db()
    retitle(agenda, setting["coordinator"], "Na intrekken gewijzigd")
    submission.refresh_from_db()
    assert (submission.snapshot, submission.content_hash) == frozen
    assert submission.status == Submission.Status.WITHDRAWN


def revise(agenda, coordinator):
    agenda.refresh_from_db()
    retitle(agenda, coordinator, agenda.title + " (herzien)")


def test_revise_and_resubmit_needs_a_new_version_and_goes_to_the_same_round_while_it_is_open(setting):
    first = _returned(setting)
    with pytest.raises(ValidationError) as error:
        submit(first.agenda, setting["coordinator"])
    assert "er is niets gewijzigd sinds het advies" in error.value.messages[0]
    revise(first.agenda, setting["coordinator"])
    resubmitted = submit(first.agenda, setting["coordinator"])
    assert resubmitted.snapshot["title"].endswith("(herzien)")
    assert resubmitted.round == first.round
    assert resubmitted.number == 2
    first.refresh_from_db()
    assert first.status == Submission.Status.RETURNED
    assert first.assignments.filter(status=Assignment.Status.SUBMITTED).count() == 1


def test_revise_and_resubmit_goes_to_the_next_open_round_when_its_round_closed(setting, chair):
    first = _returned(setting)
    services.round_close(actor=chair, round_id=first.round_id)
    later = make_round(chair, name="Ronde 2028")
    revise(first.agenda, setting["coordinator"])
    resubmitted = submit(first.agenda, setting["coordinator"], review_round=None)
    assert resubmitted.round == later


def _returned(setting) -> Submission:
    agenda = complete_agenda(setting["coalition"], setting["coordinator"])
    submission = submit(agenda, setting["coordinator"], setting["review_round"])
    chair, reviewer = setting["chair"], setting["reviewer"]
    assignment = services.assignment_create(actor=chair, submission_id=submission.pk, reviewer_id=reviewer.pk)
    workflow.transition(agenda_id=agenda.pk, action="start_review", actor=chair)
    services.assignment_respond(actor=reviewer, assignment_id=assignment.pk, accept=True, no_conflict=True)
    services.review_save(actor=reviewer, assignment_id=assignment.pk, scores=full_scores(submission), submit=True)
    services.advice_save(actor=chair, submission_id=submission.pk, outcome="revise", rationale="Meer focus.")
    returned = services.advice_publish(actor=chair, submission_id=submission.pk)
    agenda.refresh_from_db()
    assert agenda.status == S.DRAFT
    return returned


def test_booleans_are_not_scores_or_weights(setting, chair):
    agenda = bring_to(S.IN_REVIEW, **setting)
    submission = agenda.submissions.get()
    assignment = submission.assignments.get()
    reviewer = setting["reviewer"]
    services.assignment_respond(actor=reviewer, assignment_id=assignment.pk, accept=True, no_conflict=True)
    criterion = submission.round.criteria.first()
    with pytest.raises(ValidationError) as error:
        services.review_save(
            actor=reviewer, assignment_id=assignment.pk, scores={criterion.pk: services.ScoreInput(True, "x")}
        )
    assert f"score_{criterion.pk}" in error.value.message_dict
    assert not assignment.scores.exists()


def test_advice_is_published_only_through_the_submission_in_review(setting):
    first = _returned(setting)
    revise(first.agenda, setting["coordinator"])
    second = submit(first.agenda, setting["coordinator"])
    chair, reviewer = setting["chair"], setting["reviewer"]
    services.assignment_create(actor=chair, submission_id=second.pk, reviewer_id=reviewer.pk)
    workflow.transition(agenda_id=second.agenda_id, action="start_review", actor=chair)
    with pytest.raises(ValidationError):
        services.advice_publish(actor=chair, submission_id=first.pk)
    second.refresh_from_db()
    assert second.status == Submission.Status.IN_REVIEW
