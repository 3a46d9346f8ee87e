"""Review tasks for *Mijn taken*: submitting and endorsing drafts, reviewing, and the chair's work.

* Coordinators: per draft agenda what still stands between it and submitting
  (completeness gaps, organisations without a representative, organisations
  that have not endorsed the current revision, an open round), or, after
  "revise and resubmit", the advice to read first.
* Representatives (every member, for the organisation their membership
  names): the drafts their organisation has not endorsed in the current revision.
* Coordinators and editors: the review's open questions about their agendas under review.
* Reviewers: invitations to answer and reviews to write.
* The chair: submissions without reviewers or not yet started, overdue
  reviews, advice to write and to publish, reviewers' proposed questions to
  send or not, and questions whose answer is late.

The endorsements are counted here for all drafts at once, like
``workflow.endorsement_state`` counts them for one agenda.
"""

from __future__ import annotations

from django.db.models import F, Min, OuterRef, Q, Subquery
from django.db.models.fields.json import KT, KeyTextTransform
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import GlobalRole
from accounts.permissions import has_global_role
from agendas.models import Agenda
from agendas.worklist import agendas_of, coordinated_drafts, drafts_of
from coalitions.models import CoalitionRole
from coalitions.worklist import (
    COORDINATOR,
    REPRESENTATIVE,
    REPRESENTATIVE_LABEL,
    coordinator_label,
    member_organisations,
    memberships,
)
from core.worklist import Task, any_of, count_of, names, register, shared
from reviews import workflow
from reviews.models import Advice, Assignment, Endorsement, Question, ReviewRound, Submission

LIVE_ASSIGNMENT = (Assignment.Status.INVITED, Assignment.Status.ACCEPTED, Assignment.Status.SUBMITTED)
OPEN_ASSIGNMENT = (Assignment.Status.INVITED, Assignment.Status.ACCEPTED)


# --- What the coordinator's and the representatives' providers share --------------------------------


def open_rounds(user) -> list[ReviewRound]:
    """The rounds accepting submissions, soonest deadline first (one query, shared)."""
    return shared(
        user,
        "reviews.open_rounds",
        lambda: list(
            ReviewRound.objects.filter(
                status=ReviewRound.Status.OPEN, submission_deadline__gte=timezone.localdate()
            ).order_by("submission_deadline", "id")
        ),
    )


def returned_submissions(user, drafts: list[Agenda]) -> dict[int, Submission]:
    """Each draft's latest submission sent back for revision, if any (one query, shared)."""

    def compute() -> dict[int, Submission]:
        latest: dict[int, Submission] = {}
        for submission in (
            Submission.objects.filter(agenda_id__in=[a.pk for a in drafts], status=Submission.Status.RETURNED)
            .defer("snapshot")
            .order_by("agenda_id", "-number")
        ):
            latest.setdefault(submission.agenda_id, submission)
        return latest

    return shared(user, "reviews.returned", compute)


def endorsed(user, drafts: list[Agenda]) -> set[tuple[int, int]]:
    """(agenda, organisation) of every endorsement of a draft's current revision (one query, shared)."""
    return shared(
        user,
        "reviews.endorsed",
        lambda: set(
            Endorsement.objects.filter(
                agenda_id__in=[a.pk for a in drafts], revision_number=F("agenda__revision_count")
            ).values_list("agenda_id", "organisation_id")
        ),
    )


def submission_round(user, agenda: Agenda, returned: Submission | None) -> ReviewRound | None:
    """Where the draft would go now (``workflow.pick_round``): its deadline is the task's due date."""
    return workflow.pick_round(open_rounds(user), returned.round_id if returned else None, None)


def agenda_url(agenda: Agenda) -> str:
    return reverse("agendas:detail", args=[agenda.pk]) + "#indienen"


# --- Coordinators -------------------------------------------------------------------------------------


