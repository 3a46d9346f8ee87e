"""Writes of the review: rounds, endorsements, assignments, reviews and advice.

Workflow moves (submit, start review, withdraw, advise, return) go through
``reviews.workflow.transition``; everything else is here. Each function
checks who acts, validates everything into one ``ValidationError`` with
field errors (nothing changes on bad input), and writes its event.

Events about reviewers (assigned, accepted, submitted, …) carry no
coalition: coalition members never see who reviews their agenda.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import GlobalRole, User
from accounts.permissions import has_global_role
from activity.events import record_event
from activity.notifications import notify
from agendas.models import Agenda
from coalitions.models import CoalitionMembership
from regions.models import Theme
from reviews import rubric, workflow
from reviews.conflicts import conflicts
from reviews.models import (
    REASON_MAX,
    TEXT_MAX,
    Advice,
    AdviceOutcome,
    Assignment,
    Criterion,
    Endorsement,
    ReviewRound,
    Score,
    Submission,
)

NAME_MAX = 200


def _is_int(value) -> bool:
    """An int that is not a bool (True would pass as a score of 1)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _require_chair(user: User) -> None:
    if not has_global_role(user, GlobalRole.REVIEW_CHAIR):
        raise PermissionDenied


def _chairs() -> list[User]:
    return list(User.objects.filter(groups__name=GlobalRole.REVIEW_CHAIR, is_active=True))


def _review_event(actor: User | None, verb: str, assignment: Assignment, **extra) -> None:
    submission = assignment.submission
    event = record_event(
        actor=actor,
        verb=verb,
        target=assignment,
        data={
            "submission_id": submission.pk,
            "assignment_id": assignment.pk,
            "title": submission.title,
            "due_date": assignment.due_date.isoformat(),
            **extra,
        },
    )
    if verb in ("review.accepted", "review.declined", "review.submitted"):
        notify(event=event, recipients=_chairs())
    else:
        notify(event=event, recipients=[assignment.reviewer])


# --- Rounds --------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionInput:
    """``code`` is ``theme-<theme code>`` or a general criterion's code (reviews.rubric)."""

    code: str
    weight: int


# The round's own fields, as forms and the API pass them to round_create.
ROUND_FIELDS = (
    "name",
    "programme_name",
    "programme_start_year",
    "programme_end_year",
    "submission_deadline",
    "review_deadline",
    "is_public",
)


def rubric_rows(criteria: list[CriterionInput], themes: dict, errors: dict[str, list[str]]) -> list[Criterion]:
    """The round's criteria, unsaved: a theme's (by ``theme-<code>``) or a general one of ``rubric``.

    Pure: duplicates, weights outside 1-100 and unknown codes go into ``errors["criteria"]``.
    """
    seen: set[str] = set()
    rows: list[Criterion] = []
    for position, item in enumerate(criteria):
        if item.code in seen:
            errors.setdefault("criteria", []).append(_("Elk criterium mag maar één keer voorkomen."))
            continue
        seen.add(item.code)
        if not _is_int(item.weight) or not 1 <= item.weight <= 100:
            errors.setdefault("criteria", []).append(
                _("Het gewicht van een criterium is een geheel getal van 1 tot en met 100.")
            )
            continue
        # Stored in both languages, whatever the chair's: a round's rubric does not change with the reader.
        if item.code in themes:
            theme = themes[item.code]
            description, description_en = rubric.in_both_languages(rubric.THEME_DESCRIPTION)
            rows.append(
                Criterion(
                    position=position,
                    kind=Criterion.Kind.THEME,
                    code=item.code,
                    theme=theme,
                    title=theme.name_nl,
                    title_en=theme.name_en,
                    description=description,
                    description_en=description_en,
                    weight=item.weight,
                )
            )
        elif item.code in rubric.GENERAL_BY_CODE:
            general = rubric.GENERAL_BY_CODE[item.code]
            title, title_en = rubric.in_both_languages(general.title)
            description, description_en = rubric.in_both_languages(general.description)
            rows.append(
                Criterion(
                    position=position,
                    kind=Criterion.Kind.GENERAL,
                    code=item.code,
                    title=title,
                    title_en=title_en,
                    description=description,
                    description_en=description_en,
                    weight=item.weight,
                )
            )
        else:
            errors.setdefault("criteria", []).append(_("Onbekend criterium: %(code)s") % {"code": item.code[:80]})
    return rows


