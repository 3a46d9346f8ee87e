"""Review rounds and submissions for tests and benchmarks."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.models import User
from agendas.models import Agenda
from agendas.selectors import agenda_queryset
from regions.models import Region, Theme
from reviews import rubric, services, snapshots, workflow
from reviews.models import Assignment, Criterion, ReviewRound, Score, Submission
from tests.agendas.factories import make_agenda, make_measure, make_priority
from tests.factories import make_coalition, make_user


def make_round(chair: User | None = None, *, name: str = "Ronde 2027", theme_count: int = 2, **fields) -> ReviewRound:
    """An open round with one criterion per theme (the first ``theme_count``) and all general criteria."""
    today = timezone.localdate()
    defaults = {
        "programme_name": "Regiodeals brede welvaart",
        "programme_start_year": 2027,
        "programme_end_year": 2034,
        "submission_deadline": today + datetime.timedelta(days=30),
        "review_deadline": today + datetime.timedelta(days=60),
        "is_public": True,
        "created_by": chair,
    }
    defaults.update(fields)
    review_round = ReviewRound.objects.create(name=name, **defaults)
    position = 0
    for theme in Theme.objects.order_by("position")[:theme_count]:
        Criterion.objects.create(
            round=review_round,
            position=position,
            kind=Criterion.Kind.THEME,
            code=rubric.theme_code(theme.code),
            theme=theme,
            title=theme.name_nl,
            title_en=theme.name_en,
            description=rubric.in_both_languages(rubric.THEME_DESCRIPTION)[0],
            description_en=rubric.in_both_languages(rubric.THEME_DESCRIPTION)[1],
            weight=15,
        )
        position += 1
    for general in rubric.GENERAL_CRITERIA:
        Criterion.objects.create(
            round=review_round,
            position=position,
            kind=Criterion.Kind.GENERAL,
            code=general.code,
            title=rubric.in_both_languages(general.title)[0],
            title_en=rubric.in_both_languages(general.title)[1],
            description=rubric.in_both_languages(general.description)[0],
            description_en=rubric.in_both_languages(general.description)[1],
            weight=general.default_weight,
        )
        position += 1
    return review_round


def freeze(agenda: Agenda, review_round: ReviewRound, actor: User | None = None) -> Submission:
    """A submission of the agenda as it is, without the workflow's guards (for scoring tests and benchmarks)."""
    loaded = agenda_queryset().get(pk=agenda.pk)
    snapshot = snapshots.build_snapshot(loaded, organisations=list(agenda.coalition.organisations.order_by("name")))
    number = Submission.objects.filter(agenda=agenda).count() + 1
    submission = Submission.objects.create(
        agenda=agenda,
        round=review_round,
        number=number,
        revision_number=loaded.revision_count,
        snapshot=snapshot,
        content_hash=snapshots.content_hash(snapshot),
        submitted_by=actor,
    )
    Agenda.objects.filter(pk=agenda.pk).update(status=Agenda.Status.SUBMITTED)
    return submission


def complete_agenda(coalition, coordinator: User) -> Agenda:
    """An agenda that passes every completeness rule: lead partner, themes, a priority, a measure, a Rijk request."""
    from tests.agendas.factories import make_agenda, make_measure, make_priority

    agenda = make_agenda(coalition, coordinator)
    priority = make_priority(agenda, coordinator)
    make_measure(agenda, priority, coordinator)
    agenda.refresh_from_db()
    return agenda


def endorse_all(agenda: Agenda) -> None:
    """Every member organisation endorses the current revision (a representative is made where there is none)."""
    from coalitions import services as agenda_services
    from coalitions.models import CoalitionMembership, CoalitionRole
    from reviews import services
    from tests.factories import make_user

    coalition = agenda.coalition
    coordinator = coalition.memberships.filter(role=CoalitionRole.COORDINATOR).first().user
    for organisation in coalition.organisations.order_by("pk"):
        membership = CoalitionMembership.objects.filter(coalition=coalition, organisation=organisation).first()
        if membership is None:
            user = make_user(f"rep{organisation.pk}-{coalition.pk}")
            agenda_services.coalition_set_member(
                coalition=coalition,
                user=user,
                organisation=organisation,
                role=CoalitionRole.VIEWER,
                actor=coordinator,
            )
        else:
            user = membership.user
        services.endorse(actor=user, agenda_id=agenda.pk, organisation_id=organisation.pk)


def submit(agenda: Agenda, coordinator: User, review_round: ReviewRound | None = None) -> Submission:
    from reviews import workflow

    endorse_all(agenda)
    return workflow.transition(
        agenda_id=agenda.pk, action="submit", actor=coordinator, round_id=review_round.pk if review_round else None
    )


def full_scores(submission, score=4):
    return {c.pk: services.ScoreInput(score, "Goed onderbouwd.") for c in submission.round.criteria.all()}


def bring_to(state, *, coalition, coordinator, chair, reviewer, review_round, outcome="positive"):
    """An agenda in ``state``, reached through the workflow itself."""
    agenda = complete_agenda(coalition, coordinator)
    if state == Agenda.Status.DRAFT:
        return agenda
    submission = submit(agenda, coordinator, review_round)
    if state == Agenda.Status.SUBMITTED:
        return agenda
    assignment = services.assignment_create(actor=chair, submission_id=submission.pk, reviewer_id=reviewer.pk)
    workflow.transition(agenda_id=agenda.pk, action="start_review", actor=chair)
    if state == Agenda.Status.IN_REVIEW:
        return agenda
    services.assignment_respond(actor=reviewer, assignment_id=assignment.pk, accept=True, no_conflict=True)
    services.review_save(actor=reviewer, assignment_id=assignment.pk, scores=full_scores(submission), submit=True)
    services.advice_save(actor=chair, submission_id=submission.pk, outcome=outcome, rationale="Sterke agenda.")
    services.advice_publish(actor=chair, submission_id=submission.pk)
    agenda.refresh_from_db()
    assert agenda.status == state
    return agenda


