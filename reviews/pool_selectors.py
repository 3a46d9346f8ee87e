"""Reads of the reviewer pool, each in a fixed number of queries: the pool page and the chair's choice of reviewer."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import GlobalRole, User
from coalitions.models import Affiliation, Organisation
from reviews.conflicts import conflicts
from reviews.models import Assignment, Submission
from reviews.pool import open_assignments, theme_label, theme_names


def pool_queryset(*, active_only: bool = True) -> QuerySet[User]:
    """The people in the pool with their profile and their number of open assignments: one query."""
    members = User.objects.filter(groups__name=GlobalRole.REVIEWER)
    if active_only:
        members = members.filter(is_active=True)
    return (
        members.select_related("reviewer_profile")
        .annotate(
            open_assignments=Count("review_assignments", filter=open_assignments("review_assignments__"), distinct=True)
        )
        .order_by("full_name", "username")
    )


def expertise_of(user: User) -> list[str]:
    """The theme codes of a member's profile (loaded with ``select_related``), [] without one."""
    try:
        return list(user.reviewer_profile.expertise)
    except User.reviewer_profile.RelatedObjectDoesNotExist:
        return []


def current_affiliations(today=None) -> Prefetch:
    today = today or timezone.localdate()
    return Prefetch(
        "affiliations",
        queryset=Affiliation.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("organisation")
        .order_by("organisation__name", "start_date"),
        to_attr="current_affiliations",
    )


@dataclass
class PoolRow:
    member: User
    expertise: list[str]
    affiliations: list[Affiliation]
    open_count: int


def pool_rows() -> list[PoolRow]:
    """Everyone in the pool (also deactivated accounts, so they can be taken out): two queries, and the
    cached theme names."""
    names = theme_names()
    members = pool_queryset(active_only=False).prefetch_related(current_affiliations())
    return [
        PoolRow(
            member=m,
            expertise=[theme_label(code, names) for code in expertise_of(m)],
            affiliations=m.current_affiliations,
            open_count=m.open_assignments,
        )
        for m in members
    ]


def pool_member(user_id: int) -> User | None:
    """One member with profile and current affiliations (two queries), None when not in the pool."""
    return pool_queryset(active_only=False).prefetch_related(current_affiliations()).filter(pk=user_id).first()


def organisations() -> list[Organisation]:
    return list(Organisation.objects.order_by("name").only("id", "name"))


def own_affiliations(user: User) -> list[Affiliation]:
    """A reviewer's affiliations, current first, then the ended ones, newest first."""
    rows = list(Affiliation.objects.filter(user=user).select_related("organisation"))
    return sorted(rows, key=lambda a: (a.end_date is not None, -(a.end_date or a.start_date).toordinal()))


# --------------------------------------------------------------- the chair's choice of reviewer


def agenda_theme_codes(snapshot: dict) -> list[str]:
    """The themes a submitted agenda addresses: its own themes and those of its priorities, in first-named order."""
    codes = list(snapshot.get("themes", []))
    for priority in snapshot.get("priorities", []):
        codes.extend(priority.get("themes", []))
    return list(dict.fromkeys(codes))


@dataclass
class Candidate:
    reviewer: User
    # Names of the reviewer's expertise themes that the agenda addresses.
    matching: list[str] = field(default_factory=list)
    open_count: int = 0
    conflicts: list[str] = field(default_factory=list)
    invited: Assignment | None = None

    @property
    def available(self) -> bool:
        return not self.conflicts and self.invited is None

    @property
    def label(self) -> str:
        name = self.reviewer.display_name
        if self.invited is not None:
            return _("%(name)s — al uitgenodigd (%(status)s)") % {
                "name": name,
                "status": self.invited.get_status_display().lower(),
            }
        if self.conflicts:
            return _("%(name)s — belangenconflict: %(reasons)s") % {"name": name, "reasons": "; ".join(self.conflicts)}
        if self.matching:
            return _("%(name)s — expertise: %(themes)s · %(open)s lopend") % {
                "name": name,
                "themes": ", ".join(self.matching),
                "open": self.open_count,
            }
        return _("%(name)s — geen expertise op de thema's van deze agenda · %(open)s lopend") % {
            "name": name,
            "open": self.open_count,
        }


def candidates(submission: Submission, assignments: list[Assignment]) -> list[Candidate]:
    """The active pool for one submission, best first: four queries however large the pool.

    Available reviewers first, by how many of the agenda's themes they know
    (most first), then by how much they already have on their plate (least
    first), then by name; then those already invited; the tied ones last.
    Queries: the pool (profiles, open counts), and the conflict check's three
    (the coalition's organisations, affiliations, memberships).
    """
    names = theme_names()
    addressed = set(agenda_theme_codes(submission.snapshot))
    reviewers = list(pool_queryset())
    tied = conflicts(submission, reviewers)
    invited = {a.reviewer_id: a for a in assignments}
    found = [
        Candidate(
            reviewer=r,
            matching=[theme_label(code, names) for code in names if code in addressed and code in expertise_of(r)],
            open_count=r.open_assignments,
            conflicts=tied.get(r.pk, []),
            invited=invited.get(r.pk),
        )
        for r in reviewers
    ]

    def order(c: Candidate):
        group = 0 if c.available else 1 if c.invited is not None else 2
        return (group, -len(c.matching), c.open_count, c.reviewer.display_name.casefold(), c.reviewer.pk)

    return sorted(found, key=order)
