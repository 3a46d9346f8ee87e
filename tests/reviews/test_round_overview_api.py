"""The chair's overview of a round in the API: GET /api/v1/rounds/{id}/overview/.

The same selector as the round page (tests/reviews/test_round_overview.py
checks each order on the page; here the API's parameters, its answer, its
errors and who may ask).
"""

from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from reviews.models import ReviewRound, Submission
from tests.factories import make_user
from tests.helpers import assert_counts
from tests.reviews.factories import make_round
from tests.reviews.overview_factories import SORTS, grow_round, small_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(review_round, coalition, alice, reviewers):
    return small_round(review_round, coalition, alice, reviewers)


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def url_of(review_round) -> str:
    return f"/api/v1/rounds/{review_round.pk}/overview/"


def ids(response) -> list[int]:
    return [row["submission"] for row in response.json()["results"]]


def test_it_answers_the_rows_the_counts_and_the_page(chair, small):
    response = client_for(chair).get(url_of(small.round))
    assert response.status_code == 200
    body = response.json()
    assert ids(response) == small.ids(*SORTS["-total"])
    assert body["counts"] == {"submitted": 1, "in_review": 1, "advised": 1, "returned": 1, "withdrawn": 1}
    assert set(body["counts"]) == set(Submission.Status.values)
    assert (body["count"], body["round_total"], body["ordering"]) == (5, 5, "-total")
    assert (body["page"], body["pages"], body["page_size"], body["next"], body["previous"]) == (1, 1, 60, None, None)
    alfa = next(row for row in body["results"] if row["title"] == "Alfa")
    assert alfa == {
        "submission": small.by_title["Alfa"].pk,
        "agenda": small.by_title["Alfa"].agenda_id,
        "number": 1,
        "title": "Alfa",
        "coalition": "Coalitie Alfa",
        "region": "CR01",
        "region_name": small.regions["CR01"].name,
        "status": "in_review",
        "reviews_in": 1,
        "reviews_expected": 2,
        "declined": 1,
        "weighted_total": "3.50",
        "disagreement": False,
        "evidence_total": "60.0",  # the latest, not the older 90.0
        "unfinished_jobs": [],
        "advice_outcome": None,
        "advice_published": False,
    }
    rows = {row["title"]: row for row in body["results"]}
    assert rows["Bravo"]["unfinished_jobs"] == [{"kind": "evidence", "status": "queued"}]
    assert (rows["Bravo"]["weighted_total"], rows["Bravo"]["disagreement"], rows["Bravo"]["evidence_total"]) == (
        None,
        None,
        None,
    )
    assert (rows["Charlie"]["advice_outcome"], rows["Charlie"]["advice_published"]) == ("conditional", False)
    assert (rows["Delta"]["advice_outcome"], rows["Delta"]["advice_published"]) == ("revise", True)


@pytest.mark.parametrize("ordering", list(SORTS))
def test_it_sorts_each_way(chair, small, ordering):
    response = client_for(chair).get(url_of(small.round), {"ordering": ordering})
    assert response.status_code == 200 and response.json()["ordering"] == ordering
    assert ids(response) == small.ids(*SORTS[ordering])


def test_it_sorts_by_region(chair, small):
    ascending = ids(client_for(chair).get(url_of(small.round), {"ordering": "region"}))
    by_name = sorted(small.by_title.values(), key=lambda s: (s.snapshot["region"]["name"], s.pk))
    assert ascending == [s.pk for s in by_name]
    descending = ids(client_for(chair).get(url_of(small.round), {"ordering": "-region"}))
    by_name_down = sorted(by_name, key=lambda s: s.snapshot["region"]["name"], reverse=True)
    assert descending == [s.pk for s in by_name_down] != ascending


def test_it_filters_by_state_theme_and_region_with_the_counts_of_the_round(chair, small):
    client = client_for(chair)
    url = url_of(small.round)
    assert ids(client.get(url, {"status": "returned"})) == small.ids("Delta")
    assert ids(client.get(url, {"theme": small.themes[0]})) == small.ids("Alfa")
    assert ids(client.get(url, {"theme": small.themes[1]})) == small.ids("Bravo")
    assert ids(client.get(url, {"theme": small.themes[2]})) == []
    response = client.get(url, {"region": "CR01", "ordering": "total"})
    assert ids(response) == small.ids("Delta", "Alfa")
    body = response.json()
    assert (body["count"], body["round_total"], sum(body["counts"].values())) == (2, 5, 5)
    # Empty filters are no filters.
    assert ids(client.get(url, {"status": "", "theme": "", "region": ""})) == small.ids(*SORTS["-total"])


