"""Who may do what in funding: Rijk officials propose and decide; approved decisions are public."""

from __future__ import annotations

from kansenagenda.models import GlobalRole
from kansenagenda.permissions import has_global_role


def is_official(user) -> bool:
    return has_global_role(user, GlobalRole.RIJK_OFFICIAL)
