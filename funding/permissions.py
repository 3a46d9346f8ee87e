"""Who may do what in funding: Rijk officials propose and decide; approved decisions are public.

The advice a decision follows is public only where the review round is
public; elsewhere it is for officials and those who may see the submission
(its coalition, the review chair). The decision letter cites the advice, so
it follows the same rule.
"""

from __future__ import annotations

from accounts.models import GlobalRole
from accounts.permissions import has_global_role
from reviews.permissions import can_view_submission


def is_official(user) -> bool:
    return has_global_role(user, GlobalRole.RIJK_OFFICIAL)


def can_see_advice_of(user, decision) -> bool:
    """Whether ``user`` may read the advice behind ``decision`` (and so its letter)."""
    if decision.submission.round.is_public or is_official(user):
        return True
    return can_view_submission(user, decision.submission)
