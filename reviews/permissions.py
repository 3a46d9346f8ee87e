"""Who may see and do what in the review. Object level: every rule takes the object.

* Coalition members see their own submissions and, once published, the
  advice; never who reviews them.
* Reviewers see the submissions they are invited to (not after declining)
  and only their own review; the other reviews of a submission once their
  own is in (blind until submitted).
* Review chairs see and run everything in the review.
* Rijk officials see submissions and published advice.
* Everyone, also without logging in, sees a submission with published
  advice in a public round.
Drafts are not here at all: a submission is a frozen snapshot.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from accounts.models import GlobalRole, User
from accounts.permissions import has_global_role
from coalitions.permissions import coalition_permissions, has_coalition_perm
from reviews.models import Advice, Assignment, Submission

VISIBLE_ASSIGNMENT = (Assignment.Status.INVITED, Assignment.Status.ACCEPTED, Assignment.Status.SUBMITTED)


def is_chair(user: User | AnonymousUser) -> bool:
    return has_global_role(user, GlobalRole.REVIEW_CHAIR)


def is_reviewer(user: User | AnonymousUser) -> bool:
    return has_global_role(user, GlobalRole.REVIEWER)


def is_coalition_member(user: User | AnonymousUser, submission: Submission) -> bool:
    # The user's own object permission: never has_perm, which is true for every superuser.
    return "view_coalition" in coalition_permissions(user, submission.agenda.coalition)


def advice_is_published(submission: Submission) -> bool:
    try:
        return submission.advice.published_at is not None
    except Advice.DoesNotExist:
        return False


def own_assignment(user: User | AnonymousUser, submission: Submission) -> Assignment | None:
    if not user.is_authenticated:
        return None
    return submission.assignments.filter(reviewer=user, status__in=VISIBLE_ASSIGNMENT).first()


def is_public_record(submission: Submission) -> bool:
    """Published advice in a public round: the submission, its advice and its questions are for everyone."""
    return submission.round.is_public and advice_is_published(submission)


def can_view_submission(user: User | AnonymousUser, submission: Submission) -> bool:
    if is_public_record(submission):
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    if is_chair(user) or has_global_role(user, GlobalRole.RIJK_OFFICIAL):
        return True
    if is_coalition_member(user, submission):
        return True
    return own_assignment(user, submission) is not None


def can_view_advice(user: User | AnonymousUser, submission: Submission) -> bool:
    """The chair sees drafted advice; everyone who may see the submission sees published advice."""
    if is_chair(user):
        return True
    return advice_is_published(submission) and can_view_submission(user, submission)


def can_see_other_reviews(user: User | AnonymousUser, assignment: Assignment) -> bool:
    """Blind until submitted: a reviewer sees the others' reviews once their own is in."""
    if is_chair(user):
        return True
    return assignment.reviewer_id == user.pk and assignment.status == Assignment.Status.SUBMITTED


def can_view_assignment(user: User | AnonymousUser, assignment: Assignment) -> bool:
    if not user.is_authenticated:
        return False
    return is_chair(user) or assignment.reviewer_id == user.pk


# ------------------------------------------------------- questions to the coalition (reviews.questions)
# Who reads them: ``selectors.questions_visible_to``.

# Reviewers who accepted may propose questions, also after handing in their review.
PROPOSING_ASSIGNMENT = (Assignment.Status.ACCEPTED, Assignment.Status.SUBMITTED)


def questions_are_open(submission: Submission) -> bool:
    """Questions are asked, proposed and answered only while the submission is under way (no advice published)."""
    return submission.status in Submission.ACTIVE


def can_propose_question(user: User | AnonymousUser, assignment: Assignment) -> bool:
    """A reviewer who accepted, about the submission they review, while it is in review."""
    if not user.is_authenticated or not user.is_active:
        return False
    if assignment.reviewer_id != user.pk:
        return False
    if assignment.status not in PROPOSING_ASSIGNMENT:
        return False
    return assignment.submission.status == Submission.Status.IN_REVIEW


def can_answer_questions(user: User | AnonymousUser, submission: Submission, *, perms=None) -> bool:
    """The coalition's coordinators and editors (who write its agenda); viewers and others only read."""
    return has_coalition_perm(user, "edit_coalition_content", submission.agenda.coalition, perms)
