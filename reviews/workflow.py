"""The review workflow: one table, one transition function.

An agenda's status moves only through ``transition``. It finds the row of
``TABLE`` for (current state, action) — no row, no move: ``TransitionNotAllowed``
names the actions that are allowed — checks who acts and the guards, locks
the agenda row, applies the action's effect, saves, and writes the event
(actor, time, from, to, comment) and its notifications, all in one
transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import GlobalRole, User
from accounts.permissions import has_global_role
from activity.events import record_event
from activity.notifications import notify
from agendas.models import Agenda
from agendas.panels import SubmitState
from agendas.selectors import agenda_document, agenda_queryset
from coalitions.models import CoalitionMembership, Organisation
from coalitions.permissions import is_coordinator
from core.errors import ServiceConflict
from reviews import snapshots
from reviews.models import Advice, AdviceOutcome, Assignment, Endorsement, ReviewRound, Submission

S = Agenda.Status
COORDINATOR = "coordinator"
CHAIR = "review_chair"
# The comment that goes with a transition (the event keeps it).
COMMENT_MAX = 2_000


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    who: str
    guards: tuple[str, ...] = ()


# fmt: off
TABLE: tuple[Transition, ...] = (
    #          state        action                 target       who          guards
    Transition(S.DRAFT,     "submit",              S.SUBMITTED, COORDINATOR,
               ("complete", "revised", "endorsed", "round_open")),
    Transition(S.SUBMITTED, "start_review",        S.IN_REVIEW, CHAIR,       ("has_reviewers",)),
    Transition(S.SUBMITTED, "withdraw",            S.DRAFT,     COORDINATOR),
    Transition(S.IN_REVIEW, "withdraw",            S.DRAFT,     COORDINATOR),
    Transition(S.IN_REVIEW, "advise",              S.ADVISED,   CHAIR,       ("has_reviews", "advice_final")),
    Transition(S.IN_REVIEW, "return_for_revision", S.DRAFT,     CHAIR,       ("has_reviews", "advice_revise")),
)
# fmt: on
RULES: dict[tuple[str, str], Transition] = {(t.source, t.action): t for t in TABLE}
# Each action has one kind of actor, whatever the state: who may try it is checked before the
# state, so nobody else learns an agenda's state from the answer.
WHO: dict[str, str] = {t.action: t.who for t in TABLE}
assert all(WHO[t.action] == t.who for t in TABLE), "an action's actor must not depend on the state"
ACTIONS: tuple[str, ...] = tuple(dict.fromkeys(t.action for t in TABLE))
ACTION_LABELS = {
    "submit": gettext_lazy("Indienen"),
    "start_review": gettext_lazy("Beoordeling starten"),
    "withdraw": gettext_lazy("Intrekken"),
    "advise": gettext_lazy("Advies uitbrengen"),
    "return_for_revision": gettext_lazy("Terugsturen voor herziening"),
}
# What the submission becomes when the agenda reaches a state by an action.
SUBMISSION_STATUS = {
    "submit": Submission.Status.SUBMITTED,
    "start_review": Submission.Status.IN_REVIEW,
    "withdraw": Submission.Status.WITHDRAWN,
    "advise": Submission.Status.ADVISED,
    "return_for_revision": Submission.Status.RETURNED,
}


class TransitionNotAllowed(ServiceConflict):
    """The action is not in the table for the agenda's current state (HTTP 409)."""

    def __init__(self, state: str, action: str, allowed: list[str]):
        self.state, self.action, self.allowed = state, action, allowed
        super().__init__(
            _("“%(action)s” kan niet in de status “%(state)s”.")
            % {"action": ACTION_LABELS.get(action, action), "state": S(state).label if state in S.values else state}
        )

    def data(self) -> dict:
        """The API's 409 body: ``{detail, state, action, allowed_actions}``."""
        return {"detail": str(self), "state": self.state, "action": self.action, "allowed_actions": list(self.allowed)}


def allowed_actions(state: str) -> list[str]:
    return [t.action for t in TABLE if t.source == state]


