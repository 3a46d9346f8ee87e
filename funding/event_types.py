"""Funding's events as the event log shows them: sentences, e-mail choices, links.

Registered with ``activity.registry`` in ``FundingConfig.ready()``.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from activity import registry
from activity.registry import EventType

EVENT_TYPES = [
    EventType(
        "decision.proposed",
        _("%(actor)s stelt beschikking %(reference)s voor “%(title)s” voor; een tweede ambtenaar beslist."),
        email_label=_("Een beschikking is voorgesteld en wacht op een tweede ambtenaar"),
        email_group="financiering",
        email_default=True,
    ),
    EventType(
        "decision.approved",
        _("Beschikking %(reference)s voor “%(title)s” is vastgesteld."),
        email_label=_("Een beschikking is vastgesteld"),
        email_group="financiering",
        email_default=True,
    ),
    EventType(
        "decision.rejected",
        _("Het voorstel voor beschikking %(reference)s voor “%(title)s” is afgewezen."),
        email_label=_("Een voorgestelde beschikking is afgewezen"),
        email_group="financiering",
        email_default=True,
    ),
    EventType(
        "decision.amendment_proposed",
        _("%(actor)s stelt wijziging %(number)s van beschikking %(reference)s voor; een tweede ambtenaar beslist."),
        email_label=_("Een wijziging van een beschikking wacht op een tweede ambtenaar"),
        email_group="financiering",
        email_default=True,
    ),
    EventType(
        "decision.amended",
        _("Beschikking %(reference)s voor “%(title)s” is gewijzigd (wijziging %(number)s)."),
        email_label=_("Een beschikking is gewijzigd"),
        email_group="financiering",
        email_default=True,
    ),
    EventType(
        "decision.amendment_rejected",
        _("Wijziging %(number)s van beschikking %(reference)s is afgewezen."),
        email_label=_("Een voorgestelde wijziging is afgewezen"),
        email_group="financiering",
        email_default=True,
    ),
    EventType(
        "progress.submitted",
        _("%(actor)s heeft de voortgangsrapportage %(year)s over “%(title)s” ingediend."),
        email_label=_("Een voortgangsrapportage is ingediend"),
        email_group="financiering",
        email_default=True,
    ),
    EventType(
        "progress.accepted",
        _("De voortgangsrapportage %(year)s over “%(title)s” is geaccepteerd."),
        email_label=_("Een voortgangsrapportage is geaccepteerd"),
        email_group="financiering",
        email_default=True,
    ),
    EventType(
        "progress.returned",
        _("De voortgangsrapportage %(year)s over “%(title)s” is teruggestuurd."),
        email_label=_("Een voortgangsrapportage is teruggestuurd"),
        email_group="financiering",
        email_default=True,
    ),
    EventType(
        "tranche.released",
        _("De tranche %(year)s van beschikking %(reference)s (%(money)s) is uitbetaald."),
        email_label=_("Een tranche is uitbetaald"),
        email_group="financiering",
        email_default=True,
    ),
    EventType(
        "tranche.reclaimed",
        _("Van de tranche %(year)s van beschikking %(reference)s wordt %(money)s teruggevorderd."),
        email_label=_("Geld van een tranche wordt teruggevorderd"),
        email_group="financiering",
        email_default=True,
    ),
    EventType("mandate.set", _("%(actor)s heeft het mandaat van %(name)s vastgesteld op %(money)s.")),
    EventType("mandate.withdrawn", _("%(actor)s heeft het mandaat van %(name)s ingetrokken.")),
    EventType("official.function_set", _("%(actor)s heeft de functie van %(name)s vastgelegd.")),
    EventType("programme.updated", _("%(actor)s heeft de teksten van programma %(name)s gewijzigd.")),
]


def _decision_link(data: dict) -> str | None:
    return reverse("funding:decision", args=[data["decision_id"]]) if data.get("decision_id") else None


def register() -> None:
    registry.register_email_group("financiering", _("Financiering"), order=20)
    registry.register_event_types(*EVENT_TYPES)
    # Decisions, their reports and tranches are about submitted agendas: the
    # officials involved see them without being members of the coalition.
    for prefix in ("decision.", "progress.", "tranche."):
        registry.register_family(prefix, link=_decision_link, about_drafts=False)
    # Mandates are managed on the officials page.
    registry.register_family("mandate.", link=lambda data: reverse("funding:officials"), about_drafts=False)
    registry.register_family("official.", link=lambda data: reverse("funding:officials"), about_drafts=False)
    registry.register_family("programme.", link=lambda data: reverse("funding:programmes"), about_drafts=False)