def coordinator_tasks(user) -> list[Task]:
    drafts = coordinated_drafts(user)
    if not drafts:
        return []
    every_draft = drafts_of(user)
    returned = returned_submissions(user, every_draft)
    done = endorsed(user, every_draft)
    organisations = member_organisations(user)
    tasks = []
    for agenda in drafts:
        back = returned.get(agenda.pk)
        target = submission_round(user, agenda, back)
        due = target.submission_deadline if target else None
        common = {
            "role": COORDINATOR,
            "role_label": coordinator_label(),
            "context": agenda.coalition.name,
            "due": due,
        }
        if back is not None and back.revision_number == agenda.revision_count:
            # The guard "revised": nothing can be submitted before the agenda changed since the advice.
            tasks.append(
                Task(
                    kind="agenda.revise",
                    title=_("Herzie “%(title)s” na het advies") % {"title": agenda.title},
                    detail=_("Het advies is: herzien en opnieuw indienen. Lees het advies en pas de agenda aan."),
                    url=reverse("reviews:submission", args=[back.pk]) + "#advies",
                    action=_("Advies lezen"),
                    **common,
                )
            )
            continue
        members = organisations.get(agenda.coalition_id, [])
        missing = []
        if agenda.gap_count:
            missing.append(
                ngettext("nog %(n)s punt onvolledig", "nog %(n)s punten onvolledig", agenda.gap_count)
                % {"n": agenda.gap_count}
            )
        unrepresented = [o.name for o in members if not o.represented]
        if unrepresented:
            missing.append(
                ngettext(
                    "%(n)s organisatie zonder vertegenwoordiger",
                    "%(n)s organisaties zonder vertegenwoordiger",
                    len(unrepresented),
                )
                % {"n": len(unrepresented)}
            )
        not_endorsed = [o.name for o in members if (agenda.pk, o.organisation_id) not in done]
        if not_endorsed:
            missing.append(_("nog geen instemming van %(names)s") % {"names": names(not_endorsed)})
        if target is None:
            missing.append(_("er is geen beoordelingsronde open"))
        if missing:
            title = _("“%(title)s” is nog niet klaar om in te dienen") % {"title": agenda.title}
            detail = _("Nog te doen: %(items)s.") % {"items": "; ".join(missing)}
            action = _("Naar de agenda")
        else:
            title = _("Dien “%(title)s” in") % {"title": agenda.title}
            detail = _("De agenda is compleet en elke organisatie heeft ingestemd met deze versie.")
            if back is not None:
                detail += " " + _("Het is een herziene versie na het advies.")
            action = _("Indienen")
        tasks.append(
            Task(kind="agenda.submit", title=title, detail=detail, url=agenda_url(agenda), action=action, **common)
        )
    return tasks


# --- Representatives ------------------------------------------------------------------------------------


def representative_tasks(user) -> list[Task]:
    """The drafts the organisation the user represents in a coalition has not endorsed in their current revision."""
    drafts = drafts_of(user)
    if not drafts:
        return []
    returned = returned_submissions(user, drafts)
    done = endorsed(user, drafts)
    organisations = member_organisations(user)
    represents = {m.coalition_id: m.organisation for m in memberships(user)}
    tasks = []
    for agenda in drafts:
        organisation = represents[agenda.coalition_id]
        if organisation.pk not in {o.organisation_id for o in organisations.get(agenda.coalition_id, [])}:
            continue  # no longer a member organisation: nothing to endorse for
        if (agenda.pk, organisation.pk) in done:
            continue
        target = submission_round(user, agenda, returned.get(agenda.pk))
        tasks.append(
            Task(
                role=REPRESENTATIVE,
                role_label=str(REPRESENTATIVE_LABEL),
                kind="agenda.endorse",
                title=_("Stem in met “%(title)s”") % {"title": agenda.title},
                detail=_(
                    "Namens %(organisation)s. De agenda kan pas worden ingediend als elke organisatie heeft "
                    "ingestemd met de huidige versie (revisie %(revision)s)."
                )
                % {"organisation": organisation.name, "revision": agenda.revision_count},
                context=agenda.coalition.name,
                url=agenda_url(agenda),
                due=target.submission_deadline if target else None,
                action=_("Instemmen"),
            )
        )
    return tasks


# --- Coordinators and editors: the review's questions -----------------------------------------------------

ANSWERING_ROLES = (CoalitionRole.COORDINATOR, CoalitionRole.EDITOR)
UNDER_WAY = (Agenda.Status.SUBMITTED, Agenda.Status.IN_REVIEW)


def question_tasks(user) -> list[Task]:
    """The open questions about the agendas under review of the coalitions the user writes for.

    No query beyond the shared memberships and agendas unless an agenda of
    theirs is under way; then one: its open questions.
    """
    roles = {m.coalition_id: m.role for m in memberships(user) if m.role in ANSWERING_ROLES}
    if not roles:
        return []
    under_way = {a.pk: a for a in agendas_of(user) if a.coalition_id in roles and a.status in UNDER_WAY}
    if not under_way:
        return []
    rows = (
        Question.objects.filter(
            status=Question.Status.OPEN,
            submission__agenda_id__in=list(under_way),
            submission__status__in=Submission.ACTIVE,
        )
        .order_by("deadline", "pk")
        .values_list("pk", "number", "deadline", "submission__agenda_id", named=True)
    )
    labels = dict(CoalitionRole.choices)
    detail = _("Vraag %(number)s van de beoordeling. Coördinatoren en redacteuren van de coalitie antwoorden.")
    tasks = []
    for row in rows:
        agenda = under_way[row.submission__agenda_id]
        role = roles[agenda.coalition_id]
        tasks.append(
            Task(
                role=role,
                role_label=str(labels[role]),
                kind="question.answer",
                title=_("Beantwoord de vraag over “%(title)s”") % {"title": agenda.title},
                detail=detail % {"number": row.number},
                context=agenda.coalition.name,
                url=reverse("agendas:detail", args=[agenda.pk]) + f"#vraag-{row.pk}",
                due=row.deadline,
                action=_("Beantwoorden"),
            )
        )
    return tasks