def may_act(user: User, who: str, agenda: Agenda) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if who == CHAIR:
        return has_global_role(user, GlobalRole.REVIEW_CHAIR)
    if who == COORDINATOR:
        return is_coordinator(user, agenda.coalition_id)
    raise ValueError(who)


@dataclass
class Context:
    """What guards and effects look at; the agenda row is locked."""

    agenda: Agenda
    actor: User
    comment: str
    round_id: int | None
    today: object = field(default_factory=timezone.localdate)

    @cached_property
    def submission(self) -> Submission | None:
        """The agenda's submission under way (submitted or in review), locked."""
        return (
            Submission.objects.select_for_update()
            .filter(agenda=self.agenda, status__in=Submission.ACTIVE)
            .select_related("round")
            .first()
        )

    @cached_property
    def loaded(self) -> Agenda:
        return agenda_queryset().get(pk=self.agenda.pk)

    @cached_property
    def document(self):
        return agenda_document(self.loaded)

    @cached_property
    def target_round(self) -> ReviewRound | None:
        return choose_round(self.agenda, self.round_id, self.today)

    @cached_property
    def advice(self) -> Advice | None:
        return Advice.objects.filter(submission=self.submission).first() if self.submission else None


def choose_round(agenda: Agenda, round_id: int | None, today) -> ReviewRound | None:
    """Where a submission goes (see ``pick_round``)."""
    open_rounds = list(
        ReviewRound.objects.filter(status=ReviewRound.Status.OPEN, submission_deadline__gte=today).order_by(
            "submission_deadline", "id"
        )
    )
    returned = agenda.submissions.filter(status=Submission.Status.RETURNED).order_by("-number").first()
    return pick_round(open_rounds, returned.round_id if returned else None, round_id)


def pick_round(open_rounds: list[ReviewRound], returned_round_id: int | None, round_id: int | None):
    """A new version of an agenda sent back for revision goes to the same round
    while it accepts submissions, else to the next open one; a first
    submission goes to the chosen round, or to the next open one.

    ``open_rounds`` are the rounds accepting submissions, soonest deadline first.
    """
    by_id = {r.pk: r for r in open_rounds}
    if returned_round_id is not None:
        if returned_round_id in by_id:
            return by_id[returned_round_id]
    elif round_id is not None:
        return by_id.get(round_id)
    return open_rounds[0] if open_rounds else None


class OrganisationEndorsement(NamedTuple):
    organisation: Organisation
    # Of the agenda's current revision; None when not (yet) endorsed.
    endorsement: Endorsement | None
    # Whether a member of the coalition represents the organisation (their membership names it):
    # only a representative can endorse on its behalf.
    has_representative: bool


def endorsement_state(agenda: Agenda) -> list[OrganisationEndorsement]:
    """Every member organisation, by name, with its endorsement of the agenda's current revision and
    whether it has a representative. Two queries, whatever the number of organisations."""
    representatives = CoalitionMembership.objects.filter(
        coalition_id=agenda.coalition_id, organisation_id=OuterRef("pk")
    )
    organisations = list(
        agenda.coalition.organisations.annotate(has_representative=Exists(representatives)).order_by("name")
    )
    current = {
        e.organisation_id: e
        for e in Endorsement.objects.filter(agenda=agenda, revision_number=agenda.revision_count).select_related(
            "endorsed_by"
        )
    }
    return [OrganisationEndorsement(o, current.get(o.pk), o.has_representative) for o in organisations]


def submit_state(agenda: Agenda) -> SubmitState:
    """For the agenda page's completeness panel (agendas.panels.SUBMIT_CHECK): the submit row's guards
    other than "complete" (the panel shows those itself), or when the agenda was submitted.

    Reads only; the transition checks everything again on the locked row.
    """
    if agenda.status != Agenda.Status.DRAFT:
        latest = agenda.submissions.order_by("-number").values_list("submitted_at", flat=True).first()
        return SubmitState(submitted_at=latest)
    ctx = Context(agenda=agenda, actor=None, comment="", round_id=None)
    guards = RULES[(Agenda.Status.DRAFT, "submit")].guards
    return SubmitState(blockers=[message for name in guards if name != "complete" for message in GUARDS[name](ctx)])


