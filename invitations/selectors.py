"""Invitations as pages list them: each list in one query, with who invited and what for."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from invitations import services
from invitations.models import Invitation


def _with_words(invitations) -> list[Invitation]:
    rows = list(invitations)
    for invitation in rows:
        invitation.what = services.describe(invitation)
    return rows


def open_invitations(**filters) -> QuerySet[Invitation]:
    return Invitation.objects.filter(status=Invitation.Status.PENDING, **filters).select_related("invited_by")


def invitations_for_admin(*, status: str = "open", limit: int = 200) -> list[Invitation]:
    invitations = Invitation.objects.select_related("invited_by", "accepted_by")
    if status == "open":
        invitations = invitations.filter(status=Invitation.Status.PENDING, expires_at__gt=timezone.now())
    elif status == "expired":
        invitations = invitations.filter(status=Invitation.Status.PENDING, expires_at__lte=timezone.now())
    elif status in (Invitation.Status.ACCEPTED, Invitation.Status.REVOKED):
        invitations = invitations.filter(status=status)
    return _with_words(invitations[:limit])


def pending_for(*, kind: str, coalition_id: int | None = None, payload_filter: dict | None = None) -> list[Invitation]:
    """The open or expired (not yet accepted or revoked) invitations of one kind, e.g. of one coalition."""
    invitations = open_invitations(kind=kind)
    if coalition_id is not None:
        invitations = invitations.filter(coalition_id=coalition_id)
    for key, value in (payload_filter or {}).items():
        invitations = invitations.filter(**{f"payload__{key}": value})
    return _with_words(invitations)
