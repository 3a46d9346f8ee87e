"""Funding decisions: proposing, four eyes, mandates, the second factor, envelopes and the reserved share."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from activity.models import Event
from funding import letters, services
from funding.models import Decision, Envelope, Tranche
from regions.selectors import region_profile
from tests.factories import make_user
from tests.funding.factories import advised_submission, give_mandate, make_programme, propose

pytestmark = pytest.mark.django_db

# complete_agenda asks the Rijk for 100.000 in 2026 (and has 50.000 from the province).
REQUESTED = 100_000


@pytest.fixture
def submission(coalition, alice, chair):
    return advised_submission(coalition, alice, chair)


def test_a_proposal_is_approved_by_a_second_official_and_commits_the_envelopes(
    submission, proposer, approver, django_capture_on_commit_callbacks
):
    programme = make_programme(proposer, envelope=500_000)
    decision = propose(submission, programme, proposer)
    assert (decision.status, decision.amount_requested, decision.amount_awarded) == ("proposed", REQUESTED, REQUESTED)
    assert not Envelope.objects.filter(committed_open__gt=0).exists()

    with django_capture_on_commit_callbacks() as callbacks:
        services.decision_approve(actor=approver, decision_id=decision.pk, verified=True)
    # The letter task is sent after the commit only; here it runs in-process (twice: idempotent).
    # Two callbacks: the e-mail of the event, and the letter.
    assert len(callbacks) == 2
    assert letters.make_letter(decision.pk) is True
    assert letters.make_letter(decision.pk) is False

    decision.refresh_from_db()
    assert (decision.status, decision.decided_by) == (Decision.Status.APPROVED, approver)
    committed = dict(Envelope.objects.filter(programme=programme).values_list("year", "committed_open"))
    assert (committed[2026], committed[2027], committed[2028]) == (60_000, 40_000, 0)
    assert Event.objects.filter(verb="decision.approved", actor=approver).exists()
    # The letter was made after the commit, through the storage API.
    assert decision.letter.name.endswith(".pdf")
    with default_storage.open(decision.letter.name) as letter:
        assert letter.read(4) == b"%PDF"


def test_nobody_approves_or_rejects_their_own_proposal(submission, proposer):
    give_mandate(proposer)
    decision = propose(submission, make_programme(proposer), proposer)
    with pytest.raises(ValidationError, match="Vier ogen"):
        services.decision_approve(actor=proposer, decision_id=decision.pk, verified=True)
    with pytest.raises(ValidationError, match="Vier ogen"):
        services.decision_reject(actor=proposer, decision_id=decision.pk, reason="Toch niet")
    decision.refresh_from_db()
    assert decision.status == Decision.Status.PROPOSED
    assert not Envelope.objects.filter(committed_open__gt=0).exists()


def test_approval_needs_a_mandate_covering_the_amount(submission, proposer):
    low = make_user("low", role="rijk_official")
    give_mandate(low, 99_999)
    decision = propose(submission, make_programme(proposer), proposer)
    with pytest.raises(ValidationError, match="mandaat"):
        services.decision_approve(actor=low, decision_id=decision.pk, verified=True)
    give_mandate(low, REQUESTED)
    services.decision_approve(actor=low, decision_id=decision.pk, verified=True)


def test_approval_needs_a_verified_session_and_an_official(submission, proposer, approver, chair):
    decision = propose(submission, make_programme(proposer), proposer)
    with pytest.raises(services.SecondFactorRequired):
        services.decision_approve(actor=approver, decision_id=decision.pk, verified=False)
    with pytest.raises(PermissionDenied):
        services.decision_approve(actor=chair, decision_id=decision.pk, verified=True)
    decision.refresh_from_db()
    assert decision.status == Decision.Status.PROPOSED


@pytest.mark.parametrize(
    ("tranches", "fields", "field", "message"),
    [
        ({2025: 100_000}, {}, "tranches", "buiten de looptijd van de agenda"),
        ({2026: 60_000, 2027: 30_000}, {"amount_awarded": 100_000}, "tranches", "tellen op tot"),
        ({2026: 150_000}, {}, "amount_awarded", "Hoger dan gevraagd"),
        ({2026: 80_000}, {}, "difference_explanation", "Licht toe"),
        ({2026: 0, 2027: 100_000}, {}, "tranches", "positief bedrag"),
        ({2026: True}, {"amount_awarded": 1}, "tranches", "positief bedrag"),
    ],
)
def test_bad_proposals_are_refused_and_change_nothing(submission, proposer, tranches, fields, field, message):
    programme = make_programme(proposer)
    with pytest.raises(ValidationError) as error:
        propose(submission, programme, proposer, tranches, **fields)
    assert message in " ".join(error.value.message_dict[field])
    assert not Decision.objects.exists() and not Tranche.objects.exists()


def test_a_tranche_above_what_the_envelope_has_left_is_refused(submission, proposer):
    programme = make_programme(proposer, envelope=100_000)  # 70.000 open, 30.000 reserved
    with pytest.raises(ValidationError) as error:
        propose(submission, programme, proposer, {2026: 80_000, 2027: 20_000})
    assert "2026: nog €\xa070.000 beschikbaar" in error.value.message_dict["tranches"][0]


def test_only_a_submission_with_published_positive_advice_can_be_funded(coalition, alice, chair, proposer):
    negative = advised_submission(coalition, alice, chair, outcome="negative")
    with pytest.raises(ValidationError, match="gepubliceerd positief advies"):
        propose(negative, make_programme(proposer), proposer)


def test_one_open_decision_per_submission_a_rejected_one_may_be_followed(submission, proposer, approver):
    programme = make_programme(proposer)
    first = propose(submission, programme, proposer)
    with pytest.raises(ValidationError, match="al een beschikking"):
        propose(submission, programme, proposer)
    services.decision_reject(actor=approver, decision_id=first.pk, reason="Verdeling over de jaren anders")
    second = propose(submission, programme, proposer, {2026: 100_000})
    assert second.reference != first.reference


def test_the_reserved_share_is_only_for_lagging_regions(coalition, alice, chair, proposer, approver):
    deficit = region_profile(coalition.region).accumulated_deficit
    assert deficit >= 1, "the test region lags on at least one theme"
    # 100.000 a year: 30.000 reserved for regions lagging on at least N themes, 70.000 open.
    not_lagging = make_programme(proposer, envelope=100_000, lagging_min_themes=deficit + 1)
    lagging = make_programme(proposer, envelope=100_000, lagging_min_themes=deficit)

    submission = advised_submission(coalition, alice, chair)
    with pytest.raises(ValidationError, match=r"nog €\\xa070\.000 beschikbaar"):
        propose(submission, not_lagging, proposer, {2026: 100_000})

    decision = propose(submission, lagging, proposer, {2026: 100_000})
    assert decision.lagging
    services.decision_approve(actor=approver, decision_id=decision.pk, verified=True)
    tranche = decision.tranches.get()
    assert (tranche.from_reserved, tranche.from_open) == (30_000, 70_000)
    envelope = Envelope.objects.get(programme=lagging, year=2026)
    assert (envelope.committed_reserved, envelope.committed_open) == (30_000, 70_000)


def test_the_database_refuses_to_overcommit_an_envelope(proposer):
    programme = make_programme(proposer, envelope=100_000)
    with pytest.raises(IntegrityError), transaction.atomic():
        Envelope.objects.filter(programme=programme, year=2026).update(committed_open=F("committed_open") + 70_001)
    with pytest.raises(IntegrityError), transaction.atomic():
        Envelope.objects.filter(programme=programme, year=2026).update(committed_reserved=30_001)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_approvals_never_exceed_the_envelope(real_data):
    from tests.factories import make_coalition

    alice = make_user("alice")
    chair = make_user("chair", role="review_chair")
    proposer = make_user("proposer", role="rijk_official")
    approvers = [make_user(f"approver{n}", role="rijk_official") for n in range(2)]
    for approver in approvers:
        give_mandate(approver)
    coalition = make_coalition(coordinator=alice)
    # 100.000 a year of which 70.000 open to this (not lagging) region; two decisions of 60.000 each.
    programme = make_programme(proposer, envelope=100_000)
    decisions = [
        propose(
            advised_submission(coalition, alice, chair),
            programme,
            proposer,
            {2026: 60_000},
            difference_explanation="Deels",
        )
        for _ in range(2)
    ]
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(approver, decision):
        try:
            barrier.wait()
            services.decision_approve(actor=approver, decision_id=decision.pk, verified=True)
            outcomes.append("approved")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=pair) for pair in zip(approvers, decisions, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes)[0] == "2026: nog €\xa010.000 beschikbaar, de tranche is €\xa060.000."
    assert sorted(outcomes)[1] == "approved"
    envelope = Envelope.objects.get(programme=programme, year=2026)
    assert (envelope.committed_open, envelope.committed_reserved) == (60_000, 0)
    assert Decision.objects.filter(status=Decision.Status.APPROVED).count() == 1