# --- Guards: each returns the reason it fails, or None. -----------------------


def _guard_complete(ctx: Context) -> list[str]:
    # The editor's completeness rules, lead partner (penvoerder) included.
    return [gap.message for gap in ctx.document.gaps]


def _guard_revised(ctx: Context) -> list[str]:
    # After "revise and resubmit" the next submission is a new version.
    returned = ctx.agenda.submissions.filter(status=Submission.Status.RETURNED).order_by("-number").first()
    if returned is not None and returned.revision_number == ctx.agenda.revision_count:
        return [_("Herzie de agenda eerst: er is niets gewijzigd sinds het advies om te herzien.")]
    return []


def _guard_endorsed(ctx: Context) -> list[str]:
    state = endorsement_state(ctx.agenda)
    missing = [row.organisation.name for row in state if row.endorsement is None]
    if not missing:
        return []
    problems = [
        _("Nog niet onderschreven in de huidige versie (revisie %(revision)s) door: %(names)s.")
        % {"revision": ctx.agenda.revision_count, "names": ", ".join(missing)}
    ]
    # Said apart: these cannot endorse at all until someone represents them.
    unrepresented = [row.organisation.name for row in state if not row.has_representative]
    if unrepresented:
        problems.append(
            _(
                "Nog zonder vertegenwoordiger in de coalitie, en dus nog niet in staat in te stemmen: %(names)s. "
                "Nodig op de ledenpagina een vertegenwoordiger uit."
            )
            % {"names": ", ".join(unrepresented)}
        )
    return problems


def _guard_round_open(ctx: Context) -> list[str]:
    if ctx.target_round is None:
        return [_("Er is geen beoordelingsronde open voor indiening.")]
    return []


def _guard_has_reviewers(ctx: Context) -> list[str]:
    if not ctx.submission.assignments.exclude(status=Assignment.Status.DECLINED).exists():
        return [_("Wijs eerst minstens één beoordelaar toe.")]
    return []


def _guard_has_reviews(ctx: Context) -> list[str]:
    if not ctx.submission.assignments.filter(status=Assignment.Status.SUBMITTED).exists():
        return [_("Er is nog geen beoordeling ingediend.")]
    return []


def _guard_advice(ctx: Context, *, revise: bool) -> list[str]:
    if ctx.advice is None:
        return [_("Schrijf eerst het advies.")]
    if (ctx.advice.outcome == AdviceOutcome.REVISE) != revise:
        return [_("De uitkomst van het advies past niet bij deze stap.")]
    return []


GUARDS: dict[str, Callable[[Context], list[str]]] = {
    "complete": _guard_complete,
    "revised": _guard_revised,
    "endorsed": _guard_endorsed,
    "round_open": _guard_round_open,
    "has_reviewers": _guard_has_reviewers,
    "has_reviews": _guard_has_reviews,
    "advice_final": lambda ctx: _guard_advice(ctx, revise=False),
    "advice_revise": lambda ctx: _guard_advice(ctx, revise=True),
}


# --- Effects: what an action does besides moving the state. ------------------


