"""A commented tour of how tests are written here: copy the kind you need.

Five kinds, one example each, all about one small subject (a coalition's
members) so the differences stand out:

1. a service test        - the rule itself, without HTTP;
2. an API test           - the JSON contract, with the outsider case;
3. a page test           - what a person sees, in Dutch, and who gets a 404;
4. a query-count test    - the count does not grow with the data;
5. a browser test        - in ``tests/browser/test_example.py`` (Chromium).

Shared pieces: the people fixtures of ``tests/conftest.py`` (alice the
coordinator, bob the editor, victor the viewer of ``coalition``, and charlie
the outsider: every access test has charlie's case), the builders in
``tests/factories.py`` (they go through the services, never ``objects.create``
on a model with rules), and ``tests/helpers.py`` for counting queries.

Markers say what a test needs (``postgres``, ``redis``, ``browser``); the
database is there with ``@pytest.mark.django_db`` or a ``db`` fixture, and
starts with the real CBS regions and indicator data (``tests/conftest.py``).
"""

import pytest
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from coalitions import services
from coalitions.models import CoalitionMembership, CoalitionRole
from tests.factories import PASSWORD, make_coalition, make_user
from tests.helpers import listing, measure

pytestmark = pytest.mark.django_db


# 1. A service test: call the service as the views do (keyword arguments, an
#    actor) and assert on what it changed and what it refused. A refusal is a
#    ValidationError keyed by field, and changes nothing.
def test_service_the_last_coordinator_cannot_step_down(coalition, alice):
    membership = CoalitionMembership.objects.get(coalition=coalition, user=alice)
    with pytest.raises(ValidationError):
        services.coalition_set_member(
            coalition=coalition,
            user=alice,
            organisation=membership.organisation,
            role=CoalitionRole.VIEWER,
            actor=alice,
        )
    membership.refresh_from_db()
    assert membership.role == CoalitionRole.COORDINATOR  # nothing changed


# 2. An API test: log in as the person (force_login is fine for the API's
#    session auth), assert the status and the exact shape that clients rely on,
#    and always the outsider: a coalition someone may not see is a 404, so
#    outsiders do not even learn that it exists.
def test_api_members_see_the_coalition_outsiders_get_404(client, coalition, bob, charlie):
    client.force_login(bob)
    response = client.get(f"/api/v1/coalitions/{coalition.slug}/")
    assert response.status_code == 200
    assert response.json()["name"] == coalition.name

    client.force_login(charlie)
    assert client.get(f"/api/v1/coalitions/{coalition.slug}/").status_code == 404


# 3. A page test: log in with the password (as a person would), read the page
#    as text in Dutch (the default language), and check the outsider again.
#    The login guard (django-axes, accounts/throttling.py) counts per request:
#    the test client's login() must pass one.
def test_page_the_coalition_page_lists_its_agendas_for_members(client, coalition, alice, charlie):
    assert client.login(request=HttpRequest(), username=alice.username, password=PASSWORD)
    content = client.get(f"/coalities/{coalition.slug}/").content.decode()
    assert "Kansenagenda's" in content
    assert "Nieuwe kansenagenda" in content  # the coordinator may start one

    client.force_login(charlie)
    assert client.get(f"/coalities/{coalition.slug}/").status_code == 404


# 4. A query-count test: measure the same URL at two data sizes, assert the
#    same exact count for both, and print every SQL statement when it fails.
#    ``measure`` makes one unmeasured request first, so process-wide caches are warm.
def test_query_count_the_coalition_list_does_not_grow_with_coalitions(client, alice):
    def coalitions(n: int) -> list[str]:
        for i in range(n):
            make_coalition(coordinator=alice, slug=f"coalitie-{n}-{i}")
        client.force_login(alice)
        return measure(client, "/coalities/")[1]

    small, large = coalitions(1), coalitions(4)
    assert len(small) == len(large), listing("SMALL", small) + listing("LARGE", large)


def test_example_people_have_the_roles_the_fixtures_promise(coalition, alice, bob, victor):
    # The fixtures themselves can fail: each person has the role the docstrings name.
    roles = dict(CoalitionMembership.objects.filter(coalition=coalition).values_list("user__username", "role"))
    assert roles == {alice.username: "coordinator", bob.username: "editor", victor.username: "viewer"}
    assert make_user("dora").coalition_memberships.count() == 0
