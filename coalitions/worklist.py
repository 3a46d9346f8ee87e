"""Coalition tasks for *Mijn taken*, and the reads every coalition-side provider shares.

A coalition role lives on the membership row, so the one way to know whether
a user has one is to read their memberships: :func:`memberships` does that in
one query per call of ``core.worklist.tasks_for``, and the providers of
``agendas``, ``reviews`` and ``funding`` read the same list.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from coalitions.models import Coalition, CoalitionMembership, CoalitionOrganisation, CoalitionRole
from core.worklist import Task, names, register, shared

COORDINATOR = "coordinator"
REPRESENTATIVE = "representative"
REPRESENTATIVE_LABEL = gettext_lazy("Vertegenwoordiger")


def coordinator_label() -> str:
    return str(CoalitionRole.COORDINATOR.label)


def memberships(user) -> list[CoalitionMembership]:
    """The user's memberships with their coalition and organisation (one query, shared)."""
    return shared(
        user,
        "coalitions.memberships",
        lambda: list(
            CoalitionMembership.objects.filter(user_id=user.pk)
            .select_related("coalition", "organisation")
            .order_by("coalition__name", "coalition_id")
        ),
    )


def coordinated(user) -> list[Coalition]:
    """The coalitions the user coordinates (no query beyond :func:`memberships`)."""
    return [m.coalition for m in memberships(user) if m.role == CoalitionRole.COORDINATOR]


@dataclass(frozen=True)
class MemberOrganisation:
    coalition_id: int
    organisation_id: int
    name: str
    # Whether a member of the coalition represents it (their membership names this organisation).
    represented: bool


def member_organisations(user) -> dict[int, list[MemberOrganisation]]:
    """The member organisations of each of the user's coalitions, by name (one query, shared)."""
    coalition_ids = [m.coalition_id for m in memberships(user)]
    if not coalition_ids:
        return {}

    def compute() -> dict[int, list[MemberOrganisation]]:
        representatives = CoalitionMembership.objects.filter(
            coalition_id=OuterRef("coalition_id"), organisation_id=OuterRef("organisation_id")
        )
        rows = (
            CoalitionOrganisation.objects.filter(coalition_id__in=coalition_ids)
            .annotate(represented=Exists(representatives))
            .order_by("organisation__name", "organisation_id")
            .values_list("coalition_id", "organisation_id", "organisation__name", "represented")
        )
        found: dict[int, list[MemberOrganisation]] = {}
        for row in rows:
            found.setdefault(row[0], []).append(MemberOrganisation(*row))
        return found

    return shared(user, "coalitions.member_organisations", compute)


def coordinator_tasks(user) -> list[Task]:
    """Per coalition the user coordinates: member organisations nobody represents yet.

    Without a representative an organisation cannot endorse the agenda, so
    the agenda cannot be submitted.
    """
    coalitions = coordinated(user)
    if not coalitions:
        return []
    organisations = member_organisations(user)
    tasks = []
    for coalition in coalitions:
        missing = [o.name for o in organisations.get(coalition.pk, []) if not o.represented]
        if not missing:
            continue
        tasks.append(
            Task(
                role=COORDINATOR,
                role_label=coordinator_label(),
                kind="coalition.representatives",
                title=ngettext(
                    "%(n)s organisatie heeft nog geen vertegenwoordiger",
                    "%(n)s organisaties hebben nog geen vertegenwoordiger",
                    len(missing),
                )
                % {"n": len(missing)},
                detail=_(
                    "Nodig iemand uit namens %(names)s: zonder vertegenwoordiger kan een organisatie niet instemmen."
                )
                % {"names": names(missing)},
                context=coalition.name,
                url=reverse("coalitions:members", args=[coalition.slug]),
                action=_("Leden beheren"),
            )
        )
    return tasks


def register_worklist() -> None:
    register(coordinator_tasks)
