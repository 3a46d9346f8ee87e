"""The event log in the Django admin shows a superuser no titles of drafts of coalitions they are not a member of.

A superuser sees every row (who did what, when), but an event's text and data
can name a draft agenda, priority or measure: those are for the coalition's
members only, by the same rule as the notifications
(``activity.selectors.readable_events``).
"""

import pytest

from accounts.models import User
from activity.events import record_event
from activity.models import Event
from tests.agendas.factories import make_agenda, make_measure, make_priority
from tests.factories import PASSWORD, make_coalition
from tests.helpers import verify_with_code

pytestmark = pytest.mark.django_db

EVENTS = "/admin/activity/event/"
SECRETS = ["Geheim concept", "Geheime prioriteit", "Geheime maatregel"]
HIDDEN = "verborgen: over een concept van een coalitie waarvan u geen lid bent"


@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", "root@example.org", PASSWORD, full_name="Root")


@pytest.fixture
def drafts(coalition, alice):
    agenda = make_agenda(coalition, alice, title=SECRETS[0])
    priority = make_priority(agenda, alice, title=SECRETS[1])
    make_measure(agenda, priority, alice, title=SECRETS[2])
    return agenda


def pages(client) -> list[str]:
    """The event list and every event's own page."""
    responses = [client.get(EVENTS)] + [
        client.get(f"{EVENTS}{pk}/change/") for pk in Event.objects.values_list("pk", flat=True)
    ]
    assert all(response.status_code == 200 for response in responses)
    return [response.content.decode() for response in responses]


def test_a_superuser_who_is_not_a_member_sees_the_rows_but_no_draft_titles(client, root, drafts):
    assert Event.objects.filter(verb__startswith="agenda.", coalition_id=drafts.coalition_id).count() >= 3
    verify_with_code(client, root)
    contents = pages(client)
    for content in contents:
        for secret in SECRETS:
            assert secret not in content
    assert HIDDEN in contents[0]
    assert "agenda.priority_created" in contents[0]  # the row itself is there: who did what when


def test_a_superuser_who_is_a_member_sees_their_coalitions_drafts(client, root, drafts):
    own = make_agenda(make_coalition(coordinator=root, slug="twente", region_code="CR15"), root, title="Eigen concept")
    verify_with_code(client, root)
    listing = client.get(EVENTS).content.decode()
    detail = client.get(f"{EVENTS}{Event.objects.get(verb='agenda.created', coalition_id=own.coalition_id).pk}/change/")
    assert "Eigen concept" in detail.content.decode()
    for secret in SECRETS:
        assert secret not in listing


def test_events_that_never_name_a_draft_are_shown(client, root):
    """Events of a family registered as never about drafts, and events of no coalition."""
    public = record_event(actor=root, verb="decision.approved", coalition_id=1, data={"title": "Besluit Twente"})
    other = record_event(actor=root, verb="platform.something", data={"title": "Zonder coalitie"})
    verify_with_code(client, root)
    assert HIDDEN not in client.get(EVENTS).content.decode()
    assert "Besluit Twente" in client.get(f"{EVENTS}{public.pk}/change/").content.decode()
    assert "Zonder coalitie" in client.get(f"{EVENTS}{other.pk}/change/").content.decode()


def test_the_event_log_stays_read_only(client, root, drafts):
    verify_with_code(client, root)
    event = Event.objects.first()
    assert client.get(f"{EVENTS}add/").status_code == 403
    assert client.post(f"{EVENTS}{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Event.objects.filter(pk=event.pk).exists()
