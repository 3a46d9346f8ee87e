"""The list of decisions in the API (GET /api/v1/decisions/) loads only what it shows.

* The same number of queries at two sizes, anonymous and for a Rijk official.
* Its SQL reads no large column the list does not show: not the snapshot (the title comes from a
  subquery), not the region's boundary, not the advice's texts and frozen figures, not the decision's
  dataset versions, not a programme's legal texts, not whole user rows.
* One serializer path: a row of the list is exactly the decision's detail, for both readers; the OpenAPI
  schema describes the answer exactly (every field there, nothing more).
* Proposed and rejected decisions and unapproved amendments are for officials only.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import public_cache
from funding import amendments, monitoring, services
from funding.models import Tranche
from funding.serializers import TrancheSerializer
from tests.factories import make_user
from tests.funding.factories import advised_submission, client_for, make_programme, propose
from tests.helpers import assert_counts
from tests.schema_check import answer_errors

pytestmark = pytest.mark.django_db

URL = "/api/v1/decisions/"
SECRET = "Geheime voorwaarde van een voorstel"
AMENDMENT_SECRET = "Geheime reden van een voorgestelde wijziging"
# Large columns no list query may read (SQL as Django writes it; the title's subquery reads U0."snapshot").
LARGE_COLUMNS = (
    '"reviews_submission"."snapshot"',
    '"regions_region"."boundary"',
    '"regions_region"."description"',
    '"reviews_advice"."rationale"',
    '"reviews_advice"."evidence"',
    '"reviews_advice"."aggregate"',
    '"funding_decision"."dataset_versions"',
    '"funding_programme"."legal_basis"',
    '"funding_programme"."description"',
    '"accounts_user"."password"',
    '"funding_tranche"."release_note"',
)


@pytest.fixture(autouse=True)
def _count_the_view(monkeypatch):
    # The public cache (core.public_cache) answers an anonymous repeat in one query: count the view's own work.
    monkeypatch.setattr(public_cache, "enabled", lambda: False)


@pytest.fixture
def programme(proposer):
    return make_programme(proposer, envelope=5_000_000)


@pytest.fixture
def fund(coalition, alice, chair, proposer, approver, programme):
    def fund(n: int) -> None:
        """``n`` approved decisions, each with an approved amendment; and one proposal, one rejection."""
        for _ in range(n):
            decision = propose(advised_submission(coalition, alice, chair), programme, proposer)
            services.decision_approve(actor=approver, decision_id=decision.pk, verified=True)
            amendment = amendments.amendment_propose(
                actor=proposer, decision_id=decision.pk, tranches={2026: 50_000, 2027: 50_000}, reason="Later."
            )
            amendments.amendment_approve(actor=approver, amendment_id=amendment.pk, verified=True)
            first = decision.tranches.get(year=2026)
            monitoring.tranche_release(
                actor=approver, tranche_id=first.pk, verified=True, note="Ok", today=datetime.date(2026, 3, 1)
            )
        propose(advised_submission(coalition, alice, chair), programme, proposer, conditions=SECRET)
        rejected = propose(advised_submission(coalition, alice, chair), programme, proposer, conditions=SECRET)
        services.decision_reject(actor=approver, decision_id=rejected.pk, reason="Nee.")

    return fund


def measure(client) -> tuple[dict, list[str]]:
    assert client.get(URL).status_code == 200  # warm the process-wide caches (content types)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL)
    assert response.status_code == 200
    return response.json(), [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize("official", [False, True], ids=["anonymous", "official"])
def test_it_lists_decisions_in_constant_queries(fund, proposer, official):
    client = client_for(proposer if official else None)
    fund(1)
    small_data, small = measure(client)
    fund(3)
    large_data, large = measure(client)
    assert (small_data["count"], large_data["count"]) == ((3, 8) if official else (1, 4))
    # The count; the page of decisions with programme, region, lead partner, submission, round and advice
    # joined (for officials also who proposed and decided), the title in a subquery; their tranches; their
    # amendments (for officials with who proposed and decided them). An official adds the session, the user
    # and the user's groups (is_official).
    assert_counts(small, large, 7 if official else 4)


@pytest.mark.parametrize("official", [False, True], ids=["anonymous", "official"])
def test_the_list_reads_no_large_column(fund, proposer, official):
    fund(2)
    _data, queries = measure(client_for(proposer if official else None))
    # The list's own queries (not the logged-in user's row, which the authentication reads whole).
    sql = "\n".join(query for query in queries if "funding_" in query)
    assert "funding_decision" in sql and "funding_tranche" in sql and "funding_amendment" in sql
    assert [column for column in LARGE_COLUMNS if column in sql] == []
    # The title comes from the snapshot in a subquery (for the page's rows only, after the sort).
    assert "\"snapshot\" ->> 'title'" in sql


@pytest.mark.parametrize("official", [False, True], ids=["anonymous", "official"])
def test_a_row_of_the_list_is_the_decisions_detail(fund, proposer, official):
    fund(2)
    client = client_for(proposer if official else None)
    rows = client.get(URL).json()["results"]
    assert rows and all(row["amendments"] for row in rows if row["status"] == "approved")
    for row in rows:
        assert client.get(f"{URL}{row['id']}/").json() == row
    # A tranche as the tranche endpoints show it (TrancheSerializer), also its moment of payment.
    released = next(t for row in rows for t in row["tranches"] if t["released_at"])
    assert released == dict(TrancheSerializer(Tranche.objects.get(pk=released["id"])).data)


def test_proposed_and_rejected_decisions_and_unapproved_amendments_are_for_officials_only(
    fund, proposer, approver, charlie
):
    fund(1)
    approved_id = client_for().get(URL).json()["results"][0]["id"]
    amendments.amendment_propose(
        actor=proposer,
        decision_id=approved_id,
        tranches={2026: 50_000, 2027: 40_000, 2028: 10_000},
        reason=AMENDMENT_SECRET,
    )
    for client in (client_for(), client_for(charlie)):
        response = client.get(URL)
        assert [row["status"] for row in response.json()["results"]] == ["approved"]
        assert [a["status"] for a in response.json()["results"][0]["amendments"]] == ["approved"]
        body = response.content.decode()
        assert SECRET not in body and AMENDMENT_SECRET not in body and "Nee." not in body
        assert '"proposed_by":null' in body.replace(" ", "") and "proposer" not in body
    official = client_for(proposer).get(URL).json()["results"]
    assert sorted(row["status"] for row in official) == ["approved", "proposed", "rejected"]
    approved = next(row for row in official if row["status"] == "approved")
    assert [a["status"] for a in approved["amendments"]] == ["approved", "proposed"]
    assert approved["proposed_by"] == proposer.display_name and approved["decided_by"] == approver.display_name


# --- the schema describes the answer ----------------------------------------------------------------


@pytest.mark.parametrize("official", [False, True], ids=["anonymous", "official"])
def test_the_schema_describes_the_list_exactly(fund, proposer, official):
    fund(1)
    data = client_for(proposer if official else None).get(URL).json()
    approved = next(row for row in data["results"] if row["status"] == "approved")
    assert approved["amendments"] and approved["tranches"] and approved["advice"]
    assert len(data["results"]) == (3 if official else 1)
    assert answer_errors(URL, data) == []
    # And the check can fail: a field the schema does not describe, or one of a wrong type.
    approved["extra"] = 1
    approved["tranches"][0]["amount"] = "1000"
    assert len(answer_errors(URL, data)) == 2


def test_an_outsider_and_a_logged_in_coalition_member_read_the_public_list(fund, alice):
    fund(1)
    anonymous = client_for().get(URL).json()
    member = client_for(alice).get(URL).json()
    outsider = client_for(make_user("buitenstaander")).get(URL).json()
    assert anonymous == member == outsider
