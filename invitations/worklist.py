"""Platform administrators' tasks for *Mijn taken*: invitations that expired before anyone accepted them."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import GlobalRole
from core.worklist import Task, register
from invitations import registry
from invitations.models import Invitation
from invitations.services import is_platform_admin


def admin_tasks(user) -> list[Task]:
    """Every pending invitation past its expiry: resend or revoke it (one query)."""
    if not is_platform_admin(user):
        return []
    invitations = (
        Invitation.objects.filter(status=Invitation.Status.PENDING, expires_at__lte=timezone.now())
        .select_related("invited_by")
        .order_by("expires_at", "pk")
    )
    label = str(GlobalRole.PLATFORM_ADMIN.label)
    url = reverse("invitations:list") + "?status=expired"
    tasks = []
    for invitation in invitations:
        kind = registry.kind(invitation.kind)
        tasks.append(
            Task(
                role=GlobalRole.PLATFORM_ADMIN.value,
                role_label=label,
                kind="invitation.expired",
                title=_("Uitnodiging verlopen: %(who)s") % {"who": invitation.name or invitation.email},
                detail=_("%(kind)s, uitgenodigd door %(inviter)s. Verstuur haar opnieuw of trek haar in.")
                % {
                    "kind": kind.label if kind else invitation.kind,
                    "inviter": invitation.invited_by.display_name if invitation.invited_by else _("de beheerder"),
                },
                context=invitation.email,
                url=url,
                due=timezone.localdate(invitation.expires_at),
                action=_("Uitnodigingen beheren"),
            )
        )
    return tasks


def register_worklist() -> None:
    register(admin_tasks)
