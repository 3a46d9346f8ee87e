"""Comments on an agenda or one of its priorities, with @mentions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from accounts.models import User
from activity.events import record_event
from activity.notifications import notify
from agendas.models import COMMENT_MAX, Agenda, Comment, Priority
from agendas.permissions import require_reader
from agendas.text import normalise_text
from coalitions.models import CoalitionMembership
from core.markdown import render_markdown

# "@jan" or "@jan.de-vries": usernames as Django allows them, without the
# trailing punctuation of a sentence. Not inside a word or an e-mail address
# ("jan@example.org"), nor in a path ("https://example.org/@jan").
MENTION = re.compile(r"(?<![\w@/])@([\w.+-]*[\w+-])")


@dataclass(frozen=True)
class Mentionable:
    """A member of the coalition, as the mention suggestions offer them."""

    handle: str
    name: str


def _members(agenda: Agenda) -> list[User]:
    memberships = CoalitionMembership.objects.filter(coalition_id=agenda.coalition_id, user__is_active=True)
    return [m.user for m in memberships.select_related("user").order_by("user__full_name", "user__username")]


def mentionable_members(agenda: Agenda) -> list[Mentionable]:
    """Everyone a comment on the agenda may mention (its coalition's active members), by name. One query."""
    seen: set[int] = set()
    found = []
    for user in _members(agenda):
        if user.pk not in seen:
            seen.add(user.pk)
            found.append(Mentionable(handle=user.username, name=user.display_name))
    return found


def mentioned_handles(body: str) -> list[str]:
    """The mentioned usernames, lower case, each once, in the order they are written."""
    return list(dict.fromkeys(name.lower() for name in MENTION.findall(body)))


def mentioned_members(agenda: Agenda, body: str) -> list[User]:
    """Members of the agenda's coalition whose username is mentioned; others are ignored."""
    names = set(mentioned_handles(body))
    if not names:
        return []
    return [user for user in _members(agenda) if user.username.lower() in names]


def _check_mentions(body: str, mentioned: list[User]) -> None:
    """Every mention names a member: "@jann" for "@jan" would otherwise notify nobody, silently."""
    known = {user.username.lower() for user in mentioned}
    unknown = [handle for handle in mentioned_handles(body) if handle not in known]
    if unknown:
        raise ValidationError(
            {
                "body": _(
                    "Onbekende vermelding: %(names)s. Noem alleen leden van de coalitie, met hun gebruikersnaam "
                    "(typ @ voor de lijst)."
                )
                % {"names": ", ".join(f"@{handle}" for handle in unknown)}
            },
            code="unknown_mention",
        )


# Characters a name must not bring into a comment's Markdown.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!<>|~-])")


def body_with_names(comment: Comment) -> str:
    """The comment's text with each mention shown by the person's name: "@jan" becomes "@Jan de Vries".

    Only the people the comment mentioned (``comment.mentions``; prefetch it for a list) are replaced:
    "@iemand" who is no member of the coalition stays as written.
    """
    names = {user.username.lower(): user.display_name for user in comment.mentions.all()}
    if not names:
        return comment.body

    def named(match: re.Match) -> str:
        name = names.get(match.group(1).lower())
        return "@" + MARKDOWN_SPECIAL.sub(r"\\\1", name) if name else match.group(0)

    return MENTION.sub(named, comment.body)


# Stand-ins for the mentions while the Markdown is rendered: characters of Unicode's private use
# area, which Markdown and the sanitiser pass through untouched and nobody types.
_START, _END = "\ue000", "\ue001"
_PLACEHOLDER = re.compile(f"{_START}(\\d+){_END}")


def comment_html(comment: Comment) -> SafeString:
    """The comment as sanitised HTML, each mention of a member highlighted and shown by name.

    The names are put in after Markdown and the sanitiser did their work, escaped, so a name can
    neither change the Markdown nor bring in HTML.
    """
    names = {user.username.lower(): user.display_name for user in comment.mentions.all()}
    body = comment.body.replace(_START, "").replace(_END, "")
    if not names:
        return render_markdown(body)
    shown: list[str] = []

    def placeholder(match: re.Match) -> str:
        name = names.get(match.group(1).lower())
        if name is None:
            return match.group(0)
        shown.append(name)
        return f"{_START}{len(shown) - 1}{_END}"

    html = str(render_markdown(MENTION.sub(placeholder, body)))
    html = _PLACEHOLDER.sub(lambda m: f'<span class="ka-mention">@{escape(shown[int(m.group(1))])}</span>', html)
    return mark_safe(html)  # noqa: S308  (sanitised Markdown with escaped names)


@transaction.atomic
def comment_create(*, agenda: Agenda, actor: User, body: str, priority: Priority | None = None) -> Comment:
    """Post a comment; every mentioned coalition member gets a notification.

    The actor must be a member who may read the agenda; ``priority`` belongs to it; every
    @mention names a member of the coalition (else nothing is saved).
    """
    require_reader(actor, agenda.coalition_id)
    body = normalise_text(body)
    if "\x00" in body:
        raise ValidationError({"body": _("De reactie bevat een ongeldig teken.")})
    if not body:
        raise ValidationError({"body": _("Schrijf eerst een reactie.")})
    if len(body) > COMMENT_MAX:
        raise ValidationError({"body": _("Maximaal %(limit)s tekens.") % {"limit": COMMENT_MAX}})
    if priority is not None and priority.agenda_id != agenda.pk:
        raise ValidationError({"priority": _("Deze prioriteit hoort niet bij de agenda.")})
    mentioned = mentioned_members(agenda, body)
    _check_mentions(body, mentioned)
    comment = Comment.objects.create(agenda=agenda, priority=priority, author=actor, body=body)
    comment.mentions.set(mentioned)
    where = priority.title if priority is not None else agenda.title
    data = {"agenda_id": agenda.pk, "priority_id": priority.pk if priority else None, "where": where}
    record_event(actor=actor, verb="comment.created", target=comment, coalition_id=agenda.coalition_id, data=data)
    if mentioned:
        event = record_event(
            actor=actor, verb="comment.mentioned", target=comment, coalition_id=agenda.coalition_id, data=data
        )
        notify(event=event, recipients=mentioned)
    return comment