def round_create(
    *,
    actor: User,
    name: str,
    programme_name: str,
    programme_start_year: int,
    programme_end_year: int,
    submission_deadline: datetime.date,
    review_deadline: datetime.date,
    is_public: bool,
    criteria: list[CriterionInput],
) -> ReviewRound:
    """Open a round with its rubric: one criterion per chosen theme plus chosen general criteria."""
    _require_chair(actor)
    errors: dict[str, list[str]] = {}
    name, programme_name = name.strip(), programme_name.strip()
    if not name:
        errors.setdefault("name", []).append(_("Geef de ronde een naam."))
    elif len(name) > NAME_MAX:
        errors.setdefault("name", []).append(_("Hoogstens %(max)s tekens.") % {"max": NAME_MAX})
    elif ReviewRound.objects.filter(name__iexact=name).exists():
        errors.setdefault("name", []).append(_("Er is al een ronde met deze naam."))
    if not programme_name:
        errors.setdefault("programme_name", []).append(_("Noem het financieringsprogramma."))
    elif len(programme_name) > NAME_MAX:
        errors.setdefault("programme_name", []).append(_("Hoogstens %(max)s tekens.") % {"max": NAME_MAX})
    if not (2000 <= programme_start_year <= 2100 and 2000 <= programme_end_year <= 2100):
        errors.setdefault("programme_start_year", []).append(_("Kies jaren tussen 2000 en 2100."))
    elif programme_end_year < programme_start_year:
        errors.setdefault("programme_end_year", []).append(_("Het eindjaar ligt voor het beginjaar."))
    today = timezone.localdate()
    if submission_deadline < today:
        errors.setdefault("submission_deadline", []).append(_("De indiendatum ligt in het verleden."))
    if review_deadline < submission_deadline:
        errors.setdefault("review_deadline", []).append(_("De beoordelingsdatum ligt voor de uiterste indiendatum."))
    rows = rubric_rows(criteria, {f"theme-{t.code}": t for t in Theme.objects.all()}, errors)
    if not rows and "criteria" not in errors:
        errors.setdefault("criteria", []).append(_("Kies minstens één criterium."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        review_round = ReviewRound.objects.create(
            name=name,
            programme_name=programme_name,
            programme_start_year=programme_start_year,
            programme_end_year=programme_end_year,
            submission_deadline=submission_deadline,
            review_deadline=review_deadline,
            is_public=is_public,
            created_by=actor,
        )
        for row in rows:
            row.round = review_round
        Criterion.objects.bulk_create(rows)
        record_event(actor=actor, verb="round.opened", target=review_round, data={"name": name})
    return review_round


def round_close(*, actor: User, round_id: int) -> ReviewRound:
    _require_chair(actor)
    with transaction.atomic():
        review_round = ReviewRound.objects.select_for_update().get(pk=round_id)
        if review_round.status == ReviewRound.Status.CLOSED:
            raise ValidationError(_("Deze ronde is al gesloten."))
        review_round.status = ReviewRound.Status.CLOSED
        review_round.save(update_fields=["status"])
        record_event(actor=actor, verb="round.closed", target=review_round, data={"name": review_round.name})
    return review_round


@dataclass(frozen=True)
class CriterionTexts:
    title: str
    title_en: str = ""
    description: str = ""
    description_en: str = ""


CRITERION_DESCRIPTION_MAX = 2_000


def criteria_texts_update(*, actor: User, round_id: int, texts: dict[int, CriterionTexts]) -> ReviewRound:
    """The chair corrects the Dutch and English titles and descriptions of a round's criteria.

    Before: ``texts`` maps ids of this round's criteria to their new texts.
    After: every criterion named has them (stripped); codes, kinds and
    weights never change here, so scores already given keep their meaning.
    Errors are keyed ``c<id>-<field>``.
    """
    _require_chair(actor)
    errors: dict[str, list[str]] = {}
    with transaction.atomic():
        review_round = ReviewRound.objects.select_for_update().get(pk=round_id)
        criteria = {c.pk: c for c in review_round.criteria.all()}
        changed = []
        for criterion_id, item in texts.items():
            criterion = criteria.get(criterion_id)
            if criterion is None:
                errors.setdefault("criteria", []).append(_("Onbekend criterium."))
                continue
            values = {
                "title": item.title.strip(),
                "title_en": item.title_en.strip(),
                "description": item.description.strip(),
                "description_en": item.description_en.strip(),
            }
            if not values["title"]:
                errors.setdefault(f"c{criterion_id}-title", []).append(_("Geef het criterium een Nederlandse titel."))
            for field, limit in (
                ("title", NAME_MAX),
                ("title_en", NAME_MAX),
                ("description", CRITERION_DESCRIPTION_MAX),
                ("description_en", CRITERION_DESCRIPTION_MAX),
            ):
                if len(values[field]) > limit:
                    errors.setdefault(f"c{criterion_id}-{field}", []).append(
                        _("Hoogstens %(max)s tekens.") % {"max": limit}
                    )
            if any(getattr(criterion, field) != value for field, value in values.items()):
                for field, value in values.items():
                    setattr(criterion, field, value)
                changed.append(criterion)
        if errors:
            raise ValidationError(errors)
        if changed:
            Criterion.objects.bulk_update(changed, ["title", "title_en", "description", "description_en"])
            record_event(
                actor=actor,
                verb="round.criteria_edited",
                target=review_round,
                data={"name": review_round.name, "criteria": [c.code for c in changed]},
            )
    return review_round


# --- Endorsement -----------------------------------------------------------------


def endorse(*, actor: User, agenda_id: int, organisation_id: int) -> Endorsement:
    """A representative of a member organisation endorses the agenda's current revision."""
    with transaction.atomic():
        agenda = Agenda.objects.select_for_update().select_related("coalition").get(pk=agenda_id)
        represents = CoalitionMembership.objects.filter(
            coalition_id=agenda.coalition_id, user=actor, organisation_id=organisation_id
        ).exists()
        if not represents:
            raise PermissionDenied
        if agenda.status != Agenda.Status.DRAFT:
            raise ValidationError(_("Alleen een concept kan worden onderschreven."))
        if not agenda.coalition.organisations.filter(pk=organisation_id).exists():
            raise ValidationError({"organisation": _("Deze organisatie is geen lid van de coalitie.")})
        endorsement, created = Endorsement.objects.get_or_create(
            agenda=agenda,
            organisation_id=organisation_id,
            revision_number=agenda.revision_count,
            defaults={"endorsed_by": actor},
        )
        if created:
            event = record_event(
                actor=actor,
                verb="endorsement.given",
                target=agenda,
                coalition_id=agenda.coalition_id,
                data={
                    "agenda_id": agenda.pk,
                    "organisation": endorsement.organisation.name,
                    "revision": agenda.revision_count,
                },
            )
            coordinators = User.objects.filter(
                coalition_memberships__coalition=agenda.coalition, coalition_memberships__role="coordinator"
            )
            notify(event=event, recipients=coordinators)
    return endorsement


# --- Assignments -------------------------------------------------------------------


def assignment_create(
    *, actor: User, submission_id: int, reviewer_id: int, due_date: datetime.date | None = None
) -> Assignment:
    """The chair invites a reviewer from the pool; tied reviewers cannot be assigned."""
    _require_chair(actor)
    with transaction.atomic():
        submission = Submission.objects.select_for_update().select_related("round", "agenda").get(pk=submission_id)
        if submission.status not in Submission.ACTIVE:
            raise ValidationError(_("Aan deze indiening kunnen geen beoordelaars meer worden toegewezen."))
        reviewer = User.objects.filter(pk=reviewer_id, is_active=True, groups__name=GlobalRole.REVIEWER).first()
        if reviewer is None:
            raise ValidationError({"reviewer": _("Kies een beoordelaar uit de pool.")})
        tied = conflicts(submission, [reviewer]).get(reviewer.pk)
        if tied:
            raise ValidationError(
                {
                    "reviewer": _("%(name)s kan deze agenda niet beoordelen: %(reasons)s.")
                    % {"name": reviewer.display_name, "reasons": "; ".join(tied)}
                }
            )
        due_date = due_date or submission.round.review_deadline
        if due_date < timezone.localdate():
            raise ValidationError({"due_date": _("De uiterste datum ligt in het verleden.")})
        if Assignment.objects.filter(submission=submission, reviewer=reviewer).exists():
            raise ValidationError({"reviewer": _("Deze beoordelaar is al uitgenodigd.")})
        assignment = Assignment.objects.create(
            submission=submission, reviewer=reviewer, assigned_by=actor, due_date=due_date
        )
        _review_event(actor, "review.assigned", assignment)
    return assignment


def _lock_assignment(assignment_id: int) -> Assignment:
    """The assignment, locked after its submission: the submission's status cannot change meanwhile.

    Lock order submission → assignment, the same as publishing advice
    (agenda → submission), so they never deadlock.
    """
    submission_id = Assignment.objects.values_list("submission_id", flat=True).get(pk=assignment_id)
    list(Submission.objects.select_for_update().filter(pk=submission_id).values_list("pk", flat=True))
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("submission", "submission__round", "reviewer")
        .get(pk=assignment_id)
    )


def assignment_respond(
    *, actor: User, assignment_id: int, accept: bool, no_conflict: bool = False, reason: str = ""
) -> Assignment:
    """The reviewer accepts (declaring no conflict of interest) or declines with a reason."""
    reason = (reason or "").strip()
    with transaction.atomic():
        assignment = _lock_assignment(assignment_id)
        if assignment.reviewer_id != actor.pk:
            raise PermissionDenied
        if assignment.status != Assignment.Status.INVITED:
            raise ValidationError(_("U heeft deze uitnodiging al beantwoord."))
        if assignment.submission.status not in Submission.ACTIVE:
            raise ValidationError(_("Deze indiening is niet meer in behandeling."))
        if accept and not no_conflict:
            raise ValidationError(
                {"no_conflict": _("Verklaar dat u geen belangenconflict heeft, of wijs de uitnodiging af.")}
            )
        if not accept and not reason:
            raise ValidationError({"reason": _("Geef een reden waarom u afwijst.")})
        if len(reason) > REASON_MAX:
            raise ValidationError({"reason": _("Hoogstens %(max)s tekens.") % {"max": REASON_MAX}})
        now = timezone.now()
        assignment.responded_at = now
        if accept:
            assignment.status = Assignment.Status.ACCEPTED
            assignment.no_conflict_declared_at = now
        else:
            assignment.status = Assignment.Status.DECLINED
            assignment.decline_reason = reason
        assignment.save(update_fields=["status", "responded_at", "no_conflict_declared_at", "decline_reason"])
        _review_event(actor, "review.accepted" if accept else "review.declined", assignment)
    return assignment


def assignment_extend(*, actor: User, assignment_id: int, due_date: datetime.date) -> Assignment:
    """The chair moves a reviewer's due date (also after it has passed)."""
    _require_chair(actor)
    with transaction.atomic():
        assignment = _lock_assignment(assignment_id)
        if assignment.status in (Assignment.Status.DECLINED, Assignment.Status.SUBMITTED):
            raise ValidationError(_("Deze beoordeling loopt niet meer."))
        if due_date < timezone.localdate():
            raise ValidationError({"due_date": _("De nieuwe datum ligt in het verleden.")})
        if due_date <= assignment.due_date:
            raise ValidationError(
                {"due_date": _("Kies een latere datum dan %(date)s.") % {"date": assignment.due_date}}
            )
        previous = assignment.due_date
        assignment.due_date = due_date
        assignment.save(update_fields=["due_date"])
        _review_event(actor, "review.extended", assignment, previous_due_date=previous.isoformat())
    return assignment


# --- Reviews ---------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreInput:
    score: int | None
    motivation: str = ""


def score_errors(criteria: dict[int, Criterion], scores: dict[int, ScoreInput], summary: str, *, submit: bool):
    """Every field error of a review's scores (pure).

    Scores are whole numbers 1-5 and texts within their limit; to submit,
    every criterion is scored and a 1 or 2 has a motivation.
    """
    errors: dict[str, list[str]] = {}
    for criterion_id, item in scores.items():
        field = f"score_{criterion_id}"
        if criterion_id not in criteria:
            errors.setdefault("scores", []).append(_("Onbekend criterium."))
            continue
        if item.score is not None and (
            not _is_int(item.score) or not rubric.SCORE_MIN <= item.score <= rubric.SCORE_MAX
        ):
            errors.setdefault(field, []).append(_("Een score is een geheel getal van 1 tot en met 5."))
        if len(item.motivation or "") > TEXT_MAX:
            errors.setdefault(f"motivation_{criterion_id}", []).append(
                _("Hoogstens %(max)s tekens.") % {"max": TEXT_MAX}
            )
    if len(summary) > TEXT_MAX:
        errors.setdefault("summary", []).append(_("Hoogstens %(max)s tekens.") % {"max": TEXT_MAX})
    if submit:
        for criterion_id, criterion in criteria.items():
            item = scores.get(criterion_id)
            if item is None or item.score is None:
                errors.setdefault(f"score_{criterion_id}", []).append(
                    _("Geef een score voor “%(title)s”.") % {"title": criterion.shown_title}
                )
            elif (
                _is_int(item.score)
                and item.score <= rubric.MOTIVATION_REQUIRED_AT_OR_BELOW
                and not (item.motivation or "").strip()
            ):
                errors.setdefault(f"motivation_{criterion_id}", []).append(
                    _("Motiveer een score van 1 of 2 voor “%(title)s”.") % {"title": criterion.shown_title}
                )
    return errors


def review_save(
    *, actor: User, assignment_id: int, scores: dict[int, ScoreInput], summary: str = "", submit: bool = False
) -> Assignment:
    """Save the reviewer's scores; with ``submit`` the review is complete, handed in and locked.

    Scores are 1–5; a score of 1 or 2 needs a motivation when submitted; every
    criterion must be scored to submit. After the due date nothing can be
    saved unless the chair extends it.
    """
    summary = (summary or "").strip()
    with transaction.atomic():
        assignment = _lock_assignment(assignment_id)
        if assignment.reviewer_id != actor.pk:
            raise PermissionDenied
        if assignment.status == Assignment.Status.SUBMITTED:
            raise ValidationError(
                _("Uw beoordeling is ingediend en vergrendeld; alleen de voorzitter kan haar heropenen.")
            )
        if assignment.status != Assignment.Status.ACCEPTED:
            raise ValidationError(_("Accepteer eerst de uitnodiging."))
        if assignment.submission.status != Submission.Status.IN_REVIEW:
            raise ValidationError(_("Deze indiening is niet in beoordeling."))
        if timezone.localdate() > assignment.due_date:
            raise ValidationError(
                _("De termijn is op %(date)s verlopen. Vraag de voorzitter om verlenging.")
                % {"date": assignment.due_date.isoformat()}
            )
        criteria = {c.pk: c for c in assignment.submission.round.criteria.all()}
        errors = score_errors(criteria, scores, summary, submit=submit)
        if errors:
            raise ValidationError(errors)
        existing = {s.criterion_id: s for s in assignment.scores.all()}
        for criterion_id, item in scores.items():
            row = existing.get(criterion_id)
            if item.score is None:
                if row is not None:
                    row.delete()
                continue
            if row is None:
                Score.objects.create(
                    assignment=assignment,
                    criterion_id=criterion_id,
                    score=item.score,
                    motivation=(item.motivation or "").strip(),
                )
            elif (row.score, row.motivation) != (item.score, (item.motivation or "").strip()):
                row.score, row.motivation = item.score, (item.motivation or "").strip()
                row.save(update_fields=["score", "motivation"])
        assignment.summary = summary
        assignment.version += 1
        fields = ["summary", "version"]
        if submit:
            assignment.status = Assignment.Status.SUBMITTED
            assignment.submitted_at = timezone.now()
            fields += ["status", "submitted_at"]
        assignment.save(update_fields=fields)
        if submit:
            _review_event(actor, "review.submitted", assignment)
            from reviews import jobs

            jobs.enqueue_aggregate(assignment.submission)
    return assignment


def review_reopen(*, actor: User, assignment_id: int, reason: str) -> Assignment:
    """Only the chair reopens a submitted review; the reviewer can then change it and submit again."""
    _require_chair(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Geef een reden voor het heropenen.")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("Hoogstens %(max)s tekens.") % {"max": REASON_MAX}})
    with transaction.atomic():
        assignment = _lock_assignment(assignment_id)
        if assignment.status != Assignment.Status.SUBMITTED:
            raise ValidationError(_("Alleen een ingediende beoordeling kan worden heropend."))
        if assignment.submission.status != Submission.Status.IN_REVIEW:
            raise ValidationError(_("Deze indiening is niet meer in beoordeling."))
        assignment.status = Assignment.Status.ACCEPTED
        assignment.submitted_at = None
        assignment.version += 1
        if assignment.due_date < timezone.localdate():
            assignment.due_date = timezone.localdate() + datetime.timedelta(days=7)
        assignment.save(update_fields=["status", "submitted_at", "version", "due_date"])
        _review_event(actor, "review.reopened", assignment, reason=reason)
        from reviews import jobs

        jobs.enqueue_aggregate(assignment.submission)
    return assignment


# --- Advice ----------------------------------------------------------------------


def advice_save(
    *,
    actor: User,
    submission_id: int,
    outcome: str,
    rationale: str,
    conditions: str = "",
) -> Advice:
    """The chair drafts (or redrafts) the advice; it is not visible outside the review until published."""
    _require_chair(actor)
    rationale, conditions = (rationale or "").strip(), (conditions or "").strip()
    errors: dict[str, list[str]] = {}
    if outcome not in AdviceOutcome.values:
        errors.setdefault("outcome", []).append(_("Kies een uitkomst."))
    if not rationale:
        errors.setdefault("rationale", []).append(_("Onderbouw het advies."))
    if outcome == AdviceOutcome.CONDITIONAL and not conditions:
        errors.setdefault("conditions", []).append(_("Noem de voorwaarden."))
    for field, text in (("rationale", rationale), ("conditions", conditions)):
        if len(text) > TEXT_MAX:
            errors.setdefault(field, []).append(_("Hoogstens %(max)s tekens.") % {"max": TEXT_MAX})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission_id)
        if submission.status != Submission.Status.IN_REVIEW:
            raise ValidationError(_("Advies kan alleen worden geschreven over een indiening in beoordeling."))
        advice = Advice.objects.filter(submission=submission).first()
        if advice is None:
            try:
                with transaction.atomic():
                    advice = Advice.objects.create(
                        submission=submission,
                        outcome=outcome,
                        rationale=rationale,
                        conditions=conditions,
                        drafted_by=actor,
                    )
            except IntegrityError:  # pragma: no cover - the submission row is locked
                raise ValidationError(_("Het advies is tegelijk door iemand anders aangemaakt.")) from None
        else:
            advice.outcome, advice.rationale, advice.conditions = outcome, rationale, conditions
            advice.drafted_by = actor
            advice.version += 1
            advice.save(update_fields=["outcome", "rationale", "conditions", "drafted_by", "version", "updated_at"])
        record_event(actor=actor, verb="advice.drafted", target=advice, data={"submission_id": submission.pk})
    return advice


def advice_freeze_figures(advice: Advice) -> None:
    """Copy the evidence score and the aggregated scores into the advice (at publication)."""
    evidence = advice.submission.evidence_scores.order_by("-computed_at", "-id").first()
    advice.evidence = (
        {
            "total": str(evidence.total),
            "model_version": evidence.model_version,
            "dataset_versions": evidence.dataset_versions,
            "components": evidence.components,
        }
        if evidence
        else {}
    )
    try:
        aggregate = advice.submission.aggregate
    except Submission.aggregate.RelatedObjectDoesNotExist:
        aggregate = None
    advice.aggregate = (
        {
            "weighted_total": str(aggregate.weighted_total) if aggregate.weighted_total is not None else None,
            "review_count": aggregate.review_count,
            "criteria": aggregate.criteria,
            "disagreement": aggregate.disagreement,
        }
        if aggregate
        else {}
    )


def advice_publish(*, actor: User, submission_id: int, comment: str = "") -> Submission:
    """Publish the drafted advice: the agenda is advised, or goes back to draft for revision."""
    _require_chair(actor)
    submission = Submission.objects.get(pk=submission_id)
    if Submission.objects.filter(agenda_id=submission.agenda_id, number__gt=submission.number).exists():
        # The transition acts on the agenda's latest submission; an older one must not publish its advice.
        raise ValidationError(_("Deze indiening is niet meer in behandeling."))
    advice = Advice.objects.filter(submission=submission).first()
    action = "return_for_revision" if advice is not None and advice.outcome == AdviceOutcome.REVISE else "advise"
    return workflow.transition(agenda_id=submission.agenda_id, action=action, actor=actor, comment=comment)
