"""Demo data of the review (local default only, called by ``kansenagenda.demo.load_demo``).

A public round, the Parkstad demo agenda endorsed by a (demo) representative
of every partner and submitted, three reviewers: one has handed in a review,
one is invited (log in as ``beoordelaar`` to accept and score), and one is tied
to a partner (the chair's page shows the conflict of interest). Two questions
went to the coalition: one answered (with an attachment), one open. The
advice is left to the chair (``voorzitter``).

A second demo agenda, of Zeeuws-Vlaanderen, has gone the whole way in the same
round: endorsed, submitted, reviewed by two reviewers and advised positively,
with the advice published (``load_advised_demo``; ``funding.demo`` gives it an
approved decision). All of it is example data.
"""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from agendas.demo import demo_agenda
from agendas.models import Agenda
from coalitions import services as agenda_services
from coalitions.models import Affiliation, Coalition, CoalitionMembership, CoalitionRole, Organisation
from reviews import questions, rubric, services, workflow
from reviews.models import AdviceOutcome, ReviewRound, Submission

ROUND_NAME = "Ronde 2027: regiodeals brede welvaart (demo)"
THEMES = ["gezondheid", "materiele-welvaart", "arbeid-en-vrije-tijd", "menselijk-kapitaal"]

# The advised (and funded) demo agenda: its coalition, coordinator and the roles of its partners.
ADVISED_SLUG = "zeeuws-vlaanderen"
ADVISED_COORDINATOR = ("zeeuws-vlaanderen", "Lotte Verhage (demo)", "Gemeente Terneuzen")
ADVISED_AGENDA = {
    "title": "Kansenagenda Zeeuws-Vlaanderen 2027–2040",
    "name": "Zeeuws-Vlaanderen",
    "lead_partner": "Gemeente Terneuzen",
    "roles": {
        "municipality": "Gemeente Terneuzen",
        "second_municipality": "Gemeente Hulst",
        "province": "Provincie Zeeland",
        "second_province": "Provincie Zeeland",
    },
}


def _demo_round(chair: User) -> ReviewRound:
    review_round = ReviewRound.objects.filter(name=ROUND_NAME).first()
    if review_round is not None:
        return review_round
    today = timezone.localdate()
    return services.round_create(
        actor=chair,
        name=ROUND_NAME,
        programme_name="Regiodeals brede welvaart (demo)",
        programme_start_year=2027,
        programme_end_year=2034,
        submission_deadline=today + datetime.timedelta(days=60),
        review_deadline=today + datetime.timedelta(days=120),
        is_public=True,
        criteria=[services.CriterionInput(rubric.theme_code(code), 15) for code in THEMES]
        + [services.CriterionInput(c.code, c.default_weight) for c in rubric.GENERAL_CRITERIA],
    )


def _endorse_and_submit(agenda: Agenda, review_round: ReviewRound, *, admin: User, prefix: str) -> Submission:
    """Every partner endorses (a demo representative ``<prefix>-<place>`` where it has no member), then submit."""
    coalition = agenda.coalition
    coordinator = coalition.memberships.get(role=CoalitionRole.COORDINATOR).user
    for organisation in coalition.organisations.order_by("name"):
        membership = CoalitionMembership.objects.filter(coalition=coalition, organisation=organisation).first()
        if membership is None:
            short = organisation.name.split(" ", 1)[-1].lower().replace(" ", "-")
            user, _ = User.objects.get_or_create(
                username=f"{prefix}-{short}",
                defaults={
                    "email": f"{prefix}-{short}@demo.kansenagenda.localhost",
                    "full_name": f"Vertegenwoordiger {organisation.name} (demo)",
                },
            )
            agenda_services.coalition_set_member(
                coalition=coalition, user=user, organisation=organisation, role=CoalitionRole.VIEWER, actor=admin
            )
        else:
            user = membership.user
        services.endorse(actor=user, agenda_id=agenda.pk, organisation_id=organisation.pk)
    return workflow.transition(
        agenda_id=agenda.pk, action="submit", actor=coordinator, round_id=review_round.pk, comment="Demo-indiening."
    )


def load_review_demo(agenda: Agenda, *, admin: User) -> None:
    chair = User.objects.get(username="voorzitter")
    review_round = _demo_round(chair)
    submission = _endorse_and_submit(agenda, review_round, admin=admin, prefix="parkstad")

    done, invited, tied = (User.objects.get(username=u) for u in ("beoordelaar2", "beoordelaar", "beoordelaar3"))
    Affiliation.objects.get_or_create(
        user=tied,
        organisation=Organisation.objects.get(name="Gemeente Heerlen"),
        defaults={"start_date": datetime.date(2019, 1, 1), "role_title": "Beleidsadviseur (demo)"},
    )
    first = services.assignment_create(actor=chair, submission_id=submission.pk, reviewer_id=done.pk)
    services.assignment_create(actor=chair, submission_id=submission.pk, reviewer_id=invited.pk)
    workflow.transition(agenda_id=agenda.pk, action="start_review", actor=chair)
    services.assignment_respond(actor=done, assignment_id=first.pk, accept=True, no_conflict=True)
    scores = {}
    for criterion in review_round.criteria.all():
        score = 2 if criterion.code == "durability" else 4
        motivation = "Hoe de maatregelen na 2034 doorlopen, is niet beschreven. (demo)" if score <= 2 else ""
        scores[criterion.pk] = services.ScoreInput(score, motivation)
    services.review_save(
        actor=done,
        assignment_id=first.pk,
        scores=scores,
        summary="Sterke analyse van gezondheid en werk; de borging na de financieringsperiode ontbreekt. (demo)",
        submit=True,
    )
    _load_questions(submission, chair=chair, reviewer=done, assignment=first)


