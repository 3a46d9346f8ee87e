"""What each app tells the invitations about the roles it owns.

``invitations`` sits below the subjects, so it cannot know a coalition, the
reviewer pool or a mandate. Each app registers, in its ``AppConfig.ready()``,
an :class:`InvitationKind` per role it gives by invitation: who may invite to
it, what the invitation is for in words, the checks before it is sent and
what accepting does. The services in ``invitations.services`` call these and
nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class InvitationKind:
    key: str
    label: Any
    # may_invite(actor, payload): whether the actor may give this role (e.g. coordinator of that coalition).
    may_invite: Callable[[Any, dict], bool]
    # describe(payload): what the invitation is for, a sentence part in the active language.
    describe: Callable[[dict], str]
    # check(payload, email): raise ValidationError when it cannot be sent (e.g. already a member).
    check: Callable[[dict, str], None]
    # grant(user, payload, inviter): give the role; runs inside the accepting transaction.
    grant: Callable[[Any, dict, Any], None]
    # manage_url(payload): the page where the invitation is managed (revoked, resent).
    manage_url: Callable[[dict], str]
    # The coalition an invitation belongs to, if any (listed on its page, its events on its timeline).
    coalition_id: Callable[[dict], int | None] = lambda payload: None


_kinds: dict[str, InvitationKind] = {}


def register_kind(kind: InvitationKind) -> None:
    _kinds[kind.key] = kind


def kind(key: str) -> InvitationKind | None:
    return _kinds.get(key)


def kinds() -> list[InvitationKind]:
    return list(_kinds.values())