def test_it_pages_60_at_a_time_and_the_links_keep_the_query(chair, review_round, coalition, alice, reviewers):
    made = grow_round(review_round, coalition, alice, reviewers, count=75)
    client = client_for(chair)
    first = client.get(url_of(review_round), {"ordering": "title", "status": "advised"})
    advised = [s.pk for s in made if s.status == "advised"]
    assert ids(first) == advised and first.json()["next"] is None  # fewer than 60
    first = client.get(url_of(review_round), {"ordering": "title"})
    body = first.json()
    assert ids(first) == [s.pk for s in made[:60]]
    assert (body["count"], body["pages"], body["previous"]) == (75, 2, None)
    assert parse_qs(urlparse(body["next"]).query) == {"ordering": ["title"], "page": ["2"]}
    second = client.get(body["next"])
    assert ids(second) == [s.pk for s in made[60:]]
    assert parse_qs(urlparse(second.json()["previous"]).query) == {"ordering": ["title"], "page": ["1"]}
    missing = client.get(url_of(review_round), {"page": 3})
    assert missing.status_code == 404


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"ordering": "votes"}, "ordering"),
        ({"ordering": "total,title"}, "ordering"),
        ({"status": "draft"}, "status"),
        ({"theme": "geluk"}, "theme"),
        ({"region": "CR40"}, "region"),  # a region, but none of the round's
        ({"region": "x" * 21}, "region"),
        ({"page": "0"}, "page"),
        ({"page": "two"}, "page"),
        ({"page": "1.5"}, "page"),
    ],
)
def test_a_bad_parameter_is_a_400_with_its_field_error(chair, small, params, field):
    response = client_for(chair).get(url_of(small.round), params)
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_several_bad_parameters_are_all_named(chair, small):
    response = client_for(chair).get(url_of(small.round), {"ordering": "x", "status": "y", "theme": "z"})
    assert response.status_code == 400 and set(response.json()) == {"ordering", "status", "theme"}


# --- access ------------------------------------------------------------------------------------


def test_only_the_chair_may_ask(small, alice, reviewers, official):
    for someone in (alice, reviewers[0], official, make_user("charlie")):
        response = client_for(someone).get(url_of(small.round))
        assert response.status_code == 403, someone
        assert "results" not in response.json()
    assert client_for().get(url_of(small.round)).status_code in (401, 403)


def test_a_closed_round_is_not_found_for_others_and_an_unknown_round_for_everyone(small, alice, chair):
    ReviewRound.objects.filter(pk=small.round.pk).update(status=ReviewRound.Status.CLOSED)
    assert client_for(alice).get(url_of(small.round)).status_code == 404
    assert client_for(chair).get(url_of(small.round)).status_code == 200
    assert client_for(chair).get("/api/v1/rounds/987654/overview/").status_code == 404


# --- queries -----------------------------------------------------------------------------------

# 1 the round (with its submission count), then per parameter: 2 theme codes (theme given), 3 the
# round's regions (region given); then 4 counts per state and the filtered total, 5 the page's
# submissions, 6 their unfinished jobs, 7 their assignments counted. (Whether the user is a chair
# reads their groups once: force_authenticate hands every request the same user, warmed up.)
API_QUERIES = {"default": 5, "sorted": 5, "filtered": 7}


@pytest.mark.parametrize("case", list(API_QUERIES))
def test_the_overview_costs_the_same_queries_at_5_and_75_submissions(chair, coalition, alice, reviewers, case):
    rounds = {size: make_round(chair, name=f"Ronde van {size}") for size in (5, 75)}
    made = {size: grow_round(rounds[size], coalition, alice, reviewers, count=size) for size in rounds}
    third = made[5][2].snapshot
    params = {
        "default": {},
        "sorted": {"ordering": "-disagreement"},
        "filtered": {"status": "advised", "region": third["region"]["code"], "theme": third["themes"][0]},
    }[case]
    client = client_for(chair)
    queries = {}
    for size, review_round in rounds.items():
        assert client.get(url_of(review_round), params).status_code == 200  # warm-up
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url_of(review_round), params)
        assert response.status_code == 200 and response.json()["results"]
        queries[size] = [query["sql"] for query in captured.captured_queries]
    assert_counts(queries[5], queries[75], API_QUERIES[case])