# --- Reviewers ------------------------------------------------------------------------------------------


def reviewer_tasks(user) -> list[Task]:
    """Invitations to answer, and reviews to write once the review has started (one query)."""
    if not has_global_role(user, GlobalRole.REVIEWER):
        return []
    assignments = (
        Assignment.objects.filter(reviewer_id=user.pk, submission__status__in=Submission.ACTIVE)
        .filter(
            Q(status=Assignment.Status.INVITED)
            | Q(status=Assignment.Status.ACCEPTED, submission__status=Submission.Status.IN_REVIEW)
        )
        .select_related("submission__round")
        .defer("submission__snapshot")
        .annotate(title=KeyTextTransform("title", "submission__snapshot"))
        .order_by("due_date", "pk")
    )
    label = str(GlobalRole.REVIEWER.label)
    tasks = []
    for assignment in assignments:
        common = {
            "role": GlobalRole.REVIEWER.value,
            "role_label": label,
            "context": assignment.submission.round.name,
            "due": assignment.due_date,
            "url": reverse("reviews:assignment", args=[assignment.pk]),
        }
        late = assignment.due_date < timezone.localdate()
        if assignment.status == Assignment.Status.INVITED:
            tasks.append(
                Task(
                    kind="review.respond",
                    title=_("Reageer op de uitnodiging om “%(title)s” te beoordelen") % {"title": assignment.title},
                    detail=_("Neem de uitnodiging aan (u verklaart dat u geen belangenconflict hebt) of wijs haar af."),
                    action=_("Reageren"),
                    **common,
                )
            )
        else:
            tasks.append(
                Task(
                    kind="review.write",
                    title=_("Beoordeel “%(title)s”") % {"title": assignment.title},
                    detail=_("De termijn is verlopen: vraag de voorzitter om verlenging.")
                    if late
                    else _("Geef per criterium een score en dien uw beoordeling in."),
                    action=_("Beoordelen"),
                    **common,
                )
            )
    return tasks


# --- The chair ------------------------------------------------------------------------------------------


