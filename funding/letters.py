"""The letters of funding as PDFs, stored through Django's storage API: the decision (beschikking) and its amendments.

A letter is a real *beschikking*: the ministry that decides and the legal
basis (both per programme), the decision with its amounts and tranches, the
conditions, the name and function of the official who signed it on behalf
of the minister, and the objection clause (*bezwaarclausule*: within six
weeks, to whom, how). Programmes and officials without those texts still
get a letter, with general wording in their place.

The language of a letter is the recipient's: the one the coalition's
longest-serving coordinator who chose a language chose for themselves
(``letter_language``), else the site's default, Dutch. A letter is written
once (the Celery tasks in ``funding.tasks``) and never changes afterwards.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse
from django.template.loader import render_to_string
from django.utils import translation

from coalitions.models import CoalitionMembership, CoalitionRole
from core.documents import html_to_pdf
from funding.models import Amendment, Decision, OfficialFunction

DECISION_RELATED = (
    "programme",
    "lead_partner",
    "region",
    "submission",
    "submission__agenda",
    "decided_by",
    "proposed_by",
)


def letter_language(decision: Decision) -> str:
    """The language of the decision's letters: the coalition's longest-serving coordinator's choice, else Dutch."""
    chosen = (
        CoalitionMembership.objects.filter(
            coalition_id=decision.submission.agenda.coalition_id, role=CoalitionRole.COORDINATOR
        )
        .exclude(user__language="")
        .order_by("created_at", "id")
        .values_list("user__language", flat=True)
        .first()
    )
    return chosen or settings.LANGUAGE_CODE


def signer_function(user) -> str:
    """The signer's function in the active language; empty when none was set (the letter then shows the name only)."""
    if user is None:
        return ""
    function = OfficialFunction.objects.filter(user=user).first()
    return function.title if function else ""


def _letter_context(decision: Decision, signer, reference: str) -> dict:
    """What both letters show: the programme's ministry and legal basis, the signer, the recipient."""
    return {
        "decision": decision,
        "reference": reference,
        "programme": decision.programme,
        "snapshot": decision.submission.snapshot,
        "signer": signer,
        "signer_function": signer_function(signer),
    }


def decision_letter_html(decision: Decision, *, language: str | None = None) -> str:
    """The decision letter as HTML, in ``language`` (default: the recipient's, ``letter_language``)."""
    with translation.override(language or letter_language(decision)):
        return render_to_string(
            "funding/letter.html",
            {
                **_letter_context(decision, decision.decided_by, decision.reference),
                "tranches": list(decision.tranches.order_by("year")),
                "advice": decision.submission.advice,
                "letter_date": decision.decided_at,
            },
        )


def letter_pdf(decision: Decision, *, language: str | None = None) -> bytes:
    return html_to_pdf(decision_letter_html(decision, language=language))


def make_letter(decision_id: int) -> bool:
    """Write the letter of an approved decision once; False when there is nothing to do."""
    decision = (
        Decision.objects.select_related(*DECISION_RELATED)
        .filter(pk=decision_id, status=Decision.Status.APPROVED)
        .first()
    )
    if decision is None or decision.letter:
        return False
    content = letter_pdf(decision)
    with transaction.atomic():
        locked = Decision.objects.select_for_update().get(pk=decision_id)
        if locked.letter:
            return False
        locked.letter.save(f"{decision.reference}.pdf", ContentFile(content), save=True)
    return True


def amendment_letter_html(amendment: Amendment, *, language: str | None = None) -> str:
    """The amendment's letter (wijzigingsbesluit) as HTML, in ``language`` (default: the recipient's)."""
    decision = amendment.decision
    with translation.override(language or letter_language(decision)):
        return render_to_string(
            "funding/amendment_letter.html",
            {
                **_letter_context(decision, amendment.decided_by, amendment.reference),
                "amendment": amendment,
                "letter_date": amendment.decided_at,
            },
        )


def make_amendment_letter(amendment_id: int) -> bool:
    """Write the letter of an approved amendment (wijzigingsbesluit) once; False when there is nothing to do."""
    amendment = (
        Amendment.objects.select_related(
            *(f"decision__{name}" for name in DECISION_RELATED), "decision", "proposed_by", "decided_by"
        )
        .filter(pk=amendment_id, status=Amendment.Status.APPROVED)
        .first()
    )
    if amendment is None or amendment.letter:
        return False
    content = html_to_pdf(amendment_letter_html(amendment))
    with transaction.atomic():
        locked = Amendment.objects.select_for_update().get(pk=amendment_id)
        if locked.letter:
            return False
        locked.letter.save(f"{amendment.reference}.pdf", ContentFile(content), save=True)
    return True


def letter_response(document: Decision | Amendment) -> FileResponse:
    """The stored letter of a decision or an amendment, as a PDF download named after its reference."""
    return FileResponse(
        document.letter.open("rb"), content_type="application/pdf", filename=f"{document.reference}.pdf"
    )
