"""The review's events as the event log shows them: sentences, e-mail choices, links.

Registered with ``activity.registry`` in ``ReviewsConfig.ready()``.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from activity import registry
from activity.registry import EventType

EVENT_TYPES = [
    EventType(
        "submission.submit",
        _("%(actor)s heeft “%(title)s” ingediend voor beoordeling."),
        email_label=_("Een agenda is ingediend"),
        email_group="beoordeling",
        email_default=True,
    ),
    EventType(
        "submission.start_review",
        _("De beoordeling van “%(title)s” is begonnen."),
        email_label=_("De beoordeling van een agenda is begonnen"),
        email_group="beoordeling",
        email_default=True,
    ),
    EventType(
        "submission.withdraw",
        _("%(actor)s heeft de indiening van “%(title)s” ingetrokken."),
        email_label=_("Een indiening is ingetrokken"),
        email_group="beoordeling",
        email_default=True,
    ),
    EventType(
        "submission.advise",
        _("Er is advies uitgebracht over “%(title)s”."),
        email_label=_("Er is advies uitgebracht over een agenda"),
        email_group="beoordeling",
        email_default=True,
    ),
    EventType(
        "submission.return_for_revision",
        _("“%(title)s” is teruggestuurd voor herziening."),
        email_label=_("Een agenda is teruggestuurd voor herziening"),
        email_group="beoordeling",
        email_default=True,
    ),
    EventType(
        "review.assigned",
        _("U bent uitgenodigd om “%(title)s” te beoordelen, uiterlijk %(due)s."),
        email_label=_("U bent uitgenodigd om een agenda te beoordelen"),
        email_group="beoordeling",
        email_default=True,
    ),
    EventType(
        "review.reopened",
        _("Uw beoordeling van “%(title)s” is heropend; graag uiterlijk %(due)s."),
        email_label=_("Uw beoordeling is heropend"),
        email_group="beoordeling",
        email_default=True,
    ),
    EventType(
        "review.extended",
        _("De termijn van uw beoordeling van “%(title)s” is verlengd tot %(due)s."),
        email_label=_("De termijn van uw beoordeling is verlengd"),
        email_group="beoordeling",
        email_default=True,
    ),
    EventType(
        "review.reminder",
        _("Herinnering: uw beoordeling van “%(title)s” moet uiterlijk %(due)s klaar zijn."),
        email_label=_("Herinnering vóór de termijn van uw beoordeling"),
        email_group="beoordeling",
        email_default=True,
    ),
    EventType(
        "review.accepted",
        _("%(actor)s heeft de uitnodiging om “%(title)s” te beoordelen aanvaard."),
        email_label=_("Een beoordelaar heeft een uitnodiging aanvaard"),
        email_group="beoordeling",
        email_default=True,
    ),
    EventType(
        "review.declined",
        _("%(actor)s heeft de uitnodiging om “%(title)s” te beoordelen afgewezen."),
        email_label=_("Een beoordelaar heeft een uitnodiging afgewezen"),
        email_group="beoordeling",
        email_default=True,
    ),
    EventType(
        "review.submitted",
        _("%(actor)s heeft een beoordeling van “%(title)s” ingediend."),
        email_label=_("Een beoordelaar heeft een beoordeling ingediend"),
        email_group="beoordeling",
        email_default=True,
    ),
    # Questions to the coalition (reviews.questions): no sentence names a reviewer.
    EventType(
        "question.proposed",
        _("Een beoordelaar stelt een vraag aan de coalitie voor over “%(title)s”."),
        email_label=_("Een beoordelaar stelt een vraag aan de coalitie voor"),
        email_group="beoordeling",
        email_default=True,
    ),
    EventType(
        "question.asked",
        _("De voorzitter stelt vraag %(number)s over “%(title)s”; graag een antwoord uiterlijk %(due)s."),
        email_label=_("De voorzitter stelt de coalitie een vraag"),
        email_group="beoordeling",
        email_default=True,
    ),
    EventType(
        "question.answered",
        _("Vraag %(number)s over “%(title)s” is beantwoord."),
        email_label=_("Een vraag aan de coalitie is beantwoord"),
        email_group="beoordeling",
        email_default=True,
    ),
    EventType(
        "question.dismissed",
        _("De voorzitter heeft uw voorgestelde vraag over “%(title)s” niet verstuurd."),
        email_label=_("De voorzitter verstuurt een voorgestelde vraag niet"),
        email_group="beoordeling",
        email_default=True,
    ),
    EventType(
        "endorsement.given",
        _("%(actor)s stemt namens %(organisation)s in met revisie %(revision)s van de agenda."),
        email_label=_("Een organisatie stemt in met de agenda"),
        email_group="samenwerking",
        email_default=False,
    ),
]


def _submission_link(data: dict) -> str | None:
    return reverse("reviews:submission", args=[data["submission_id"]]) if data.get("submission_id") else None


def _assignment_link(data: dict) -> str | None:
    return reverse("reviews:assignment", args=[data["assignment_id"]]) if data.get("assignment_id") else None


def _question_link(data: dict) -> str | None:
    # One link for every reader: the page sends each to where they read or act (reviews.question_views.question_open).
    return reverse("reviews:question", args=[data["question_id"]]) if data.get("question_id") else None


def _endorsement_link(data: dict) -> str | None:
    return reverse("agendas:detail", args=[data["agenda_id"]]) if data.get("agenda_id") else None


def register() -> None:
    registry.register_email_group("beoordeling", _("Beoordeling"), order=10)
    registry.register_event_types(*EVENT_TYPES)
    # Submissions and reviews are about frozen snapshots, never drafts: reviewers
    # and chairs get them without being members of the coalition.
    registry.register_family("submission.", link=_submission_link, about_drafts=False)
    registry.register_family("review.", link=_assignment_link, about_drafts=False)
    # Questions are about a submitted agenda, never its draft.
    registry.register_family("question.", link=_question_link, about_drafts=False)
    # An endorsement names a revision of the draft.
    registry.register_family("endorsement.", link=_endorsement_link)
