"""The synthetic national data set (funding.national_data) and the national picture at two of its sizes."""

from collections import defaultdict

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from agendas.models import Agenda, BudgetLine, Measure, Priority
from coalitions.models import Coalition, Organisation
from core import public_cache
from funding import national, services
from funding.models import Decision, Envelope, Programme, Tranche
from funding.national_data import LABEL, TRANCHES, Counts, generate
from regions.models import Region
from regions.selectors import region_profile
from reviews import snapshots
from reviews.models import Submission
from tests.factories import make_coalition

pytestmark = pytest.mark.django_db

SCALE = 0.05  # 5 coalitions, 50 agendas, 30 decisions


@pytest.fixture
def generated():
    return generate(scale=SCALE, seed=7)


def test_it_makes_the_counts_of_the_scale(generated):
    expected = Counts.at_scale(SCALE)
    assert (expected.coalitions, expected.agendas, expected.decisions) == (5, 50, 30)
    assert Coalition.objects.count() == 5
    assert Agenda.objects.count() == 50
    assert Decision.objects.filter(status=Decision.Status.APPROVED).count() == 30
    assert Decision.objects.count() == 30
    assert Tranche.objects.count() == 30 * TRANCHES
    assert Priority.objects.count() == 50 * 3 and Measure.objects.count() == 50 * 6
    assert BudgetLine.objects.count() == generated["budget_lines"] > 0
    assert Programme.objects.count() == 1
    # Real regions of every kind a coalition can have; custom ones are made of real municipalities.
    kinds = sorted(Coalition.objects.values_list("region__kind", flat=True))
    assert kinds == ["corop", "corop", "custom", "custom", "province"]
    for region in Region.objects.filter(kind=Region.Kind.CUSTOM):
        assert region.code.startswith("RG-SYN-") and LABEL in region.name
        assert region.municipalities.count() >= 1


def test_everything_made_is_labelled_synthetic(generated):
    assert all(LABEL in name for name in Coalition.objects.values_list("name", flat=True))
    assert all(LABEL in name for name in Organisation.objects.values_list("name", flat=True))
    assert all(LABEL in title for title in Agenda.objects.values_list("title", flat=True))
    assert LABEL in Programme.objects.get().name
    assert all(LABEL in s.snapshot["title"] for s in Submission.objects.all())


def test_decisions_follow_the_funding_rules(generated):
    programme = Programme.objects.get()
    for decision in Decision.objects.select_related("submission", "region").prefetch_related("tranches"):
        tranches = list(decision.tranches.all())
        snapshot = decision.submission.snapshot
        assert decision.status == Decision.Status.APPROVED
        assert decision.decided_by_id != decision.proposed_by_id  # four eyes
        assert decision.proposed_at < decision.decided_at
        assert sum(t.amount for t in tranches) == decision.amount_awarded
        assert 0 < decision.amount_awarded <= decision.amount_requested
        assert decision.amount_requested == services.submission_budget(decision.submission).rijk_total
        assert decision.cofinancing_percent >= programme.min_cofinancing_percent
        assert len(tranches) == TRANCHES
        for tranche in tranches:
            assert snapshot["start_year"] <= tranche.year <= snapshot["end_year"]
            assert programme.start_year <= tranche.year <= programme.end_year
            assert tranche.from_reserved + tranche.from_open == tranche.amount
            if not decision.lagging:
                assert tranche.from_reserved == 0  # the reserved part is only for lagging regions
        profile = region_profile(decision.region)
        assert decision.accumulated_deficit == profile.accumulated_deficit
        assert decision.lagging == (profile.accumulated_deficit >= programme.lagging_min_themes)
        # The snapshot is the stored agenda's, with the documented hash.
        assert decision.submission.content_hash == snapshots.content_hash(snapshot)
        assert snapshot["region"]["code"] == decision.region.code
    assert Decision.objects.filter(lagging=True).exists() and Decision.objects.filter(lagging=False).exists()


def test_envelopes_hold_exactly_the_tranches(generated):
    committed = defaultdict(lambda: [0, 0, 0])
    for year, amount, reserved, open_ in Tranche.objects.values_list("year", "amount", "from_reserved", "from_open"):
        committed[year][0] += amount
        committed[year][1] += reserved
        committed[year][2] += open_
    envelopes = {e.year: e for e in Envelope.objects.all()}
    assert set(committed) <= set(envelopes)
    for year, envelope in envelopes.items():
        amount, reserved, open_ = committed.get(year, (0, 0, 0))
        assert envelope.committed_reserved == reserved and envelope.committed_open == open_
        assert amount == envelope.committed <= envelope.amount
        assert envelope.committed_reserved <= envelope.reserved_amount
        assert envelope.committed_open <= envelope.open_amount
    assert Tranche.objects.aggregate(total=Sum("amount"))["total"] == sum(
        Decision.objects.values_list("amount_awarded", flat=True)
    )


def test_the_command_refuses_a_database_with_agendas_or_funding(alice):
    make_coalition(coordinator=alice)
    with pytest.raises(CommandError, match="bevat al coalities"):
        call_command("generate_national_data", scale=SCALE)
    assert Agenda.objects.count() == 0 and Decision.objects.count() == 0


def test_the_command_refuses_without_regions():
    Region.objects.filter(kind=Region.Kind.MUNICIPALITY).update(kind=Region.Kind.CUSTOM)
    with pytest.raises(CommandError, match="import_regions"):
        call_command("generate_national_data", scale=SCALE)


def test_the_command_refuses_a_bad_scale():
    with pytest.raises(CommandError, match="--scale"):
        call_command("generate_national_data", scale=0)


def test_the_page_and_the_api_take_the_same_queries_at_two_sizes(client, generated, monkeypatch):
    """Cold (nothing cached) and warm, with 30 approved decisions and with 15.

    tests/funding/test_national.py counts the page warm with 1 and 3
    decisions; this adds the API, the cold path and a generated data set.
    The views' own work: the public cache (core.public_cache) would answer
    an anonymous repeat with the public data version alone.
    """
    monkeypatch.setattr(public_cache, "enabled", lambda: False)
    urls = ("/financiering/landelijk/", "/api/v1/national/", "/financiering/landelijk/?theme=gezondheid")

    def counts():
        result = {}
        for url in urls:
            cache.clear()
            with CaptureQueriesContext(connection) as cold:
                assert client.get(url).status_code == 200
            with CaptureQueriesContext(connection) as warm:
                assert client.get(url).status_code == 200
            result[url] = (len(cold), len(warm))
        return result

    large = counts()
    # Half the decisions no longer count (rejected is what the picture leaves out).
    half = list(Decision.objects.order_by("pk").values_list("pk", flat=True)[:15])
    Decision.objects.filter(pk__in=half).update(status=Decision.Status.REJECTED)
    small = counts()
    print(f"queries (cold, warm): 30 decisions {large}; 15 decisions {small}")
    assert large == small
    # Warm: programmes, themes and the data version (one statement, funding.national).
    assert {warm for _cold, warm in large.values()} == {3}


def test_a_new_approval_changes_the_cached_picture(client, generated):
    """The cache is keyed on the data version: a decision that stops counting shows at once."""
    before = client.get("/api/v1/national/").json()["total"]
    decision = Decision.objects.order_by("pk").first()
    Decision.objects.filter(pk=decision.pk).update(status=Decision.Status.REJECTED)
    after = client.get("/api/v1/national/").json()["total"]
    assert after == before - decision.amount_awarded
    picture = client.get("/financiering/landelijk/").context["picture"]
    assert decision.pk not in picture.decision_ids and picture.total == after
    assert national.NationalPicture is type(picture)