def prepare_guards(agenda, action, *, chair, reviewer):
    """Make the guards of ``action`` pass for an agenda in the rule's source state."""
    submission = agenda.submissions.filter(status__in=Submission.ACTIVE).first()
    if action == "submit":
        endorse_all(agenda)
    elif action == "start_review":
        services.assignment_create(actor=chair, submission_id=submission.pk, reviewer_id=reviewer.pk)
    elif action in ("advise", "return_for_revision"):
        assignment = submission.assignments.get()
        services.assignment_respond(actor=reviewer, assignment_id=assignment.pk, accept=True, no_conflict=True)
        services.review_save(actor=reviewer, assignment_id=assignment.pk, scores=full_scores(submission), submit=True)
        outcome = "revise" if action == "return_for_revision" else "conditional"
        services.advice_save(
            actor=chair, submission_id=submission.pk, outcome=outcome, rationale="Zie rapport.", conditions="Eerst X."
        )


# --- for the scoring jobs ---------------------------------------------------------------------


def scorable_submission(coalition, actor, review_round, title="Kansen voor Oost-Groningen") -> Submission:
    """A frozen submission of an agenda with one priority and one measure (enough to be scored)."""
    agenda = make_agenda(coalition, actor, title=title)
    priority = make_priority(agenda, actor)
    make_measure(agenda, priority, actor)
    return freeze(agenda, review_round, actor)


def submitted_review(submission, reviewer, scores: dict[str, int], *, at=None) -> Assignment:
    """A submitted review with ``scores`` by criterion code (no workflow: the aggregate reads rows)."""
    assignment = Assignment.objects.create(
        submission=submission,
        reviewer=reviewer,
        due_date=timezone.localdate(),
        status=Assignment.Status.SUBMITTED,
        submitted_at=at or timezone.now(),
    )
    criteria = {c.code: c for c in submission.round.criteria.all()}
    Score.objects.bulk_create(
        Score(assignment=assignment, criterion=criteria[code], score=score) for code, score in scores.items()
    )
    return assignment


def open_submissions(count: int) -> list[Submission]:
    """One submission through the factories, and ``count - 1`` copies of it for other regions.

    Each copy needs its own agenda (one open submission per agenda); the
    regions vary so the worker computes several region profiles.
    """
    coordinator = make_user("coordinator")
    coalition = make_coalition(coordinator=coordinator)
    review_round = make_round(coordinator)
    agenda = make_agenda(coalition, coordinator)
    make_measure(agenda, make_priority(agenda, coordinator), coordinator)
    first = freeze(agenda, review_round, coordinator)
    regions = list(Region.objects.filter(kind=Region.Kind.COROP).order_by("code"))
    agendas = Agenda.objects.bulk_create(
        Agenda(
            coalition=coalition,
            region=regions[n % len(regions)],
            title=f"Agenda {n}",
            start_year=agenda.start_year,
            end_year=agenda.end_year,
            status=Agenda.Status.SUBMITTED,
        )
        for n in range(count - 1)
    )
    copies = Submission.objects.bulk_create(
        Submission(
            agenda=copy,
            round=review_round,
            number=1,
            revision_number=first.revision_number,
            snapshot={**first.snapshot, "region": {"code": copy.region.code, "name": copy.region.name}},
            content_hash=first.content_hash,
        )
        for copy in agendas
    )
    return [first, *copies]


# --- questions to the coalition -----------------------------------------------------------------------

# The smallest files of each kind the attachments accept (reviews.attachments checks the content too).
PDF_BYTES = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def upload(name: str = "toelichting.pdf", content: bytes = PDF_BYTES):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def zip_package(parts: dict[str, bytes]) -> bytes:
    """A ZIP package with ``parts`` (for ODT, DOCX and XLSX uploads)."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return buffer.getvalue()


def in_review_with(coalition, coordinator, chair, reviewers, review_round) -> Submission:
    """The coalition's complete agenda, submitted and in review; ``reviewers`` assigned and accepted in order."""
    submission = submit(complete_agenda(coalition, coordinator), coordinator, review_round)
    assignments = [
        services.assignment_create(actor=chair, submission_id=submission.pk, reviewer_id=reviewer.pk)
        for reviewer in reviewers
    ]
    workflow.transition(agenda_id=submission.agenda_id, action="start_review", actor=chair)
    for assignment in assignments:
        services.assignment_respond(
            actor=assignment.reviewer, assignment_id=assignment.pk, accept=True, no_conflict=True
        )
    submission.refresh_from_db()
    return submission


def ask(chair, submission, text="Hoe is de zorg na 2034 geregeld?", *, days=7):
    from reviews import questions

    return questions.question_ask(
        actor=chair,
        submission_id=submission.pk,
        text=text,
        deadline=timezone.localdate() + datetime.timedelta(days=days),
    )


def propose(reviewer, submission, text="Wie betaalt de leerwerkplekken?"):
    from reviews import questions

    assignment = submission.assignments.get(reviewer=reviewer)
    return questions.question_propose(actor=reviewer, assignment_id=assignment.pk, text=text)


def answer(person, question, text="Zie het dekkingsplan.", attachment=None):
    from reviews import questions

    return questions.question_answer(actor=person, question_id=question.pk, answer=text, attachment=attachment)
