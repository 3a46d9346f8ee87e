"""Conflicts of interest: who may not review a submission.

A reviewer is tied to a submission when they have (or had, within
``LOOKBACK``) an affiliation with one of the coalition's member organisations
— those in the snapshot and those in the coalition now — or are a member of
the coalition themselves. Tied reviewers cannot be assigned; on accepting, a
reviewer still declares having no other conflict.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from coalitions.models import Affiliation, CoalitionMembership, CoalitionOrganisation
from reviews.models import Submission

# An affiliation that ended less than this long ago still ties a person.
LOOKBACK = datetime.timedelta(days=2 * 365)


def member_organisation_ids(submission: Submission) -> set[int]:
    ids = {o["id"] for o in submission.snapshot.get("organisations", []) if o}
    if submission.snapshot.get("lead_partner"):
        ids.add(submission.snapshot["lead_partner"]["id"])
    ids.update(
        CoalitionOrganisation.objects.filter(coalition_id=submission.agenda.coalition_id).values_list(
            "organisation_id", flat=True
        )
    )
    return ids


def conflicts(submission: Submission, reviewers: Iterable[User], *, today=None) -> dict[int, list[str]]:
    """Reviewer id → the reasons they are tied to the submission (absent when there are none). Two queries."""
    today = today or timezone.localdate()
    reviewer_ids = [r.pk for r in reviewers]
    organisations = member_organisation_ids(submission)
    found: dict[int, list[str]] = defaultdict(list)
    ties = (
        Affiliation.objects.filter(user_id__in=reviewer_ids, organisation_id__in=organisations)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today - LOOKBACK))
        .select_related("organisation")
        .order_by("organisation__name")
    )
    for tie in ties:
        if tie.end_date is None:
            found[tie.user_id].append(_("werkt bij %(org)s") % {"org": tie.organisation.name})
        else:
            found[tie.user_id].append(
                _("werkte tot %(date)s bij %(org)s") % {"org": tie.organisation.name, "date": tie.end_date.isoformat()}
            )
    members = CoalitionMembership.objects.filter(
        coalition_id=submission.agenda.coalition_id, user_id__in=reviewer_ids
    ).values_list("user_id", flat=True)
    for user_id in members:
        found[user_id].append(_("is lid van de coalitie"))
    return dict(found)
