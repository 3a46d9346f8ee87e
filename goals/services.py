"""State changes of the goal catalogues: data stewards keep the national one.

SDG and EU goals come from files (``goals.importer.import_goals``) and
are never edited here.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from accounts.models import User
from activity.events import record_event
from goals.models import Goal, GoalCatalogue

CODE_MAX = 24
SHORT_MAX = 200
TITLE_MAX = 1000
# Codes appear in URLs of exports and in snapshots ("NL energie"): plain, no spaces.
CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def _validate(*, code: str, short_nl: str, short_en: str, title_nl: str, title_en: str, goal_id: int | None) -> None:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not code:
        add("code", _("Dit veld is verplicht."))
    elif len(code) > CODE_MAX:
        add("code", _("Maximaal %(limit)s tekens.") % {"limit": CODE_MAX})
    elif not CODE_PATTERN.match(code):
        add("code", _("Gebruik alleen kleine letters, cijfers, punt, liggend streepje en koppelteken, zonder spaties."))
    elif Goal.objects.filter(catalogue=GoalCatalogue.NATIONAL, code__iexact=code).exclude(pk=goal_id or 0).exists():
        add("code", _("Deze code is al in gebruik in de nationale catalogus."))
    if not short_nl:
        add("short_nl", _("Dit veld is verplicht."))
    for field, value, limit in (
        ("short_nl", short_nl, SHORT_MAX),
        ("short_en", short_en, SHORT_MAX),
        ("title_nl", title_nl, TITLE_MAX),
        ("title_en", title_en, TITLE_MAX),
    ):
        if len(value) > limit:
            add(field, _("Maximaal %(limit)s tekens; nu %(length)s.") % {"limit": limit, "length": len(value)})
    if errors:
        raise ValidationError(errors)


def _save(goal: Goal) -> None:
    # The unique constraint is the last word when two stewards pick the same
    # code at the same moment; the savepoint keeps the outer transaction usable.
    try:
        with transaction.atomic():
            goal.save()
    except IntegrityError as error:
        raise ValidationError({"code": [_("Deze code is al in gebruik in de nationale catalogus.")]}) from error


@transaction.atomic
def national_goal_create(
    *,
    actor: User | None,
    code: str,
    short_nl: str,
    short_en: str = "",
    title_nl: str = "",
    title_en: str = "",
    is_active: bool = True,
) -> Goal:
    """Add a national transition or programme.

    Before: the actor may edit the goal catalogue (checked by the caller).
    After: the goal exists at the end of the national catalogue and an event
    ``goal.national_created`` is recorded; or ``ValidationError`` keyed by
    field and nothing is saved.
    """
    code, short_nl, short_en = code.strip(), short_nl.strip(), short_en.strip()
    title_nl, title_en = title_nl.strip(), title_en.strip()
    _validate(code=code, short_nl=short_nl, short_en=short_en, title_nl=title_nl, title_en=title_en, goal_id=None)
    last = Goal.objects.filter(catalogue=GoalCatalogue.NATIONAL).aggregate(last=Max("position"))["last"] or 0
    goal = Goal(
        catalogue=GoalCatalogue.NATIONAL,
        code=code,
        short_nl=short_nl,
        short_en=short_en,
        title_nl=title_nl,
        title_en=title_en,
        is_active=is_active,
        position=last + 1,
        verified=True,
    )
    _save(goal)
    record_event(actor=actor, verb="goal.national_created", target=goal, data={"code": code, "short_nl": short_nl})
    return goal


@transaction.atomic
def national_goal_update(
    *,
    goal_id: int,
    actor: User | None,
    code: str,
    short_nl: str,
    short_en: str,
    title_nl: str,
    title_en: str,
    is_active: bool,
) -> Goal:
    """Change a national goal; SDG and EU goals cannot be changed (``Goal.DoesNotExist``).

    After: the goal holds the new values and an event ``goal.national_updated``
    lists the changed fields; or ``ValidationError`` and nothing changed.
    A goal that is made inactive stays linked where it is linked, but cannot
    be chosen for new links (``services.agendas`` only accepts active goals).
    """
    goal = Goal.objects.select_for_update().get(pk=goal_id, catalogue=GoalCatalogue.NATIONAL)
    code, short_nl, short_en = code.strip(), short_nl.strip(), short_en.strip()
    title_nl, title_en = title_nl.strip(), title_en.strip()
    _validate(code=code, short_nl=short_nl, short_en=short_en, title_nl=title_nl, title_en=title_en, goal_id=goal.pk)
    new = {
        "code": code,
        "short_nl": short_nl,
        "short_en": short_en,
        "title_nl": title_nl,
        "title_en": title_en,
        "is_active": is_active,
    }
    changed = [name for name, value in new.items() if getattr(goal, name) != value]
    for name, value in new.items():
        setattr(goal, name, value)
    _save(goal)
    record_event(actor=actor, verb="goal.national_updated", target=goal, data={"code": code, "changed": changed})
    return goal
