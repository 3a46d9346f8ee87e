"""A code entered long ago does not move money: approving, releasing and reclaiming ask for a fresh one.

The verification lasts TWO_FACTOR_VERIFICATION_AGE (30 minutes, accounts/two_factor.py).
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.two_factor import VERIFIED_AT_SESSION_KEY
from funding.models import Decision, Tranche
from tests.funding.factories import (
    advised_submission,
    approved_decision,
    make_programme,
    propose,
    verified_client,
    verify_session,
)

pytestmark = pytest.mark.django_db

STALE = timedelta(minutes=31)
FRESH = timedelta(minutes=29)


def verified_ago(client, ago: timedelta) -> None:
    session = client.session
    session[VERIFIED_AT_SESSION_KEY] = (timezone.now() - ago).timestamp()
    session.save()


@pytest.fixture
def proposed(coalition, alice, chair, proposer):
    return propose(advised_submission(coalition, alice, chair), make_programme(proposer), proposer)


def test_an_old_verification_cannot_approve_on_the_page_a_fresh_one_can(client, proposed, approver):
    url = reverse("funding:approve", args=[proposed.pk])
    verify_session(client, approver)
    verified_ago(client, STALE)
    response = client.post(url, {"confirmed": "1"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor:verify") + "?next=")
    proposed.refresh_from_db()
    assert proposed.status == Decision.Status.PROPOSED

    verified_ago(client, FRESH)
    client.post(url, {"confirmed": "1"})
    proposed.refresh_from_db()
    assert proposed.status == Decision.Status.APPROVED


def test_an_old_verification_cannot_approve_through_the_api(proposed, approver):
    client = verified_client(approver)
    verified_ago(client, STALE)
    response = client.post(f"/api/v1/decisions/{proposed.pk}/approve/")
    assert response.status_code == 403
    assert "/account/tweestaps/" in response.json()["detail"]
    assert Decision.objects.get(pk=proposed.pk).status == Decision.Status.PROPOSED

    verified_ago(client, FRESH)
    assert client.post(f"/api/v1/decisions/{proposed.pk}/approve/").status_code == 200


def test_an_old_verification_cannot_release_or_reclaim(coalition, alice, chair, proposer, approver):
    decision = approved_decision(coalition, alice, chair, proposer, approver)
    first = decision.tranches.get(year=2026)
    client = verified_client(approver)
    verified_ago(client, STALE)
    response = client.post(f"/api/v1/tranches/{first.pk}/release/", {}, format="json")
    assert response.status_code == 403
    first.refresh_from_db()
    assert first.status == Tranche.Status.PLANNED

    verified_ago(client, FRESH)
    assert client.post(f"/api/v1/tranches/{first.pk}/release/", {}, format="json").status_code == 200

    verified_ago(client, STALE)
    body = {"amount": 5_000, "reason": "Niet besteed."}
    response = client.post(f"/api/v1/tranches/{first.pk}/reclaim/", body, format="json")
    assert response.status_code == 403
    first.refresh_from_db()
    assert first.reclaimed_amount == 0