def chair_tasks(user) -> list[Task]:
    """Per submission under way the chair's next step, and every overdue review (two queries).

    A national round has hundreds of submissions under way: the rows are read as values, not
    model instances, and each sentence is translated once, not once per row.
    """
    if not has_global_role(user, GlobalRole.REVIEW_CHAIR):
        return []
    label = str(GlobalRole.REVIEW_CHAIR.label)
    today = timezone.localdate()
    rows = (
        Submission.objects.filter(status__in=Submission.ACTIVE)
        .annotate(
            title_text=KT("snapshot__title"),
            live=count_of(Assignment.objects.filter(status__in=LIVE_ASSIGNMENT), "submission"),
            reviewed=count_of(Assignment.objects.filter(status=Assignment.Status.SUBMITTED), "submission"),
            has_advice=any_of(Advice.objects.all(), "submission"),
            # The review's questions: proposals to send or not, and sent ones past their deadline.
            proposed=count_of(Question.objects.filter(status=Question.Status.PROPOSED), "submission"),
            late=count_of(Question.objects.filter(status=Question.Status.OPEN, deadline__lt=today), "submission"),
            late_since=Subquery(
                Question.objects.filter(submission=OuterRef("pk"), status=Question.Status.OPEN, deadline__lt=today)
                .order_by()
                .values("submission")
                .annotate(first=Min("deadline"))
                .values("first")[:1]
            ),
        )
        .order_by("round__review_deadline", "submitted_at", "pk")
        .values_list(
            "pk",
            "status",
            "title_text",
            "live",
            "reviewed",
            "has_advice",
            "round__name",
            "round__review_deadline",
            "proposed",
            "late",
            "late_since",
            named=True,
        )
    )
    # The same words for every row: translated once.
    assign = (
        _("Wijs beoordelaars toe aan “%(title)s”"),
        _("Alle uitgenodigde beoordelaars hebben afgewezen."),
        _("De agenda is ingediend en heeft nog geen beoordelaars."),
        _("Beoordelaars toewijzen"),
    )
    start = (_("Start de beoordeling van “%(title)s”"), _("Beoordeling starten"))
    publish = (
        _("Publiceer het advies over “%(title)s”"),
        _("Het advies is geschreven maar nog niet gepubliceerd."),
        _("Advies publiceren"),
    )
    write = (
        _("Schrijf het advies over “%(title)s”"),
        _("%(done)s van %(total)s beoordelingen ingediend."),
        _("Advies schrijven"),
    )
    questions_late = (
        _("Antwoord te laat: “%(title)s”"),
        _("Verleng zo nodig de termijn van de beoordelaars."),
        _("Termijn verlengen"),
    )
    tasks = []
    for row in rows:
        page = reverse("reviews:submission", args=[row.pk])
        common = {
            "role": GlobalRole.REVIEW_CHAIR.value,
            "role_label": label,
            "context": row.round__name,
            "due": row.round__review_deadline,
        }
        title = {"title": row.title_text}
        if row.proposed:
            tasks.append(
                Task(
                    kind="question.send",
                    title=ngettext(
                        "Verstuur de voorgestelde vraag over “%(title)s”, of niet",
                        "Verstuur de %(n)s voorgestelde vragen over “%(title)s”, of niet",
                        row.proposed,
                    )
                    % {**title, "n": row.proposed},
                    detail=_("Een beoordelaar stelde een vraag aan de coalitie voor."),
                    url=page + "#vragen",
                    action=_("Vragen bekijken"),
                    **common,
                )
            )
        if row.late:
            tasks.append(
                Task(
                    kind="question.late",
                    title=questions_late[0] % title,
                    detail=ngettext(
                        "%(n)s vraag aan de coalitie is na de termijn nog niet beantwoord.",
                        "%(n)s vragen aan de coalitie zijn na de termijn nog niet beantwoord.",
                        row.late,
                    )
                    % {"n": row.late}
                    + " "
                    + questions_late[1],
                    url=page + "#beoordelaars",
                    action=questions_late[2],
                    **{**common, "due": row.late_since},
                )
            )
        if not row.live:
            tasks.append(
                Task(
                    kind="review.assign",
                    title=assign[0] % title,
                    detail=assign[1] if row.status == Submission.Status.IN_REVIEW else assign[2],
                    url=page + "#beoordelaars",
                    action=assign[3],
                    **common,
                )
            )
        elif row.status == Submission.Status.SUBMITTED:
            tasks.append(
                Task(
                    kind="review.start",
                    title=start[0] % title,
                    detail=ngettext("%(n)s beoordelaar uitgenodigd.", "%(n)s beoordelaars uitgenodigd.", row.live)
                    % {"n": row.live},
                    url=page,
                    action=start[1],
                    **common,
                )
            )
        elif row.has_advice:
            tasks.append(
                Task(
                    kind="advice.publish",
                    title=publish[0] % title,
                    detail=publish[1],
                    url=page + "#advies",
                    action=publish[2],
                    **common,
                )
            )
        elif row.reviewed:
            tasks.append(
                Task(
                    kind="advice.write",
                    title=write[0] % title,
                    detail=write[1] % {"done": row.reviewed, "total": row.live},
                    url=reverse("reviews:advice", args=[row.pk]),
                    action=write[2],
                    **common,
                )
            )
    overdue = (
        Assignment.objects.filter(
            status__in=OPEN_ASSIGNMENT,
            due_date__lt=timezone.localdate(),
            submission__status__in=Submission.ACTIVE,
        )
        .select_related("reviewer")
        .annotate(title=KeyTextTransform("title", "submission__snapshot"))
        .order_by("due_date", "pk")
    )
    for assignment in overdue:
        tasks.append(
            Task(
                role=GlobalRole.REVIEW_CHAIR.value,
                role_label=label,
                kind="review.overdue",
                title=_("Beoordeling te laat: “%(title)s”") % {"title": assignment.title},
                detail=_("%(name)s (%(status)s). Verleng de termijn of wijs een ander toe.")
                % {"name": assignment.reviewer.display_name, "status": assignment.get_status_display().lower()},
                url=reverse("reviews:submission", args=[assignment.submission_id]) + "#beoordelaars",
                due=assignment.due_date,
                action=_("Termijn verlengen"),
            )
        )
    return tasks


def register_worklist() -> None:
    register(coordinator_tasks)
    register(representative_tasks)
    register(question_tasks)
    register(reviewer_tasks)
    register(chair_tasks)
