"""The chair's overview of a round on its page (/toetsing/rondes/<pk>/): paged, sorted, filtered, counted.

The data (tests/reviews/overview_factories.py): five submissions whose
figures give each sort another order, and a round grown to 75 for paging and
for the query counts at two sizes.
"""

import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from reviews.models import ReviewRound, Submission
from tests.factories import make_user
from tests.helpers import assert_counts, measure
from tests.reviews.factories import make_round
from tests.reviews.overview_factories import SORTS, grow_round, small_round

pytestmark = pytest.mark.django_db

SUBMISSION_LINK = re.compile(r'href="/toetsing/indieningen/(\d+)/"')


@pytest.fixture
def small(review_round, coalition, alice, reviewers):
    return small_round(review_round, coalition, alice, reviewers)


@pytest.fixture
def chair_client(client, chair):
    client.force_login(chair)
    return client


def url_of(review_round) -> str:
    return reverse("reviews:round", args=[review_round.pk])


def shown(response) -> list[int]:
    """The submissions in the overview's rows, in their order."""
    return [int(pk) for pk in SUBMISSION_LINK.findall(response.content.decode())]


# --- sorting -----------------------------------------------------------------------------------


def test_it_sorts_by_the_reviewers_total_highest_first_by_default(chair_client, small):
    response = chair_client.get(url_of(small.round))
    assert response.status_code == 200
    assert shown(response) == small.ids(*SORTS["-total"])


@pytest.mark.parametrize("ordering", list(SORTS))
def test_it_sorts_each_way_with_rows_lacking_the_figure_last(chair_client, small, ordering):
    response = chair_client.get(url_of(small.round), {"ordering": ordering})
    assert response.status_code == 200
    assert shown(response) == small.ids(*SORTS[ordering])


@pytest.mark.parametrize("descending", [False, True])
def test_it_sorts_by_the_region_s_name(chair_client, small, descending):
    by_region = sorted(small.by_title.values(), key=lambda s: (s.snapshot["region"]["name"], s.pk))
    assert len({s.snapshot["region"]["name"] for s in by_region}) == 3
    if descending:  # ties (the same region) still in the order of submission
        by_region = sorted(by_region, key=lambda s: s.snapshot["region"]["name"], reverse=True)
    response = chair_client.get(url_of(small.round), {"ordering": "-region" if descending else "region"})
    assert shown(response) == [s.pk for s in by_region]


def test_the_column_headers_sort_and_say_how_the_table_is_sorted(chair_client, small):
    content = chair_client.get(url_of(small.round), {"status": "advised"}).content.decode()
    headers = re.findall(r"<th [^>]*scope=\"col\"[^>]*>.*?</th>", content, flags=re.S)
    sorted_by = [h for h in headers if "aria-sort" in h]
    assert len(sorted_by) == 1 and 'aria-sort="descending"' in sorted_by[0] and "Beoordelaars" in sorted_by[0]
    # The sorted column turns round; the others start with their natural direction; filters are kept.
    assert 'href="?ordering=total&amp;status=advised#indieningen"' in sorted_by[0]
    assert 'href="?ordering=title&amp;status=advised#indieningen"' in content
    assert 'href="?ordering=-evidence&amp;status=advised#indieningen"' in content
    content = chair_client.get(url_of(small.round), {"ordering": "title"}).content.decode()
    assert re.search(r'aria-sort="ascending"><a [^>]*href="\?ordering=-title#indieningen"', content)


# --- filters -----------------------------------------------------------------------------------


def test_it_filters_by_state(chair_client, small):
    assert shown(chair_client.get(url_of(small.round), {"status": "advised"})) == small.ids("Charlie")
    assert shown(chair_client.get(url_of(small.round), {"status": "in_review"})) == small.ids("Alfa")


def test_it_filters_by_a_theme_on_the_agenda_or_on_one_of_its_priorities(chair_client, small):
    url = url_of(small.round)
    assert shown(chair_client.get(url, {"theme": small.themes[0]})) == small.ids("Alfa")
    assert shown(chair_client.get(url, {"theme": small.themes[1]})) == small.ids("Bravo")
    nobody = chair_client.get(url, {"theme": small.themes[2]})
    assert nobody.status_code == 200 and shown(nobody) == []
    assert "Geen indieningen die aan het filter voldoen." in nobody.content.decode()


