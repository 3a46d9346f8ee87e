"""The public pages and API endpoints served per public data version (core.public_cache).

Each change the public may see gives a new version, and the pages show it at once (the tests read the
version on every request: tests/conftest.py); what is not public (a proposal, a draft advice) leaves the
version alone. What a signed-in person sees is never stored and never served to anyone else, and the
public's stored page is never served to a signed-in person. How the cache itself works (what is stored,
304s, compression) is tested with small views in tests/core/test_public_cache.py.
"""

from __future__ import annotations

import gzip

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from coalitions import services as coalition_services
from coalitions.models import CoalitionRole
from funding import services as funding_services
from regions import importers
from regions import services as region_services
from reviews import services as review_services
from reviews import workflow
from tests.agendas.factories import make_agenda
from tests.factories import make_user
from tests.funding.factories import advised_submission, give_mandate, make_programme
from tests.helpers import KWB_SOURCE, changed_kwb, kwb_source
from tests.reviews.factories import complete_agenda, full_scores, make_round, submit

pytestmark = pytest.mark.django_db

REGION = "CR01"  # the coalition's region (tests.factories.make_coalition)
PAGES = [
    "/",
    "/openbaar/",
    "/toetsing/adviezen/",
    f"/regios/{REGION}/",
    "/financiering/landelijk/",
    "/api/v1/decisions/",
    "/api/v1/national/",
    f"/api/v1/regions/{REGION}/profile/",
    "/api/v1/submissions/",
    "/regios/",
    "/gegevens/",
    "/financiering/",
    "/api/v1/regions/?kind=corop",
    f"/api/v1/regions/{REGION}/",
]
# Where an approved decision shows with its reference.
SHOWS_DECISIONS = ["/openbaar/", f"/regios/{REGION}/", "/api/v1/decisions/", "/financiering/"]
DRAFT_TITLE = "Conceptagenda Zilvermeeuw"


@pytest.fixture
def officials(db):
    proposer = make_user("proposer", role="rijk_official")
    approver = make_user("approver", role="rijk_official")
    give_mandate(approver)
    return proposer, approver


@pytest.fixture
def programme(officials):
    return make_programme(officials[0])


def propose(coalition, alice, chair, officials, programme, submission=None):
    submission = submission or advised_submission(coalition, alice, chair)
    return funding_services.decision_propose(
        actor=officials[0],
        submission_id=submission.pk,
        programme_id=programme.pk,
        amount_awarded=100_000,
        tranches={2026: 60_000, 2027: 40_000},
    )


def approve(decision, officials):
    return funding_services.decision_approve(actor=officials[1], decision_id=decision.pk, verified=True)


def etags(client, urls) -> dict[str, str]:
    found = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        found[url] = response["ETag"]
    return found


def detail_urls(decision) -> list[str]:
    return [
        f"/financiering/beschikkingen/{decision.pk}/",
        f"/api/v1/decisions/{decision.pk}/",
        f"/api/v1/submissions/{decision.submission_id}/",
        f"/api/v1/submissions/{decision.submission_id}/advice/",
    ]


# --- a hit -------------------------------------------------------------------------------------


def test_every_public_page_is_served_from_the_cache_for_the_version_alone(
    client, coalition, alice, chair, officials, programme
):
    """At two data sizes, a stored page costs one query: the public data version."""

    def hits(urls) -> dict[str, int]:
        counts = {}
        for url in urls:
            first = client.get(url)
            with CaptureQueriesContext(connection) as queries:
                second = client.get(url)
            assert second.status_code == 200, url
            assert second.content == first.content, url
            assert second["ETag"] == first["ETag"], url
            counts[url] = len(queries)
        return counts

    decision = approve(propose(coalition, alice, chair, officials, programme), officials)
    small = hits(PAGES + detail_urls(decision))
    for _ in range(3):
        approve(propose(coalition, alice, chair, officials, programme), officials)
    large = hits(PAGES + detail_urls(decision))
    assert small == large == dict.fromkeys(PAGES + detail_urls(decision), 1)


# --- changes the public sees -------------------------------------------------------------------


