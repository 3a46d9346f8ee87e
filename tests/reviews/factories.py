"""Review rounds and submissions for tests and benchmarks."""

from __future__ import annotations

import datetime

from django.utils import timezone

from kansenagenda.models import Agenda, User
from kansenagenda.selectors import agenda_queryset
from regions.models import Theme
from reviews import rubric, snapshots
from reviews.models import Criterion, ReviewRound, Submission


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
            weight=15,
        )
        position += 1
    for general in rubric.GENERAL_CRITERIA:
        Criterion.objects.create(
            round=review_round,
            position=position,
            kind=Criterion.Kind.GENERAL,
            code=general.code,
            title=str(general.title),
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
    from kansenagenda import services as agenda_services
    from kansenagenda.models import CoalitionMembership, CoalitionRole
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
