"""Comments on an agenda or one of its priorities, with @mentions."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from activity.events import record_event
from activity.notifications import notify
from agendas.models import COMMENT_MAX, Agenda, Comment, Priority
from agendas.permissions import require_reader
from coalitions.models import CoalitionMembership

# "@jan" or "@jan.de-vries": usernames as Django allows them, without the
# trailing punctuation of a sentence.
MENTION = re.compile(r"(?<![\w@])@([\w.+-]*[\w+-])")


def mentioned_members(agenda: Agenda, body: str) -> list[User]:
    """Members of the agenda's coalition whose username is mentioned; others are ignored."""
    names = {name.lower() for name in MENTION.findall(body)}
    if not names:
        return []
    memberships = CoalitionMembership.objects.filter(coalition_id=agenda.coalition_id).select_related("user")
    return [m.user for m in memberships if m.user.username.lower() in names]


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


@transaction.atomic
def comment_create(*, agenda: Agenda, actor: User, body: str, priority: Priority | None = None) -> Comment:
    """Post a comment; every mentioned coalition member gets a notification.

    The actor must be a member who may read the agenda; ``priority`` belongs to it.
    """
    require_reader(actor, agenda.coalition_id)
    body = body.strip()
    if "\x00" in body:
        raise ValidationError({"body": _("De reactie bevat een ongeldig teken.")})
    if not body:
        raise ValidationError({"body": _("Schrijf eerst een reactie.")})
    if len(body) > COMMENT_MAX:
        raise ValidationError({"body": _("Maximaal %(limit)s tekens.") % {"limit": COMMENT_MAX}})
    if priority is not None and priority.agenda_id != agenda.pk:
        raise ValidationError({"priority": _("Deze prioriteit hoort niet bij de agenda.")})
    comment = Comment.objects.create(agenda=agenda, priority=priority, author=actor, body=body)
    mentioned = mentioned_members(agenda, body)
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