def test_it_filters_by_region_and_offers_only_the_round_s_regions(chair_client, small):
    response = chair_client.get(url_of(small.round), {"region": "CR01"})
    assert shown(response) == small.ids("Alfa", "Delta")
    select = re.search(r'<select name="region".*?</select>', response.content.decode(), flags=re.S).group(0)
    assert re.findall(r'<option value="([^"]*)"', select) == [
        "",
        *sorted(["CR01", "CR02", "CR03"], key=lambda code: small.regions[code].name),
    ]


def test_filters_combine_and_the_sort_applies_within_them(chair_client, small):
    response = chair_client.get(url_of(small.round), {"region": "CR01", "ordering": "total"})
    assert shown(response) == small.ids("Delta", "Alfa")
    response = chair_client.get(url_of(small.round), {"region": "CR01", "status": "submitted"})
    assert response.status_code == 200 and shown(response) == []


def test_the_counts_per_state_are_of_the_whole_round_with_the_filtered_total(chair_client, small):
    content = chair_client.get(url_of(small.round), {"region": "CR02"}).content.decode()
    counts = dict(re.findall(r'#indieningen"[^>]*>([^<]+) <span class="ka-muted">\((\d+)\)</span>', content))
    assert counts == {
        "Alle": "5",
        "Ingediend": "1",
        "In beoordeling": "1",
        "Advies uitgebracht": "1",
        "Terug voor herziening": "1",
        "Ingetrokken": "1",
    }
    assert "2 van 5 indieningen voldoen aan het filter" in content
    # Each count filters by its state, keeping the other filters.
    assert 'href="?status=advised&amp;region=CR02#indieningen"' in content


def test_a_row_shows_the_figures_reviews_jobs_and_advice(chair_client, small):
    content = chair_client.get(url_of(small.round), {"ordering": "title"}).content.decode()
    content = content[content.index('id="overview-caption"') :]
    rows = re.findall(r'<tr class="utrecht-table__row">\s*<th [^>]*scope="row">.*?</tr>', content, flags=re.S)
    alfa, bravo, charlie, delta, _echo = rows
    assert "Coalitie Alfa · indiening 1" in alfa
    assert "1 / 2" in alfa  # one review in, one accepted; the declined one does not count
    assert "3,5" in alfa and "60,0" in alfa and "90,0" not in alfa
    assert "(in de wachtrij)" in bravo
    assert "verschil" in charlie and "Positief onder voorwaarden (concept)" in charlie
    assert "Herzien en opnieuw indienen" in delta and "(concept)" not in delta


# --- paging ------------------------------------------------------------------------------------


def test_it_shows_60_a_page_and_the_page_links_keep_the_sort_and_filters(
    chair_client, review_round, coalition, alice, reviewers
):
    made = grow_round(review_round, coalition, alice, reviewers, count=75)
    url = url_of(review_round)
    first = chair_client.get(url, {"ordering": "title"})
    assert shown(first) == [s.pk for s in made[:60]]
    assert 'href="?ordering=title&amp;page=2"' in first.content.decode()
    second = chair_client.get(url, {"ordering": "title", "page": 2})
    assert shown(second) == [s.pk for s in made[60:]]
    assert 'href="?ordering=title&amp;page=1"' in second.content.decode()
    # Filtered: the links keep the filter too.
    advised = Submission.objects.filter(round=review_round, status="advised").count()
    filtered = chair_client.get(url, {"status": "advised", "ordering": "title"}).content.decode()
    assert f"{advised} van 75 indieningen voldoen aan het filter" in filtered
    assert "page=2" not in filtered and 0 < advised < 60
    # A page that does not exist shows the last; a page that is no number the first.
    assert shown(chair_client.get(url, {"ordering": "title", "page": 99})) == [s.pk for s in made[60:]]
    assert shown(chair_client.get(url, {"ordering": "title", "page": "x"})) == [s.pk for s in made[:60]]


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"ordering": "votes"}, "ordering", "Onbekende sortering: votes."),
        ({"status": "draft"}, "status", "Onbekende status: draft."),
        ({"theme": "geluk"}, "theme", "Onbekend thema: geluk."),
        ({"region": "CR40"}, "region", "Geen regio van deze ronde: CR40."),
    ],
)
def test_a_wrong_value_is_a_400_with_the_error_at_its_field(chair_client, small, params, field, message):
    response = chair_client.get(url_of(small.round), params)
    assert response.status_code == 400
    content = response.content.decode()
    assert f'id="id_{field}-error"' in content and message in content
    # The overview is still there, without the wrong value.
    assert shown(response) == small.ids(*SORTS["-total"])


