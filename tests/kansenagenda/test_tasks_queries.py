"""Mijn taken takes the same number of queries however much waits: per role, page and API, at two sizes.

Each test builds ``SMALL`` units of work for one role, measures the page and
the API, builds up to ``LARGE`` units and measures again; the counts must be
equal and exact (``tests/helpers.py`` prints every SQL statement of both
runs when they are not). The comment above each count names the queries.

Providers run in the order of INSTALLED_APPS: invitations (platform admin),
regions (data steward), coalitions, agendas, reviews (coordinator,
representative, reviewer, chair), funding (coordinator, official).
"""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from funding import amendments, monitoring
from invitations import services as invitation_services
from invitations.models import Invitation
from regions.models import ImportJob
from reviews import services as review_services
from reviews.models import Advice, Assignment, Submission
from tests.factories import make_coalition, make_user
from tests.funding.factories import advised_submission, approved_decision, give_mandate, make_programme, propose
from tests.helpers import api_token, assert_counts, measure
from tests.reviews.factories import complete_agenda, freeze, make_round

pytestmark = pytest.mark.django_db

SMALL, LARGE = 1, 3

# Query names used in the comments below.
# session, user      the session row and the logged-in user (page)
# token              the DRF token with its user (API)
# groups             the user's group names (has_global_role, once per request)
# unread             the unread notifications in the menu (page only)
# memberships        the user's coalition memberships, shared by every coalition-side provider


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def counts(client, user, grow) -> tuple[list[str], list[str], list[str], list[str], int, int]:
    """The page's and the API's queries after ``SMALL`` and after ``LARGE`` units of work, and the task counts."""
    client.force_login(user)
    # The API without a session: the token alone says who asks.
    api = Client()
    token = {"HTTP_AUTHORIZATION": f"Token {api_token(user)}"}
    grow(SMALL)
    small_response, small_page = measure(client, "/mijn-taken/")
    small_api_response, small_api = measure(api, "/api/v1/me/tasks/", **token)
    grow(LARGE - SMALL)
    large_response, large_page = measure(client, "/mijn-taken/")
    large_api_response, large_api = measure(api, "/api/v1/me/tasks/", **token)
    small_tasks, large_tasks = len(small_response.context["tasks"]), len(large_response.context["tasks"])
    assert large_tasks > small_tasks > 0
    assert (len(small_api_response.json()), len(large_api_response.json())) == (small_tasks, large_tasks)
    return small_page, large_page, small_api, large_api, small_tasks, large_tasks


def test_a_coordinator_in_constant_queries(client, alice, bob, chair):
    proposer = make_user("proposer", role="rijk_official")
    approver = make_user("approver", role="rijk_official")
    give_mandate(approver)
    make_round(chair)

    def grow(n: int) -> None:
        # A coalition with a complete draft, half its organisations without a representative,
        # and an approved decision whose progress report is due.
        for _ in range(n):
            i = alice.coalition_memberships.count()
            coalition = make_coalition(coordinator=alice, editor=bob, slug=f"taken-{i}", region_code=f"CR{i + 2:02}")
            complete_agenda(coalition, alice)
            approved_decision(coalition, alice, chair, proposer, approver)

    small_page, large_page, small_api, large_api, *_ = counts(client, alice, grow)
    # session, user; groups (platform admin, data steward: read once for every global role);
    # memberships; member organisations with whether they are represented (coalitions); the
    # agendas with theme counts and Rijk totals; the drafts' priorities and measures with their
    # counts (gap counts, agendas); the drafts' returned submissions, the current endorsements,
    # the open rounds (reviews); the tranches whose report is due (funding); unread
    assert_counts(small_page, large_page, 15)  # + the management links: coalitions coordinated, may start one
    # token, then the same without session, user and unread
    assert_counts(small_api, large_api, 11)


def test_a_representative_in_constant_queries(client, alice, bob, chair):
    make_round(chair)

    def grow(n: int) -> None:
        for _ in range(n):
            i = bob.coalition_memberships.count()
            coalition = make_coalition(coordinator=alice, editor=bob, slug=f"taken-{i}", region_code=f"CR{i + 2:02}")
            complete_agenda(coalition, alice)

    small_page, large_page, small_api, large_api, *_ = counts(client, bob, grow)
    # session, user; groups; memberships; the agendas; the returned submissions, the
    # endorsements, the member organisations, the open rounds (representative); unread
    assert_counts(small_page, large_page, 12)  # + the management links: coalitions coordinated, may start one
    # token, then the same without session, user and unread
    assert_counts(small_api, large_api, 8)


def submissions(coalition, alice, review_round, n: int) -> list[Submission]:
    return [freeze(complete_agenda(coalition, alice), review_round, alice) for _ in range(n)]


def test_a_reviewer_in_constant_queries(client, coalition, alice, chair):
    person = make_user("reviewer1", role="reviewer")
    review_round = make_round(chair)

    def grow(n: int) -> None:
        # An invitation to answer, and an accepted review to write on a submission in review.
        invited, accepted = submissions(coalition, alice, review_round, n), []
        for submission in submissions(coalition, alice, review_round, n):
            assignment = review_services.assignment_create(
                actor=chair, submission_id=submission.pk, reviewer_id=person.pk
            )
            review_services.assignment_respond(actor=person, assignment_id=assignment.pk, accept=True, no_conflict=True)
            accepted.append(submission.pk)
        Submission.objects.filter(pk__in=accepted).update(status=Submission.Status.IN_REVIEW)
        for submission in invited:
            review_services.assignment_create(actor=chair, submission_id=submission.pk, reviewer_id=person.pk)

    small_page, large_page, small_api, large_api, *_ = counts(client, person, grow)
    # session, user; groups; memberships (none, so no more coalition-side queries); the
    # assignments with submission and round (reviewer); unread
    assert_counts(small_page, large_page, 8)  # + the management links: coalitions coordinated, may start one
    # token, groups, memberships, assignments
    assert_counts(small_api, large_api, 4)


