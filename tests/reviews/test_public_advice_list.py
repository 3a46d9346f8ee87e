"""The lists of published advice load only what they show: the page /toetsing/adviezen/ and the API's
submissions list (GET /api/v1/submissions/, which for the public is the list of published advice).

Same queries at two sizes; no snapshot, advice text or frozen figures read (the title and region come from
the snapshot inside the database, for the shown rows only); never a submission whose advice is not
published or whose round is not public.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from core import public_cache
from reviews import views
from reviews.models import Advice, Submission
from tests.factories import make_user
from tests.helpers import assert_counts, measure
from tests.reviews.factories import complete_agenda, freeze, make_round

pytestmark = pytest.mark.django_db

PAGE = "/toetsing/adviezen/"
API = "/api/v1/submissions/"
HIDDEN = "Verborgen agenda"
# A whole snapshot or advice text in a SELECT list (the title and region are extracted with ->> and #>>).
LARGE_COLUMN = re.compile(
    r'"reviews_submission"\."snapshot"(?!\s*(->>|#>>))|"reviews_advice"\."(rationale|evidence|aggregate|conditions)"'
)


@pytest.fixture(autouse=True)
def _count_the_view(monkeypatch):
    # The public cache (core.public_cache) answers an anonymous repeat in one query: count the views' own work.
    monkeypatch.setattr(public_cache, "enabled", lambda: False)


@pytest.fixture
def world(coalition, alice, chair):
    """One frozen agenda, copied into as many submissions as a test asks for (only their advice differs)."""
    public_round = make_round(chair, name="Openbare ronde")
    closed_round = make_round(chair, name="Besloten ronde", is_public=False)
    first = freeze(complete_agenda(coalition, alice), public_round, alice)
    made = [first]

    def add(n: int, *, review_round=None, published=True, title=None) -> list[Submission]:
        added = []
        for _ in range(n):
            snapshot = {**first.snapshot, "title": title or f"Agenda {len(made)}"}
            submission = Submission.objects.create(
                agenda=first.agenda,
                round=review_round or public_round,
                number=len(made) + 1,
                revision_number=first.revision_number,
                snapshot=snapshot,
                content_hash=first.content_hash,
                status=Submission.Status.ADVISED,
            )
            Advice.objects.create(
                submission=submission,
                outcome="positive",
                rationale="Geheime onderbouwing" if not published else "Goed plan.",
                evidence={"large": "x" * 1000},
                published_at=timezone.now() + datetime.timedelta(seconds=len(made)) if published else None,
            )
            made.append(submission)
            added.append(submission)
        return added

    add(1, review_round=closed_round, title=HIDDEN)
    add(1, published=False, title=HIDDEN)
    return add


def titles(page: str) -> list[str]:
    return re.findall(r'#advies">([^<]+)</a></th>', page)


def test_the_page_lists_published_advice_in_public_rounds_in_constant_queries(client, world):
    world(2)
    small_response, small = measure(client, PAGE)
    world(5)
    large_response, large = measure(client, PAGE)
    assert (len(titles(small_response.content.decode())), len(titles(large_response.content.decode()))) == (2, 7)
    # The count; the page's ids (submission, advice and round rows); those rows with round and advice.
    assert_counts(small, large, 3)
    assert [sql for sql in large if LARGE_COLUMN.search(sql)] == []
    body = large_response.content.decode()
    assert HIDDEN not in body and "Geheime onderbouwing" not in body
    # Newest advice first.
    assert titles(body) == [f"Agenda {n}" for n in range(9, 2, -1)]


def test_the_page_comes_a_page_at_a_time(client, world, monkeypatch):
    monkeypatch.setattr(views, "PUBLIC_ADVICE_PER_PAGE", 3)
    world(7)
    assert titles(client.get(PAGE).content.decode()) == ["Agenda 9", "Agenda 8", "Agenda 7"]
    assert titles(client.get(PAGE, {"page": 3}).content.decode()) == ["Agenda 3"]
    assert titles(client.get(PAGE, {"page": 99}).content.decode()) == ["Agenda 3"]  # past the end: the last page


def test_an_empty_list_takes_one_query(client, world):
    response, queries = measure(client, PAGE)
    assert "Er zijn nog geen gepubliceerde adviezen." in response.content.decode()
    assert len(queries) == 1, queries  # the count (an empty page has no ids to read)


def test_the_api_lists_published_advice_in_constant_queries(client, world):
    world(2)
    small_response, small = measure(client, API)
    world(5)
    large_response, large = measure(client, API)
    assert (small_response.json()["count"], large_response.json()["count"]) == (2, 7)
    # The count; the page with its round joined, the title in a subquery.
    assert_counts(small, large, 2)
    assert [sql for sql in large if LARGE_COLUMN.search(sql) or '"agendas_agenda"."' in sql.split("FROM")[0]] == []
    assert HIDDEN not in large_response.content.decode()
    assert [row["title"] for row in large_response.json()["results"]][:2] == ["Agenda 9", "Agenda 8"]


def test_the_chair_lists_every_submission_with_its_title(client, world, chair):
    world(2)
    client.force_login(chair)
    rows = client.get(API).json()["results"]
    assert sorted(row["title"] for row in rows).count(HIDDEN) == 2 and len(rows) == 5
    client.force_login(make_user("buitenstaander"))
    assert HIDDEN not in client.get(API).content.decode()