def test_a_wrong_value_next_to_right_ones_keeps_the_right_ones(chair_client, small):
    response = chair_client.get(url_of(small.round), {"status": "draft", "region": "CR01", "ordering": "total"})
    assert response.status_code == 400
    assert shown(response) == small.ids("Delta", "Alfa")


# --- access ------------------------------------------------------------------------------------


def test_only_the_chair_sees_the_overview(client, small, alice, reviewers, chair):
    url = url_of(small.round)
    titles = [f">{title}</a>" for title in small.by_title]
    client.force_login(chair)
    content = client.get(url).content.decode()
    assert all(title in content for title in titles)
    for someone in (alice, reviewers[0], make_user("charlie")):  # coalition member, reviewer, outsider
        client.force_login(someone)
        response = client.get(url, {"status": "draft"})  # their filters are not even read
        assert response.status_code == 200
        content = response.content.decode()
        assert not any(title in content for title in titles) and 'name="ordering"' not in content


def test_anonymous_visitors_are_sent_to_log_in(client, small):
    response = client.get(url_of(small.round))
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_a_closed_round_is_for_the_chair_only(client, small, alice, chair):
    ReviewRound.objects.filter(pk=small.round.pk).update(status=ReviewRound.Status.CLOSED)
    client.force_login(alice)
    assert client.get(url_of(small.round)).status_code == 404
    client.force_login(chair)
    assert client.get(url_of(small.round)).status_code == 200


def test_a_round_without_submissions_says_so(chair_client, review_round):
    content = chair_client.get(url_of(review_round)).content.decode()
    assert "Nog geen indieningen." in content and 'name="ordering"' not in content


# --- queries -----------------------------------------------------------------------------------

# 1 session, 2 user, 3 the round, 4 is the user a chair (groups), 5 the criteria, 6 themes (form),
# 7 the round's regions (form), 8 counts per state and the filtered total, 9 the page's submissions,
# 10 their unfinished jobs, 11 their assignments counted, 12 the rescore jobs, 13 unread notifications
# (the menu).
PAGE_QUERIES = 13


@pytest.mark.parametrize("case", ["default", "sorted", "filtered"])
def test_the_page_costs_the_same_queries_at_5_and_75_submissions(client, chair, coalition, alice, reviewers, case):
    client.force_login(chair)
    rounds = {size: make_round(chair, name=f"Ronde van {size}") for size in (5, 75)}
    made = {size: grow_round(rounds[size], coalition, alice, reviewers, count=size) for size in rounds}
    # The third submission of both rounds is advised, in the same region, with the same themes.
    third = made[5][2].snapshot
    params = {
        "default": {},
        "sorted": {"ordering": "-evidence"},
        "filtered": {"status": "advised", "region": third["region"]["code"], "theme": third["themes"][0]},
    }[case]
    responses, queries = {}, {}
    for size, review_round in rounds.items():
        responses[size], queries[size] = measure(client, f"{url_of(review_round)}?{urlencode(params)}")
    if case == "filtered":  # rows on both, so both pages load rows, assignments and jobs
        assert made[5][2].pk in shown(responses[5]) and shown(responses[75])
    else:
        assert (len(shown(responses[5])), len(shown(responses[75]))) == (5, 60)
    assert_counts(queries[5], queries[75], PAGE_QUERIES)


def test_unfinished_jobs_of_one_state_are_named_once():
    from reviews.models import ScoringJob
    from reviews.selectors import OverviewRow

    jobs = [ScoringJob(status=ScoringJob.Status.QUEUED), ScoringJob(status=ScoringJob.Status.QUEUED)]
    jobs.append(ScoringJob(status=ScoringJob.Status.FAILED))
    row = OverviewRow(None, 0, 0, 0, 0, None, None, None, None, jobs)
    assert row.job_states == [jobs[0].get_status_display(), jobs[2].get_status_display()]
