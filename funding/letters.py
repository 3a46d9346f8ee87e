"""The decision letter (beschikking) as a PDF, stored through Django's storage API."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.documents import html_to_pdf
from funding.models import Amendment, Decision


def letter_pdf(decision: Decision) -> bytes:
    # The letter is a legal document in Dutch, whoever approves it.
    with translation.override("nl"):
        html = render_to_string(
            "funding/letter.html",
            {
                "decision": decision,
                "tranches": list(decision.tranches.order_by("year")),
                "advice": decision.submission.advice,
                "snapshot": decision.submission.snapshot,
                "today": timezone.localdate(),
            },
        )
    return html_to_pdf(html)


def make_letter(decision_id: int) -> bool:
    """Write the letter of an approved decision once; False when there is nothing to do."""
    decision = (
        Decision.objects.select_related(
            "programme", "lead_partner", "region", "submission", "decided_by", "proposed_by"
        )
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


def make_amendment_letter(amendment_id: int) -> bool:
    """Write the letter of an approved amendment (wijzigingsbesluit) once; False when there is nothing to do."""
    amendment = (
        Amendment.objects.select_related(
            "decision",
            "decision__programme",
            "decision__lead_partner",
            "decision__submission",
            "proposed_by",
            "decided_by",
        )
        .filter(pk=amendment_id, status=Amendment.Status.APPROVED)
        .first()
    )
    if amendment is None or amendment.letter:
        return False
    with translation.override("nl"):
        html = render_to_string(
            "funding/amendment_letter.html",
            {
                "amendment": amendment,
                "decision": amendment.decision,
                "snapshot": amendment.decision.submission.snapshot,
            },
        )
    content = html_to_pdf(html)
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
