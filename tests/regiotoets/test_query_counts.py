"""The register's pages, export and API take the same number of queries with one entry and with many.

SMALL: one entry for Oost-Groningen (CR01) with one effect. LARGE: eight more, each for several regions of every
kind that overlap CR01 (so all of them are on its page), with four effects each, two responses (one not public)
and a second ministry. Every count is measured after one unmeasured request (``tests.helpers.measure``), with
the public cache off; the comment above each count names the queries.
"""

from __future__ import annotations

import pytest

from regiotoets import services
from tests.helpers import assert_counts, measure
from tests.regiotoets.factories import effect, record
from tests.signals.factories import make_ministry, make_official, signal_agenda

pytestmark = pytest.mark.django_db

EFFECTS = [effect("gezondheid"), effect("wonen", "positive"), effect("milieu", "unknown"), effect("veiligheid")]
REGIONS = ["CR01", "GM0037", "PV20", "GM0014", "CR17"]

# session, user        the session row and the logged-in user
# groups               the user's global roles (accounts.permissions.has_global_role, once per request)
# ministries           the official's ministries (signals.permissions.ministries_of, once per request)
# unread               the unread notifications in the menu


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(coalition, alice):
    ministry = make_ministry("vws")
    official = make_official("ambtenaar", ministry)
    first = record(official, ministry, title="Eerste besluit")
    return {"ministry": ministry, "official": official, "first": first, "agenda": signal_agenda(coalition, alice)}


def grow(world, alice) -> None:
    other = make_ministry("ienw")
    admin = make_official("tweede", other)
    for i in range(8):
        record(admin, other, title=f"Besluit {i}", region_codes=REGIONS[: 2 + i % 4], effects=EFFECTS)
    agenda = world["agenda"]
    for public in (True, False):
        services.entry_respond(
            actor=alice,
            entry_id=world["first"].pk,
            agenda_id=agenda.pk,
            title=f"Reactie {public}",
            body="Tekst.",
            priority_id=agenda.priorities.get().pk,
            is_public=public,
            not_public_reason="" if public else "Gevoelig",
        )


def counted(client, world, alice, url: str, *, login=None):
    if login is not None:
        client.force_login(login)
    small_response, small = measure(client, url)
    grow(world, alice)
    large_response, large = measure(client, url)
    return small_response, small, large_response, large


def test_the_register(client, world, alice):
    small_response, small, large_response, large = counted(client, world, alice, "/regiotoets/")
    assert (small_response.context["page"].paginator.count, large_response.context["page"].paginator.count) == (1, 9)
    # the filter's ministries, themes and regions; the count and the page's ids; the rows with their ministry;
    # their effects (with themes); their regions; the map's negative effects per municipality and theme (the
    # municipalities' lagging themes are cached)
    assert_counts(small, large, 9)


def test_the_register_filtered_by_region(client, world, alice):
    _s, small, _l, large = counted(client, world, alice, "/regiotoets/?region=GM0037&effect=negative&theme=gezondheid")
    # the same nine: the region's filter is a subquery of the count and the ids
    assert_counts(small, large, 9)


def test_the_register_for_an_official(client, world, alice):
    _s, small, _l, large = counted(client, world, alice, "/regiotoets/", login=world["official"])
    # the nine, plus session, user, groups, ministries (the link to record), unread
    assert_counts(small, large, 14)


def test_an_entry(client, world, alice):
    url = f"/regiotoets/{world['first'].pk}/"
    _s, small, large_response, large = counted(client, world, alice, url)
    assert len(large_response.context["responses"]) == 1  # the public one
    # the entry with its ministry; its effects; its regions; their municipalities (for their cached profiles);
    # the responses the visitor may read
    assert_counts(small, large, 5)


def test_an_entry_for_a_coordinator(client, world, alice):
    url = f"/regiotoets/{world['first'].pk}/"
    _s, small, large_response, large = counted(client, world, alice, url, login=alice)
    assert len(large_response.context["responses"]) == 2 and large_response.context["respond_as"]
    # the five, plus session, user, groups (may edit: not an administrator), the coalitions affected that
    # the coordinator may respond for, unread
    assert_counts(small, large, 10)


def test_the_region_page_panel(client, world, alice):
    _s, small, large_response, large = counted(client, world, alice, "/regios/CR01/")
    (panel,) = [p for p in large_response.context["panels"] if p.template == "regiotoets/includes/region_panel.html"]
    assert panel.context["total"] == 9
    # the region page's own six (tests/regions/test_query_counts.py), then the panel: the ids of the entries that
    # affect the region; its municipalities (profile); which are flagged; the rows; their effects
    assert_counts(small, large, 11)


def test_the_region_page_panel_for_a_coordinator(client, world, alice):
    _s, small, large_response, large = counted(client, world, alice, "/regios/CR01/", login=alice)
    (panel,) = [p for p in large_response.context["panels"] if p.template == "regiotoets/includes/region_panel.html"]
    assert [c.slug for c in panel.context["coalitions"]] == ["oost-groningen"]
    # the eleven; session, user, groups, unread, the coalitions panel's coalitions and agendas
    # (tests/coalitions/test_query_counts.py); the panel's coalitions to respond for, their own responses
    assert_counts(small, large, 19)


def test_the_api_list(client, world, alice):
    small_response, small, large_response, large = counted(client, world, alice, "/api/v1/regiotoets/")
    assert (small_response.json()["count"], large_response.json()["count"]) == (1, 9)
    # the count and the page's ids; the rows with their ministry; their effects; their regions
    assert_counts(small, large, 5)


def test_the_api_detail(client, world, alice):
    _s, small, _l, large = counted(client, world, alice, f"/api/v1/regiotoets/{world['first'].pk}/")
    # the entry with its ministry; its effects; its regions; the responses the caller may read
    assert_counts(small, large, 4)


def test_the_csv(client, world, alice):
    _s, small, large_response, large = counted(client, world, alice, "/regiotoets/export.csv")
    assert large_response.content.decode("utf-8-sig").count("\r\n") == 1 + 1 + 8 * 4
    # the filter's ministries, themes and regions; the entries with their ministry; their effects; their regions
    assert_counts(small, large, 6)


def test_the_map(client, world, alice):
    _s, small, _l, large = counted(client, world, alice, "/regiotoets/kaart.svg")
    # the negative effects per municipality and theme (the map and the lagging themes are cached)
    assert_counts(small, large, 1)