def _submit(ctx: Context) -> Submission:
    agenda = ctx.loaded
    organisations = list(agenda.coalition.organisations.order_by("name"))
    snapshot = snapshots.build_snapshot(agenda, organisations=organisations)
    number = (
        Submission.objects.filter(agenda=agenda).order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    return Submission.objects.create(
        agenda=ctx.agenda,
        round=ctx.target_round,
        number=number,
        revision_number=agenda.revision_count,
        snapshot=snapshot,
        content_hash=snapshots.content_hash(snapshot),
        submitted_by=ctx.actor,
    )


def _close(ctx: Context, status: str) -> Submission:
    submission = ctx.submission
    submission.status = status
    submission.closed_at = timezone.now()
    submission.save(update_fields=["status", "closed_at"])
    return submission


def _advance(ctx: Context, status: str) -> Submission:
    submission = ctx.submission
    submission.status = status
    submission.save(update_fields=["status"])
    return submission


def _publish_advice(ctx: Context, status: str) -> Submission:
    from reviews import jobs
    from reviews.services import advice_freeze_figures

    # The figures frozen into the advice are those of the reviews as they are now, not whatever a
    # background job last stored: both are computed here (idempotent; the submission row is locked).
    jobs.score_evidence(ctx.submission)
    jobs.aggregate_reviews(ctx.submission)
    advice = ctx.advice
    advice_freeze_figures(advice)
    advice.published_at = timezone.now()
    advice.published_by = ctx.actor
    advice.save(update_fields=["published_at", "published_by", "evidence", "aggregate", "updated_at"])
    return _close(ctx, status)


EFFECTS: dict[str, Callable[[Context, str], Submission]] = {
    "submit": lambda ctx, status: _submit(ctx),
    "start_review": _advance,
    "withdraw": _close,
    "advise": _publish_advice,
    "return_for_revision": _publish_advice,
}


def _recipients(ctx: Context, action: str, submission: Submission) -> list[User]:
    """Coalition members always; chairs for the coalition's own moves; reviewers when their work changes."""
    members = list(User.objects.filter(coalition_memberships__coalition_id=ctx.agenda.coalition_id, is_active=True))
    chairs = list(User.objects.filter(groups__name=GlobalRole.REVIEW_CHAIR, is_active=True))
    reviewers = list(
        User.objects.filter(
            review_assignments__submission=submission,
            review_assignments__status__in=[
                Assignment.Status.INVITED,
                Assignment.Status.ACCEPTED,
                Assignment.Status.SUBMITTED,
            ],
        )
    )
    if action in ("submit", "withdraw"):
        return members + chairs + (reviewers if action == "withdraw" else [])
    if action == "start_review":
        return members + reviewers
    # advise, return_for_revision
    officials = list(User.objects.filter(groups__name=GlobalRole.RIJK_OFFICIAL, is_active=True))
    return members + reviewers + (officials if action == "advise" else [])


def transition(
    *, agenda_id: int, action: str, actor: User, comment: str = "", round_id: int | None = None
) -> Submission:
    """Move an agenda by ``action``; returns the submission the action was about.

    Raises ``PermissionDenied`` (not the kind of person who takes this action;
    checked first, so the answer tells them nothing about the agenda),
    ``TransitionNotAllowed`` (no such row in TABLE) or ``ValidationError`` (a
    guard fails; every failing guard is listed). Nothing changes unless
    everything passes.
    """
    if action not in ACTIONS:
        raise ValidationError({"action": _("Onbekende stap.")})
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise ValidationError({"comment": _("Een toelichting is hoogstens %(max)s tekens.") % {"max": COMMENT_MAX}})
    with transaction.atomic():
        agenda = Agenda.objects.select_for_update().select_related("coalition").get(pk=agenda_id)
        if not may_act(actor, WHO[action], agenda):
            raise PermissionDenied
        rule = RULES.get((agenda.status, action))
        if rule is None:
            raise TransitionNotAllowed(agenda.status, action, allowed_actions(agenda.status))
        ctx = Context(agenda=agenda, actor=actor, comment=comment, round_id=round_id)
        problems = [message for guard in rule.guards for message in GUARDS[guard](ctx)]
        if problems:
            raise ValidationError(problems)
        submission = EFFECTS[action](ctx, SUBMISSION_STATUS[action])
        Agenda.objects.filter(pk=agenda.pk).update(status=rule.target, updated_at=timezone.now())
        event = record_event(
            actor=actor,
            verb=f"submission.{action}",
            target=submission,
            coalition_id=agenda.coalition_id,
            data={
                "agenda_id": agenda.pk,
                "submission_id": submission.pk,
                "title": submission.title,
                "round": submission.round.name,
                "from": rule.source,
                "to": rule.target,
                "comment": comment,
            },
        )
        notify(event=event, recipients=_recipients(ctx, action, submission))
        if action == "submit":
            from reviews import jobs

            jobs.enqueue_evidence(submission)
    return submission