def test_the_chair_in_constant_queries(client, coalition, alice, chair):
    review_round = make_round(chair)
    reviewers = [make_user(f"reviewer{i}", role="reviewer") for i in range(LARGE)]

    def grow(n: int) -> None:
        # Per unit: a submission without reviewers, one with an overdue invitation,
        # one in review with a submitted review, one with advice to publish.
        start = Assignment.objects.filter(reviewer__in=reviewers).values("reviewer").distinct().count()
        for person in reviewers[start : start + n]:
            bare, invited, reviewed, advised = submissions(coalition, alice, review_round, 4)
            late = review_services.assignment_create(actor=chair, submission_id=invited.pk, reviewer_id=person.pk)
            Assignment.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=1))
            for submission in (reviewed, advised):
                done = review_services.assignment_create(
                    actor=chair, submission_id=submission.pk, reviewer_id=person.pk
                )
                Assignment.objects.filter(pk=done.pk).update(status=Assignment.Status.SUBMITTED)
            Submission.objects.filter(pk__in=[reviewed.pk, advised.pk]).update(status=Submission.Status.IN_REVIEW)
            Advice.objects.create(submission=advised, outcome="positive", rationale="Goed.")

    small_page, large_page, small_api, large_api, small_tasks, large_tasks = counts(client, chair, grow)
    assert (small_tasks, large_tasks) == (5 * SMALL, 5 * LARGE)
    # session, user; groups; memberships; the submissions under way with their counts; the
    # overdue reviews with their reviewer (chair); unread
    assert_counts(small_page, large_page, 9)  # + the management links: coalitions coordinated, may start one
    # token, groups, memberships, submissions, overdue reviews
    assert_counts(small_api, large_api, 5)


def test_a_rijk_official_in_constant_queries(client, coalition, alice, chair):
    proposer = make_user("proposer", role="rijk_official")
    approver = make_user("approver", role="rijk_official")
    give_mandate(approver)

    def grow(n: int) -> None:
        # Per unit: an advised submission without a proposal, a proposal by the other official,
        # and an approved decision with a report to judge, a tranche and an amendment by the other.
        for _ in range(n):
            advised_submission(coalition, alice, chair)
            propose(advised_submission(coalition, alice, chair), make_programme(proposer, envelope=500_000), proposer)
            decision = approved_decision(coalition, alice, chair, proposer, approver)
            target = monitoring.report_targets(decision)[0]
            monitoring.progress_report_submit(
                actor=alice,
                decision_id=decision.pk,
                year=2026,
                indicators={target.key: "47"},
                spending={monitoring.report_measures(decision, 2026)[0].key: 1_000},
                milestones="Op schema.",
                today=datetime.date(2026, 6, 1),
            )
            amendments.amendment_propose(
                actor=proposer, decision_id=decision.pk, tranches={2026: 60_000, 2028: 30_000}, reason="Vertraagd"
            )

    small_page, large_page, small_api, large_api, small_tasks, large_tasks = counts(client, approver, grow)
    assert (small_tasks, large_tasks) == (5 * SMALL, 5 * LARGE)
    # session, user; groups; memberships; the fundable submissions, the proposals, the
    # amendments, the reports, the tranches (official); the signals of their ministries (signals); unread
    assert_counts(small_page, large_page, 13)  # + the management links: coalitions coordinated, may start one
    # token, groups, memberships, the five of the official and their signals
    assert_counts(small_api, large_api, 9)


def test_a_data_steward_in_constant_queries(client):
    steward = make_user("steward", role="data_steward")

    def grow(n: int) -> None:
        for _ in range(n):
            i = ImportJob.objects.count()
            ImportJob.objects.create(source_key=f"bron-{i}", file_path="a.csv", file_name="a.csv")
            ImportJob.objects.create(source_key=f"bron-{i}-b", file_path="b.csv", file_name="b.csv", status="failed")

    small_page, large_page, small_api, large_api, *_ = counts(client, steward, grow)
    # session, user; groups; the import jobs (data steward); memberships; unread
    assert_counts(small_page, large_page, 8)  # + the management links: coalitions coordinated, may start one
    # token, groups, import jobs, memberships
    assert_counts(small_api, large_api, 4)


def test_a_platform_administrator_in_constant_queries(client, platform_admin):
    def grow(n: int) -> None:
        for _ in range(n):
            i = Invitation.objects.count()
            invitation = invitation_services.invitation_create(
                actor=platform_admin, kind="role", email=f"n{i}@example.org", payload={"role": "data_steward"}
            )
            Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(days=1))

    small_page, large_page, small_api, large_api, *_ = counts(client, platform_admin, grow)
    # session, user; groups; the expired invitations with their inviter (platform admin);
    # memberships; unread
    assert_counts(small_page, large_page, 7)  # + the management links: coalitions coordinated
    # token, groups, invitations, memberships
    assert_counts(small_api, large_api, 4)