def _load_questions(submission: Submission, *, chair: User, reviewer: User, assignment) -> None:
    """Two questions to the Parkstad coalition: one proposed by a reviewer, sent and answered with an attachment;
    one asked by the chair and still open (log in as ``parkstad`` to answer it on the agenda page)."""
    today = timezone.localdate()
    proposed = questions.question_propose(
        actor=reviewer,
        assignment_id=assignment.pk,
        text="Hoe blijft de inzet van extra zorgpersoneel na 2034 betaald? (demo)",
    )
    questions.question_ask(
        actor=chair,
        submission_id=submission.pk,
        deadline=today + datetime.timedelta(days=7),
        proposed_question_id=proposed.pk,
    )
    attachment = ContentFile(
        b"jaar;gemeente;regio;rijk\n2035;400000;250000;0\n2036;420000;260000;0\n",
        name="dekkingsplan-zorgpersoneel-demo.csv",
    )
    questions.question_answer(
        actor=User.objects.get(username="parkstad"),
        question_id=proposed.pk,
        answer=(
            "De zeven gemeenten nemen de kosten vanaf 2035 over in hun begroting, samen met de zorgverzekeraar; "
            "het dekkingsplan zit in de bijlage. (demo)"
        ),
        attachment=attachment,
    )
    questions.question_ask(
        actor=chair,
        submission_id=submission.pk,
        text="Welke partners dragen de maatregel “Leerwerkplekken in de zorg” na de eerste drie jaar? (demo)",
        deadline=today + datetime.timedelta(days=14),
    )


def load_advised_demo(*, admin: User) -> Submission | None:
    """The Zeeuws-Vlaanderen demo agenda with published positive advice; made once.

    Returns its advised submission, also when it already existed; None when the
    coalition's agenda was taken elsewhere (someone worked with the demo), so a
    second ``load_demo`` never changes what people did.
    """
    coalition = Coalition.objects.get(slug=ADVISED_SLUG)
    if coalition.agendas.exists():
        return Submission.objects.filter(agenda__coalition=coalition, status=Submission.Status.ADVISED).first()
    chair = User.objects.get(username="voorzitter")
    username, full_name, organisation_name = ADVISED_COORDINATOR
    coordinator, created = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@demo.kansenagenda.localhost", "full_name": full_name}
    )
    if created:
        coordinator.set_password(DEMO_PASSWORD)
        coordinator.save(update_fields=["password"])
    organisation = Organisation.objects.get(name=organisation_name)
    Affiliation.objects.get_or_create(
        user=coordinator, organisation=organisation, defaults={"start_date": datetime.date(2020, 1, 1)}
    )
    agenda_services.coalition_set_member(
        coalition=coalition, user=coordinator, organisation=organisation, role=CoalitionRole.COORDINATOR, actor=admin
    )
    agenda = demo_agenda(coalition, coordinator, **ADVISED_AGENDA)
    review_round = _demo_round(chair)
    submission = _endorse_and_submit(agenda, review_round, admin=admin, prefix="zvl")

    reviewers = [User.objects.get(username=u) for u in ("beoordelaar2", "beoordelaar3")]
    assignments = [
        services.assignment_create(actor=chair, submission_id=submission.pk, reviewer_id=reviewer.pk)
        for reviewer in reviewers
    ]
    workflow.transition(agenda_id=agenda.pk, action="start_review", actor=chair)
    for reviewer, assignment, base in zip(reviewers, assignments, (4, 3), strict=True):
        services.assignment_respond(actor=reviewer, assignment_id=assignment.pk, accept=True, no_conflict=True)
        services.review_save(
            actor=reviewer,
            assignment_id=assignment.pk,
            scores={criterion.pk: services.ScoreInput(base, "") for criterion in review_round.criteria.all()},
            summary="Samenhangende agenda; de samenwerking over de grens met Vlaanderen is sterk. (demo)",
            submit=True,
        )
    services.advice_save(
        actor=chair,
        submission_id=submission.pk,
        outcome=AdviceOutcome.POSITIVE,
        rationale=(
            "De agenda pakt de achterstanden in gezondheid en werk samen aan en bouwt voort op de haven en de "
            "grens met Vlaanderen. De maatregelen zijn concreet en de cofinanciering is geregeld. (demo-advies)"
        ),
    )
    return services.advice_publish(actor=chair, submission_id=submission.pk, comment="Demo-advies gepubliceerd.")
