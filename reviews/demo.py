"""Demo data of the review (local default only, called by ``kansenagenda.demo.load_demo``).

A public round, the Parkstad demo agenda endorsed by a (demo) representative
of every partner and submitted, three reviewers: one has handed in a review,
one is invited (log in as ``beoordelaar`` to accept and score), and one is tied
to a partner (the chair's page shows the conflict of interest). The advice is
left to the chair (``voorzitter``). All of it is example data.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from kansenagenda import services as agenda_services
from kansenagenda.models import Affiliation, Agenda, CoalitionMembership, CoalitionRole, Organisation, User
from reviews import rubric, services, workflow

ROUND_NAME = "Ronde 2027: regiodeals brede welvaart (demo)"
THEMES = ["gezondheid", "materiele-welvaart", "arbeid-en-vrije-tijd", "menselijk-kapitaal"]


def load_review_demo(agenda: Agenda, *, admin: User) -> None:
    chair = User.objects.get(username="voorzitter")
    today = timezone.localdate()
    review_round = services.round_create(
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
    coalition = agenda.coalition
    coordinator = coalition.memberships.get(role=CoalitionRole.COORDINATOR).user
    for organisation in coalition.organisations.order_by("name"):
        membership = CoalitionMembership.objects.filter(coalition=coalition, organisation=organisation).first()
        if membership is None:
            short = organisation.name.split(" ", 1)[-1].lower().replace(" ", "-")
            user, _ = User.objects.get_or_create(
                username=f"parkstad-{short}",
                defaults={
                    "email": f"parkstad-{short}@demo.kansenagenda.localhost",
                    "full_name": f"Vertegenwoordiger {organisation.name} (demo)",
                },
            )
            agenda_services.coalition_set_member(
                coalition=coalition, user=user, organisation=organisation, role=CoalitionRole.VIEWER, actor=admin
            )
        else:
            user = membership.user
        services.endorse(actor=user, agenda_id=agenda.pk, organisation_id=organisation.pk)
    submission = workflow.transition(
        agenda_id=agenda.pk, action="submit", actor=coordinator, round_id=review_round.pk, comment="Demo-indiening."
    )

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
