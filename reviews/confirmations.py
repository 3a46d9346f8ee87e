"""What the review's irreversible steps say before they happen (``core.confirm``): submitting an agenda,
submitting a review, publishing advice. Each takes what the step's dry run returned."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from coalitions.models import CoalitionMembership
from core.confirm import Confirmation
from reviews.models import Advice, AdviceOutcome, Assignment, Criterion, Submission
from reviews.services import ScoreInput


def person(user: User, coalition_id: int | None = None) -> str:
    """A person by name, with the organisation they represent in the coalition when there is one."""
    if coalition_id is not None:
        membership = (
            CoalitionMembership.objects.filter(coalition_id=coalition_id, user_id=user.pk)
            .select_related("organisation")
            .first()
        )
        if membership is not None:
            return f"{user.display_name} ({membership.organisation.name})"
    return user.display_name


def agenda_submit(actor: User, submission: Submission, back: str) -> Confirmation:
    agenda, review_round = submission.agenda, submission.round
    organisations = [o.name for o in agenda.coalition.organisations.order_by("name")]
    return Confirmation(
        title=_("Agenda indienen?"),
        sentence=_(
            "U dient ‘%(title)s’ (revisie %(revision)s) in bij %(round)s. Daarna kan de coalitie de agenda niet "
            "meer wijzigen tot het advies er is; de coördinator kan de indiening tot dan wel intrekken."
        )
        % {"title": submission.title, "revision": submission.revision_number, "round": review_round.name},
        rows=[
            (_("Agenda"), submission.title),
            (_("Coalitie"), agenda.coalition.name),
            (_("Versie"), _("revisie %(n)s") % {"n": submission.revision_number}),
            (
                _("Beoordelingsronde"),
                _("%(name)s (indienen tot en met %(date)s)")
                % {"name": review_round.name, "date": date_format(review_round.submission_deadline, "j F Y")},
            ),
            (_("Ingediend door"), person(actor, agenda.coalition_id)),
            (_("Ingestemd door"), ", ".join(organisations)),
        ],
        back=back,
    )


def review_submit(
    assignment: Assignment, criteria: list[Criterion], scores: dict[int, ScoreInput], summary: str
) -> Confirmation:
    rows = [(_("Agenda"), assignment.submission.title)]
    for criterion in criteria:
        item = scores.get(criterion.pk)
        value = str(item.score) if item and item.score is not None else _("geen score")
        if item and item.motivation.strip():
            value += f"\n{item.motivation.strip()}"
        rows.append((criterion.shown_title, value))
    if summary.strip():
        rows.append((_("Samenvatting"), summary.strip()))
    return Confirmation(
        title=_("Beoordeling indienen?"),
        sentence=_(
            "U dient uw beoordeling van ‘%(title)s’ in bij de voorzitter. Daarna is zij vergrendeld: "
            "alleen de voorzitter kan haar heropenen."
        )
        % {"title": assignment.submission.title},
        rows=rows,
    )


def advice_publish(actor: User, submission: Submission, back: str) -> Confirmation:
    advice = Advice.objects.get(submission_id=submission.pk)
    revise = advice.outcome == AdviceOutcome.REVISE
    if revise:
        sentence = _(
            "U publiceert het advies ‘%(outcome)s’ over ‘%(title)s’. De agenda gaat terug naar de coalitie om te "
            "herzien; de coalitie en de beoordelaars krijgen bericht. Het advies kan daarna niet meer worden gewijzigd."
        )
    else:
        sentence = _(
            "U publiceert het advies ‘%(outcome)s’ over ‘%(title)s’. De coalitie, de beoordelaars en de ambtenaren "
            "van het Rijk krijgen bericht. Het advies kan daarna niet meer worden gewijzigd."
        )
    rows = [
        (_("Agenda"), submission.title),
        (_("Coalitie"), submission.agenda.coalition.name),
        (_("Beoordelingsronde"), submission.round.name),
        (_("Advies"), advice.get_outcome_display()),
        (_("Gepubliceerd door"), actor.display_name),
    ]
    if submission.round.is_public:
        rows.append((_("Openbaar"), _("Ja: het advies verschijnt op de openbare pagina met adviezen.")))
    return Confirmation(
        title=_("Advies publiceren?"),
        sentence=sentence % {"outcome": advice.get_outcome_display(), "title": submission.title},
        rows=rows,
        back=back,
    )
