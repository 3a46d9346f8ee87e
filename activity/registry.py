"""What each app tells the event log about its own events.

``activity`` sits below every subject, so it cannot know them. Each app
registers, in its ``AppConfig.ready()``:

* its **event types**: the sentence people read (in the app and in e-mail),
  and for those people may choose e-mail for, the label on the preferences
  page, its group there and the default;
* its **event families** (a verb prefix such as ``"decision."``): the page an
  event links to, and whether the family's events may name a draft;
* the **draft scope**: which coalitions' draft events a person may still see
  (``coalitions`` registers it).

A verb nobody registered is still logged and shown (as "actor: verb"), is
never e-mailed by default, and counts as possibly naming a draft.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class EmailGroup:
    """A fieldset of the preferences page."""

    key: str
    label: Any
    order: int


@dataclass(frozen=True)
class EventType:
    verb: str
    # "%(actor)s ..." with the keys of ``notifications.describe``; lazily translated.
    sentence: Any
    # Set when people may choose e-mail for this verb on the preferences page.
    email_label: Any = None
    email_group: str = ""
    email_default: bool = False


@dataclass(frozen=True)
class EventFamily:
    prefix: str
    # The path of the page an event is about, from its data; None when the data lacks it.
    link: Callable[[dict], str | None]
    # False for events about frozen or public things (a submission, a decision):
    # people outside the coalition (reviewers, officials) always see them.
    about_drafts: bool = True


_groups: dict[str, EmailGroup] = {}
_types: dict[str, EventType] = {}
_families: list[EventFamily] = []
_fallback_links: list[Callable[[dict], str | None]] = []
_draft_scope: list[Callable[[Any], QuerySet]] = []


def register_email_group(key: str, label: Any, *, order: int) -> None:
    _groups[key] = EmailGroup(key, label, order)


def register_event_types(*types: EventType) -> None:
    for event_type in types:
        _types[event_type.verb] = event_type


def register_family(prefix: str, *, link: Callable[[dict], str | None], about_drafts: bool = True) -> None:
    _families[:] = [f for f in _families if f.prefix != prefix] + [EventFamily(prefix, link, about_drafts)]


def register_fallback_link(link: Callable[[dict], str | None]) -> None:
    """A link for an event whose family gave none (e.g. any event that names an agenda)."""
    if link not in _fallback_links:
        _fallback_links.append(link)


def register_draft_scope(scope: Callable[[Any], QuerySet]) -> None:
    """``scope(user)``: a queryset of the ids of the coalitions whose draft events the user may see."""
    _draft_scope[:] = [scope]


# ------------------------------------------------------------------ reading


def event_type(verb: str) -> EventType | None:
    return _types.get(verb)


def preference_groups() -> list[tuple[str, Any, dict[str, tuple[Any, bool]]]]:
    """The choosable verbs per group, in the groups' order: ``[(key, label, {verb: (label, default)})]``."""
    groups = sorted(_groups.values(), key=lambda g: g.order)
    return [
        (
            group.key,
            group.label,
            {t.verb: (t.email_label, t.email_default) for t in _types.values() if t.email_group == group.key},
        )
        for group in groups
    ]


def email_defaults() -> dict[str, bool]:
    """Every choosable verb with its default, in the order of the preferences page."""
    return {verb: default for _key, _label, verbs in preference_groups() for verb, (_text, default) in verbs.items()}


def link_for(verb: str, data: dict) -> str | None:
    for family in _families:
        if verb.startswith(family.prefix):
            path = family.link(data)
            if path:
                return path
    for link in _fallback_links:
        path = link(data)
        if path:
            return path
    return None


def public_prefixes() -> tuple[str, ...]:
    """The verb prefixes whose events never name a draft."""
    return tuple(f.prefix for f in _families if not f.about_drafts)


def draft_scope(user) -> QuerySet | None:
    """The coalition ids whose draft events ``user`` may see; None when no app registered a scope."""
    return _draft_scope[0](user) if _draft_scope else None
