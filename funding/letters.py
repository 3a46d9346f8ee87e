"""The decision letter (beschikking) as a PDF, stored through Django's storage API."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation

from funding.models import Decision
from kansenagenda.exports import html_to_pdf


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


def letter_response(decision: Decision) -> FileResponse:
    return FileResponse(
        decision.letter.open("rb"), content_type="application/pdf", filename=f"{decision.reference}.pdf"
    )
