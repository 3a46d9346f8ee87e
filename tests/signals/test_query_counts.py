"""The public list of signals, its API and the official's list take the same number of queries at two data sizes.

Each grower adds signals in several coalitions, regions, ministries and states (answered, forwarded, open), with
themes, so every joined and prefetched table grows. The comment above each count names the queries; on failure
the SQL of both runs is printed (tests/helpers.py).
"""

from __future__ import annotations

import pytest

from signals import services
from tests.factories import make_coalition, make_user
from tests.helpers import assert_counts, measure
from tests.signals.factories import file_signal, make_ministry, make_official, signal_agenda

pytestmark = pytest.mark.django_db

SMALL, LARGE = 1, 4


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def grow():
    ministry, other = make_ministry("testmin"), make_ministry("anders")
    official = make_official("ambtenaar", ministry, other)
    made = []

    def add(n: int) -> None:
        for _ in range(n):
            i = len(made)
            coordinator = make_user(f"coordinator-{i}")
            coalition = make_coalition(coordinator=coordinator, slug=f"groei-{i}", region_code=f"CR{i + 2:02}")
            agenda = signal_agenda(coalition, coordinator)
            answered = file_signal(coordinator, agenda, ministry, theme_codes=["gezondheid", "wonen"])
            services.signal_answer(actor=official, signal_id=answered.pk, outcome="accepted", text="Doen we.")
            forwarded = file_signal(coordinator, agenda, ministry, theme_codes=["gezondheid"])
            services.signal_answer(
                actor=official,
                signal_id=forwarded.pk,
                outcome="forwarded",
                text="Anders.",
                forward_to_ministry_id=other.pk,
            )
            municipality = agenda.region.municipalities.order_by("code").first().code
            file_signal(coordinator, agenda, other, region_code=municipality)
            file_signal(coordinator, agenda, ministry, is_public=False, not_public_reason="Nee")
            made.append(coalition)

    add.official = official
    add.ministry = ministry
    return add


def test_the_public_list_in_constant_queries(client, grow):
    grow(SMALL)
    _response, small = measure(client, "/openbaar/signalen/?theme=gezondheid")
    grow(LARGE - SMALL)
    response, large = measure(client, "/openbaar/signalen/?theme=gezondheid")
    assert len(response.context["signals"]) == 2 * LARGE
    # the filter's ministries, regions and themes; the count; the page's ids; the rows; their themes;
    # the open signals per ministry; the answers per ministry
    assert_counts(small, large, 9)


def test_the_public_api_list_in_constant_queries(client, grow):
    grow(SMALL)
    _response, small = measure(client, "/api/v1/signals/")
    grow(LARGE - SMALL)
    response, large = measure(client, "/api/v1/signals/")
    assert response.json()["count"] == 3 * LARGE
    # the count; the page's rows with coalition, organisation, region and ministry; their themes
    assert_counts(small, large, 3)


def test_the_officials_list_in_constant_queries(client, grow):
    client.force_login(grow.official)
    grow(SMALL)
    _response, small = measure(client, f"/signalen/ministerie/{grow.ministry.slug}/")
    grow(LARGE - SMALL)
    response, large = measure(client, f"/signalen/ministerie/{grow.ministry.slug}/")
    # Addressed to it: the answered one and the one that is not public (the forwarded one went on).
    assert len(response.context["signals"]) == 2 * LARGE
    # session, user; the ministry; groups, the user's ministries; the count; the page's ids; the rows; their
    # themes; the unread notifications in the menu
    assert_counts(small, large, 10)


def test_the_public_detail_in_constant_queries(client, grow):
    from signals.models import Signal

    grow(SMALL)
    first = Signal.objects.filter(is_public=True).order_by("pk").first()
    _response, small = measure(client, f"/openbaar/signalen/{first.pk}/")
    grow(LARGE - SMALL)
    _response, large = measure(client, f"/openbaar/signalen/{first.pk}/")
    # the signal with its coalition, organisation, region, ministry and people; its themes; its steps with their
    # ministries and actors
    assert_counts(small, large, 3)


def test_the_tasks_of_officials_and_programme_administrators_in_constant_queries(client, grow):
    from signals.models import Signal

    admin = make_user("programmabeheer", role="programme_admin")

    def escalate_all():
        Signal.objects.filter(status__in=Signal.OPEN).update(
            acknowledge_due="2020-01-06", answer_due="2020-02-06", escalated_at=None
        )
        services.signals_escalate_overdue()

    sizes = {}
    for n in (SMALL, LARGE - SMALL):
        grow(n)
        escalate_all()
        for name, user in (("official", grow.official), ("admin", admin)):
            client.force_login(user)
            response, queries = measure(client, "/mijn-taken/")
            kinds = [task.kind for task in response.context["tasks"] if task.kind.startswith("signal.")]
            sizes.setdefault(name, []).append((queries, len(kinds)))
    (small, small_tasks), (large, large_tasks) = sizes["official"]
    assert large_tasks > small_tasks > 0
    # session, user; groups; memberships; the five funding queries of an official; their signals; unread;
    # the management links (coalitions coordinated, may start one)
    assert_counts(small, large, 13)
    (small, small_tasks), (large, large_tasks) = sizes["admin"]
    assert large_tasks > small_tasks > 0
    # session, user; groups; memberships; the escalated signals; unread; coalitions coordinated, may start one
    assert_counts(small, large, 8)
