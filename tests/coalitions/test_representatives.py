"""Which partners still need a representative: ``reviews.workflow.endorsement_state``, the agenda's
submit panel and the submit guard.

A representative of an organisation is any member whose membership names it;
only a representative can endorse on its behalf. In the coalition fixture all
three members represent the first organisation, so the others have nobody.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coalitions import services
from coalitions.models import CoalitionRole
from reviews import services as review_services
from reviews import workflow
from tests.factories import make_organisation, make_user
from tests.reviews.factories import complete_agenda, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def organisations(coalition):
    return list(coalition.organisations.order_by("region__code"))


def test_it_says_per_organisation_its_endorsement_and_whether_it_is_represented(coalition, alice):
    agenda = complete_agenda(coalition, alice)
    first, second = organisations(coalition)[:2]
    review_services.endorse(actor=alice, agenda_id=agenda.pk, organisation_id=first.pk)
    agenda.refresh_from_db()
    rows = {row.organisation.pk: row for row in workflow.endorsement_state(agenda)}
    assert set(rows) == {o.pk for o in organisations(coalition)}
    assert rows[first.pk].has_representative and rows[first.pk].endorsement.endorsed_by == alice
    assert not rows[second.pk].has_representative and rows[second.pk].endorsement is None


def test_it_reads_the_state_in_two_queries_whatever_the_number_of_organisations(coalition, alice):
    agenda = complete_agenda(coalition, alice)
    counts = []
    for extra in ("GM0344", "GM0363"):  # Utrecht, Amsterdam: more organisations, one of them represented
        organisation = make_organisation(extra)
        services.coalition_add_organisation(coalition=coalition, organisation=organisation, actor=alice)
        services.coalition_set_member(
            coalition=coalition, user=make_user(f"rep-{extra}"), organisation=organisation, role="viewer", actor=alice
        )
        agenda.refresh_from_db()
        agenda.coalition  # noqa: B018 - loaded, as on the agenda page
        with CaptureQueriesContext(connection) as queries:
            rows = workflow.endorsement_state(agenda)
        counts.append(len(queries))
    # the member organisations with whether each is represented; the endorsements of this revision
    assert counts == [2, 2]
    assert len(rows) == len(organisations(coalition))


def test_the_panel_names_who_needs_a_representative_with_a_link_for_the_coordinator(client, coalition, alice, bob):
    agenda = complete_agenda(coalition, alice)
    first, second = organisations(coalition)[:2]
    members = reverse("coalitions:members", args=[coalition.slug])
    client.force_login(alice)
    panel = client.get(reverse("agendas:detail", args=[agenda.pk])).content.decode()
    assert "Nog zonder vertegenwoordiger" in panel and second.name in panel
    assert f'href="{members}?organisation={second.pk}#uitnodigen"' in panel
    assert f"?organisation={first.pk}#" not in panel
    assert "Nog niet ingestemd:" in panel
    # An editor sees who is missing, without the coordinator's link.
    client.force_login(bob)
    panel = client.get(reverse("agendas:detail", args=[agenda.pk])).content.decode()
    assert "Nog zonder vertegenwoordiger" in panel and "Vertegenwoordiger uitnodigen" not in panel


def test_the_submit_guard_names_the_organisations_without_a_representative(coalition, alice, chair):
    make_round(chair)
    agenda = complete_agenda(coalition, alice)
    first, second = organisations(coalition)[:2]
    review_services.endorse(actor=alice, agenda_id=agenda.pk, organisation_id=first.pk)
    with pytest.raises(ValidationError) as error:
        workflow.transition(agenda_id=agenda.pk, action="submit", actor=alice)
    messages = error.value.messages
    assert messages[0].startswith("Nog niet onderschreven")
    (unrepresented,) = [m for m in messages if m.startswith("Nog zonder vertegenwoordiger")]
    assert second.name in unrepresented and first.name not in unrepresented

    # Once everyone has a representative, only the missing endorsements are named.
    for organisation in organisations(coalition)[1:]:
        services.coalition_set_member(
            coalition=coalition,
            user=make_user(f"rep-{organisation.pk}"),
            organisation=organisation,
            role=CoalitionRole.VIEWER,
            actor=alice,
        )
    with pytest.raises(ValidationError) as error:
        workflow.transition(agenda_id=agenda.pk, action="submit", actor=alice)
    assert not [m for m in error.value.messages if m.startswith("Nog zonder vertegenwoordiger")]
