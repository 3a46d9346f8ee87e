"""The public portal (/openbaar/): key figures, latest public advice, approved decisions with tranches, links.

Who may read what across all public pages is swept in tests/test_public_portal.py;
here: what the page shows, its links, and that its queries do not grow with the data.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import public_cache
from funding import services
from tests.factories import make_user
from tests.funding.factories import advised_submission, give_mandate, make_programme

pytestmark = pytest.mark.django_db

URL = "/openbaar/"


@pytest.fixture
def officials(db):
    proposer = make_user("proposer", role="rijk_official")
    approver = make_user("approver", role="rijk_official")
    give_mandate(approver)
    return proposer, approver


def fund(coalition, alice, chair, officials, programme, *, approve=True):
    """An advised submission (public round) with a decision of 100.000: 60.000 in 2026, 40.000 in 2027."""
    proposer, approver = officials
    submission = advised_submission(coalition, alice, chair)
    decision = services.decision_propose(
        actor=proposer,
        submission_id=submission.pk,
        programme_id=programme.pk,
        amount_awarded=100_000,
        tranches={2026: 60_000, 2027: 40_000},
    )
    if approve:
        decision = services.decision_approve(actor=approver, decision_id=decision.pk, verified=True)
    return submission, decision


def test_it_answers_everyone_without_data(client, charlie):
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Er zijn nog geen gepubliceerde adviezen." in page
    assert "Er zijn nog geen vastgestelde beschikkingen." in page
    assert "€\xa00" in page
    client.force_login(charlie)
    assert client.get(URL).status_code == 200


def test_it_shows_the_figures_the_latest_advice_and_the_decisions_with_their_tranches(
    client, coalition, alice, chair, officials
):
    programme = make_programme(officials[0])
    first, approved = fund(coalition, alice, chair, officials, programme)
    second, proposed = fund(coalition, alice, chair, officials, programme, approve=False)

    page = client.get(URL).content.decode()
    # Two published advices in public rounds, one approved decision of 100.000.
    assert '<strong class="ka-big-number">2</strong>' in page
    assert "gepubliceerde adviezen in openbare rondes" in page
    assert '<strong class="ka-big-number">1</strong>' in page and "vastgestelde beschikking" in page
    assert '<strong class="ka-big-number">€\xa0100.000</strong>' in page
    # Committed per payment year, and per decision its tranches.
    assert "<li>2026: €\xa060.000</li><li>2027: €\xa040.000</li>" in page
    assert reverse("funding:decision", args=[approved.pk]) in page
    assert approved.reference in page
    assert proposed.reference not in page
    assert reverse("funding:decision", args=[proposed.pk]) not in page
    for submission in (first, second):
        assert reverse("reviews:submission", args=[submission.pk]) + "#advies" in page
    assert first.snapshot["title"] in page and "Oost-Groningen" in page
    for name in (
        "funding:national",
        "funding:export-csv",
        "funding:export-xlsx",
        "funding:decisions",
        "reviews:public-advice",
        "api-docs",
    ):
        assert f'href="{reverse(name)}"' in page, name
    for endpoint in ("/api/v1/submissions/", "/api/v1/decisions/", "/api/v1/national/"):
        assert f"<code>{endpoint}</code>" in page


def test_it_is_in_the_main_menu_and_linked_from_home(client):
    page = client.get(URL).content.decode()
    assert f'href="{URL}" aria-current="page">Openbaar</a>' in page
    home = client.get("/").content.decode()
    assert f'href="{URL}">Openbaar</a>' in home  # the menu, not current there
    assert "Openbaar, zonder inloggen" in home


@pytest.mark.parametrize("logged_in", [False, True])
def test_its_queries_do_not_grow_with_the_data(
    client, coalition, alice, chair, officials, charlie, logged_in, monkeypatch
):
    # The public cache (core.public_cache) answers an anonymous repeat in one query: count the view's own work.
    monkeypatch.setattr(public_cache, "enabled", lambda: False)
    if logged_in:
        client.force_login(charlie)
    programme = make_programme(officials[0])

    def queries() -> list[str]:
        client.get(URL)  # warm the process-wide caches (content types)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return [q["sql"] for q in captured.captured_queries]

    fund(coalition, alice, chair, officials, programme)
    small = queries()
    for _ in range(3):
        fund(coalition, alice, chair, officials, programme)
    fund(coalition, alice, chair, officials, programme, approve=False)
    large = queries()
    # Seven for the page: the advice count, ids and rows, the decisions' count and total, the decisions,
    # their tranches, the amounts per year. Logged in, add the session, the user, the user's groups
    # (data-steward link) and the unread notifications (menu).
    expected = 11 if logged_in else 7
    assert len(small) == len(large) == expected, "\n".join(["SMALL", *small, "LARGE", *large])
    # Only what the page shows: no snapshot (title and region are extracted in the database, for the shown
    # rows only), no advice texts or frozen figures, no region boundaries or long decision texts.
    sql = "\n".join(large)
    assert not re.search(r'"reviews_submission"\."snapshot"(?!\s*(->>|#>>))', sql)
    for column in ("rationale", "evidence", "aggregate", "boundary", "difference_explanation", "dataset_versions"):
        assert f'."{column}"' not in sql, column
