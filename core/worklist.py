"""What waits for a person: the tasks of every role they have, from every app, in one list.

``core`` cannot know coalitions, reviews or funding, so each app registers a
*provider* in its ``AppConfig.ready()``: ``provider(user) -> list[Task]``.
``tasks_for(user)`` asks every provider and sorts the answers by due date
(tasks without one last), then role.

What a provider must hold:

* It returns ``[]`` without a query for a user who lacks its role (the global
  roles come from ``accounts.permissions.has_global_role``, which reads the
  groups once per user object; the coalition roles from the one membership
  query that ``coalitions.worklist`` shares).
* It takes a constant number of queries however many items exist: annotate
  and prefetch, never a query per item.
* Every task links to the page where one acts on it, and only to what the
  user may see there.

Providers of one call to ``tasks_for`` share what several of them read (the
user's memberships, the draft agendas) through :func:`shared`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Task:
    """One thing that waits for the user, and where to do it."""

    # The role the task belongs to ("coordinator", "reviewer", ...) and its name on the page.
    role: str
    role_label: str
    # What kind of task, as a stable key for the API ("review.write", "decision.second").
    kind: str
    title: str
    url: str
    # One sentence more: what is missing, who proposed, how many reviews are in.
    detail: str = ""
    # Where it belongs: the coalition, the round, the decision's reference.
    context: str = ""
    due: datetime.date | None = None
    # The link's words ("Beoordelen", "Instemmen"); the page says "Openen" without one.
    action: str = ""

    @property
    def days_left(self) -> int | None:
        """Days until the due date: 0 on the day itself, negative once it has passed."""
        if self.due is None:
            return None
        return (self.due - timezone.localdate()).days

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < timezone.localdate()

    @property
    def due_label(self) -> str:
        """The due date in words (nog 3 dagen, vandaag, 2 dagen te laat); empty without one."""
        days = self.days_left
        if days is None:
            return ""
        if days == 0:
            return _("vandaag")
        if days > 0:
            return ngettext("nog %(n)s dag", "nog %(n)s dagen", days) % {"n": days}
        return ngettext("%(n)s dag te laat", "%(n)s dagen te laat", -days) % {"n": -days}


Provider = Callable[[Any], list[Task]]
_providers: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    """Add a provider (once per function, so a second ``ready()`` changes nothing)."""
    _providers[f"{provider.__module__}.{provider.__qualname__}"] = provider


def providers() -> list[Provider]:
    return list(_providers.values())


def sort_key(task: Task) -> tuple:
    return (task.due is None, task.due or datetime.date.max, task.role_label, task.title, task.url)


def tasks_for(user) -> list[Task]:
    """Every task of every role of ``user``: soonest due date first, those without one last, then by role."""
    if not user.is_authenticated or not user.is_active:
        return []
    # Forgotten afterwards: the next call (the next request, or a test after a change) reads afresh.
    user.__dict__["_worklist_shared"] = {}
    try:
        found = [task for provider in providers() for task in provider(user)]
    finally:
        user.__dict__.pop("_worklist_shared", None)
    return sorted(found, key=sort_key)


def shared(user, key: str, compute: Callable[[], Any]) -> Any:
    """``compute()`` once per call of ``tasks_for``: what several providers read is read once.

    Outside ``tasks_for`` (a provider called on its own) it is simply computed.
    """
    memo = user.__dict__.get("_worklist_shared")
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


# --- Annotations that keep a provider at one query however many rows it lists ---------------


def count_of(queryset, link: str):
    """How many rows of ``queryset`` point at the outer row through ``link``, as an annotation (0 when none)."""
    counted = queryset.filter(**{link: OuterRef("pk")}).order_by().values(link).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def sum_of(queryset, link: str, field: str):
    """The sum of ``field`` over the rows of ``queryset`` that point at the outer row (0 when none)."""
    summed = queryset.filter(**{link: OuterRef("pk")}).order_by().values(link).annotate(n=Sum(field)).values("n")[:1]
    return Coalesce(Subquery(summed), 0)


def any_of(queryset, link: str):
    """Whether a row of ``queryset`` points at the outer row."""
    return Exists(queryset.filter(**{link: OuterRef("pk")}))


def names(items: list[str], limit: int = 4) -> str:
    """Names for a sentence: "A, B en C", or "A, B, C, D en 3 andere" beyond ``limit``."""
    if len(items) > limit:
        rest = len(items) - limit
        return _("%(names)s en %(n)s andere") % {"names": ", ".join(items[:limit]), "n": rest}
    if len(items) > 1:
        return _("%(names)s en %(last)s") % {"names": ", ".join(items[:-1]), "last": items[-1]}
    return "".join(items)


def group_by_role(tasks: list[Task]) -> list[tuple[str, list[Task]]]:
    """(role label, its tasks) in the order of each role's most urgent task; the tasks keep their order."""
    groups: dict[str, list[Task]] = {}
    for task in tasks:
        groups.setdefault(task.role_label, []).append(task)
    return list(groups.items())