def test_an_approval_shows_at_once_and_a_proposal_changes_nothing(
    client, coalition, alice, chair, officials, programme
):
    submission = advised_submission(coalition, alice, chair)
    before = etags(client, PAGES)
    decision = propose(coalition, alice, chair, officials, programme, submission)
    after_proposal = etags(client, PAGES)
    assert after_proposal == before  # a proposal is not public
    assert decision.reference not in client.get("/openbaar/").content.decode()

    approve(decision, officials)
    for url in PAGES:
        response = client.get(url, HTTP_IF_NONE_MATCH=after_proposal[url])
        assert response.status_code == 200, url  # not 304: the version changed
        assert response["ETag"] != after_proposal[url], url
    for url in SHOWS_DECISIONS:
        assert decision.reference in client.get(url).content.decode(), url
    assert client.get("/api/v1/national/").json()["total"] == 100_000


def test_a_matching_etag_gets_304_until_the_data_changes(client, coalition, alice, chair, officials, programme):
    etag = client.get("/openbaar/")["ETag"]
    assert client.get("/openbaar/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    approve(propose(coalition, alice, chair, officials, programme), officials)
    changed = client.get("/openbaar/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert client.get("/openbaar/", HTTP_IF_NONE_MATCH=changed["ETag"]).status_code == 304


def test_a_published_advice_shows_at_once_and_a_draft_changes_nothing(client, coalition, alice, chair):
    reviewer = make_user("reviewer1", role="reviewer")
    agenda = complete_agenda(coalition, alice)
    submission = submit(agenda, alice, make_round(chair))
    assignment = review_services.assignment_create(actor=chair, submission_id=submission.pk, reviewer_id=reviewer.pk)
    workflow.transition(agenda_id=agenda.pk, action="start_review", actor=chair)
    review_services.assignment_respond(actor=reviewer, assignment_id=assignment.pk, accept=True, no_conflict=True)
    review_services.review_save(
        actor=reviewer, assignment_id=assignment.pk, scores=full_scores(submission), submit=True
    )
    urls = ["/toetsing/adviezen/", "/api/v1/submissions/", "/openbaar/", f"/regios/{REGION}/"]
    before = etags(client, urls)
    review_services.advice_save(actor=chair, submission_id=submission.pk, outcome="positive", rationale="Sterk.")
    assert etags(client, urls) == before  # a draft advice is not public
    assert agenda.title not in client.get("/toetsing/adviezen/").content.decode()

    review_services.advice_publish(actor=chair, submission_id=submission.pk)
    after = etags(client, urls)
    assert all(after[url] != before[url] for url in urls)
    assert agenda.title in client.get("/toetsing/adviezen/").content.decode()
    assert [s["id"] for s in client.get("/api/v1/submissions/").json()["results"]] == [submission.pk]


def test_an_import_shows_at_once_on_the_region_page_and_its_profile(client):
    urls = ["/regios/GM0114/", "/api/v1/regions/GM0114/profile/"]
    before = etags(client, urls)
    assert client.get(urls[1]).json()["dataset_versions"][KWB_SOURCE] == 1
    result = importers.import_source(kwb_source(), changed_kwb(), filename="kwb.csv")
    assert result.version == 2
    after = etags(client, urls)
    assert all(after[url] != before[url] for url in urls)
    assert client.get(urls[1]).json()["dataset_versions"][KWB_SOURCE] == 2


def test_a_changed_region_membership_shows_at_once(client):
    def members(url) -> set[str]:
        page = client.get(url).content.decode()
        return {code for code in ("GM0014", "GM0034", "GM0037") if f'href="/regios/{code}/">' in page}

    region = region_services.custom_region_save(
        code="RG-TEST", name="Testregio", municipality_codes=["GM0014", "GM0034"]
    )
    url = f"/regios/{region.code}/"
    assert members(url) == {"GM0014", "GM0034"}
    region_services.custom_region_save(code="RG-TEST", name="Testregio", municipality_codes=["GM0014", "GM0037"])
    assert members(url) == {"GM0014", "GM0037"}


def test_a_coalition_membership_change_gives_a_new_version_and_the_public_never_sees_the_coalition(
    client, coalition, alice, charlie
):
    url = f"/regios/{REGION}/"
    before = client.get(url)
    assert coalition.name not in before.content.decode()  # coalitions are for their members only
    coalition_services.coalition_set_member(
        coalition=coalition,
        user=charlie,
        organisation=coalition.member_organisations.first().organisation,
        role=CoalitionRole.VIEWER,
        actor=alice,
    )
    after = client.get(url)
    assert after["ETag"] != before["ETag"]
    assert coalition.name not in after.content.decode()
    member = make_client_for(charlie)
    assert coalition.name in member.get(url).content.decode()
    assert coalition.name not in client.get(url).content.decode()


# --- never shared --------------------------------------------------------------------------------


def make_client_for(user):
    member = Client()
    member.force_login(user)
    return member


def test_a_members_draft_never_reaches_the_public_and_the_public_page_never_a_member(client, coalition, alice):
    make_agenda(coalition, alice, title=DRAFT_TITLE)
    url = f"/regios/{REGION}/"
    member = make_client_for(alice)

    own = member.get(url)
    assert DRAFT_TITLE in own.content.decode()
    assert "ETag" not in own
    assert own["Cache-Control"] == "no-store, private"
    for _ in range(2):
        public = client.get(url)
        assert DRAFT_TITLE not in public.content.decode()
        assert "Ingelogd als" not in public.content.decode()
    # After the public page was stored, the member still gets their own page, not the stored one.
    again = member.get(url, HTTP_IF_NONE_MATCH=public["ETag"])
    assert again.status_code == 200
    assert DRAFT_TITLE in again.content.decode()
    assert "Ingelogd als" in again.content.decode()


def test_an_official_never_gets_the_public_response_nor_gives_theirs(
    client, coalition, alice, chair, officials, programme
):
    decision = propose(coalition, alice, chair, officials, programme)
    public = client.get("/api/v1/decisions/")
    assert public.json()["count"] == 0
    official = make_client_for(officials[0])
    assert official.get("/api/v1/decisions/", HTTP_IF_NONE_MATCH=public["ETag"]).json()["count"] == 1
    assert client.get("/api/v1/decisions/").json()["count"] == 0  # the proposal was never stored for the public
    assert decision.status == "proposed"
    page = f"/financiering/beschikkingen/{decision.pk}/"
    assert client.get(page).status_code == 404
    assert official.get(page).status_code == 200
    assert client.get(page).status_code == 404
    assert decision.reference in official.get("/financiering/").content.decode()
    assert decision.reference not in client.get("/financiering/").content.decode()


# --- compression ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/openbaar/", "/api/v1/national/", f"/regios/{REGION}/"])
def test_a_large_public_page_is_compressed_for_the_public_only(client, alice, url):
    plain = client.get(url)
    squeezed = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert squeezed["Content-Encoding"] == "gzip"
    assert gzip.decompress(squeezed.content) == plain.content
    member = make_client_for(alice)
    assert "Content-Encoding" not in member.get(url, HTTP_ACCEPT_ENCODING="gzip")


def test_pages_with_a_form_that_posts_are_not_compressed(client):
    response = client.get("/account/login/", HTTP_ACCEPT_ENCODING="gzip")
    assert "csrftoken" in response.cookies
    assert "Content-Encoding" not in response
    assert "ETag" not in response


def test_the_language_switch_works_without_a_csrf_token():
    # It is on every page; a token there would keep every page out of the cache.
    visitor = Client(enforce_csrf_checks=True)
    dutch = visitor.get("/openbaar/")
    assert "csrfmiddlewaretoken" not in dutch.content.decode()
    assert "csrftoken" not in dutch.cookies
    switched = visitor.post("/i18n/setlang/", {"language": "en", "next": "/openbaar/"})
    assert switched.status_code == 302
    assert switched.cookies["django_language"].value == "en"
    english = visitor.get("/openbaar/")
    assert english["Content-Language"] == "en"
    assert english["ETag"] != dutch["ETag"]
