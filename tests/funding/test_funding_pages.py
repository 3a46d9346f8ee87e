"""Funding pages: proposing on a submission, deciding with four eyes and a second factor, public decisions."""

import pytest
from django.urls import reverse

from funding import letters
from funding.models import Decision, Envelope, Programme
from tests.factories import make_user
from tests.funding.factories import advised_submission, make_programme, propose, verify_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def submission(coalition, alice, chair):
    return advised_submission(coalition, alice, chair)


def test_an_official_proposes_from_the_submission_page_with_inline_errors(client, submission, proposer):
    programme = make_programme(proposer)
    client.force_login(proposer)
    page = client.get(reverse("reviews:submission", args=[submission.pk])).content.decode()
    url = reverse("funding:propose", args=[submission.pk])
    assert url in page
    form = client.get(url)
    assert form.context["form"]["tranche_2026"].value() == 100_000

    data = {"programme": programme.pk, "amount_awarded": "100.000", "tranche_2026": "60.000", "tranche_2027": "abc"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Vul een heel bedrag in euro" in response.content.decode()
    data["tranche_2027"] = "30.000"
    response = client.post(url, data)
    assert response.status_code == 400
    assert "De tranches tellen op tot €\xa090.000" in response.content.decode()
    assert not Decision.objects.exists()

    data["tranche_2027"] = "40.000"
    response = client.post(url, data)
    decision = Decision.objects.get()
    assert response.url == reverse("funding:decision", args=[decision.pk])
    assert dict(decision.tranches.values_list("year", "amount")) == {2026: 60_000, 2027: 40_000}


def test_approving_asks_for_the_one_time_code_first(client, submission, proposer, approver):
    decision = propose(submission, make_programme(proposer), proposer)
    client.force_login(approver)
    response = client.post(reverse("funding:approve", args=[decision.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor:verify"))
    decision.refresh_from_db()
    assert decision.status == Decision.Status.PROPOSED

    verify_session(client, approver)
    client.post(reverse("funding:approve", args=[decision.pk]), {"confirmed": "1"})
    decision.refresh_from_db()
    assert decision.status == Decision.Status.APPROVED
    assert Envelope.objects.get(programme=decision.programme, year=2026).committed_open == 60_000


def test_the_proposer_gets_no_decide_buttons_and_cannot_approve(client, submission, proposer):
    decision = propose(submission, make_programme(proposer), proposer)
    verify_session(client, proposer)
    page = client.get(reverse("funding:decision", args=[decision.pk])).content.decode()
    assert "een andere ambtenaar beslist erover" in page
    response = client.post(reverse("funding:approve", args=[decision.pk]), follow=True)
    assert "Vier ogen" in response.content.decode()
    decision.refresh_from_db()
    assert decision.status == Decision.Status.PROPOSED


def test_approved_decisions_are_public_proposals_are_not(client, submission, proposer, approver, alice):
    decision = propose(submission, make_programme(proposer), proposer)
    url = reverse("funding:decision", args=[decision.pk])
    for user in (None, alice):
        client.logout()
        if user:
            client.force_login(user)
        assert client.get(url).status_code == 404
        assert decision.reference not in client.get(reverse("funding:decisions")).content.decode()

    from funding import services

    services.decision_approve(actor=approver, decision_id=decision.pk, verified=True)
    client.logout()
    page = client.get(url).content.decode()
    assert decision.reference in page and "100.000" in page
    # Officials' names are for officials.
    assert approver.display_name not in page and proposer.display_name not in page
    assert decision.reference in client.get(reverse("funding:decisions")).content.decode()
    assert client.get(reverse("funding:letter", args=[decision.pk])).status_code == 404
    letters.make_letter(decision.pk)
    response = client.get(reverse("funding:letter", args=[decision.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"%PDF"


def test_an_official_opens_a_programme_and_bad_input_changes_nothing(client, proposer, alice):
    client.force_login(alice)
    assert client.get(reverse("funding:programme-create")).status_code == 403
    client.force_login(proposer)
    data = {
        "name": "Kansenagenda's 2027–2036",
        "start_year": "2027",
        "end_year": "2036",
        "amount_per_year": "-5",
        "min_cofinancing_percent": "50",
        "reserved_percent": "30",
        "lagging_min_themes": "3",
    }
    response = client.post(reverse("funding:programme-create"), data)
    assert response.status_code == 400
    assert not Programme.objects.exists()
    data["amount_per_year"] = "50.000.000"
    assert client.post(reverse("funding:programme-create"), data).status_code == 302
    programme = Programme.objects.get()
    assert programme.envelopes.count() == 10
    envelope = programme.envelopes.get(year=2027)
    assert (envelope.amount, envelope.reserved_amount) == (50_000_000, 15_000_000)
    client.logout()
    page = client.get(reverse("funding:programmes")).content.decode()
    assert "Kansenagenda&#x27;s 2027–2036" in page and "15.000.000" in page


def test_a_second_approver_without_a_device_is_sent_to_set_one_up(client, submission, proposer):
    other = make_user("other", role="rijk_official")
    decision = propose(submission, make_programme(proposer), proposer)
    client.force_login(other)
    response = client.post(reverse("funding:approve", args=[decision.pk]))
    assert response.status_code == 302
    assert reverse("two_factor:verify") in response.url


def test_the_decision_list_is_paged(client, coalition, alice, chair, proposer, approver, monkeypatch):
    from funding import views
    from tests.funding.factories import approved_decision

    programme = make_programme(proposer, envelope=500_000)
    first = approved_decision(coalition, alice, chair, proposer, approver, programme=programme)
    second = approved_decision(coalition, alice, chair, proposer, approver, programme=programme)
    monkeypatch.setattr(views, "DECISIONS_PER_PAGE", 1)
    page_one = client.get(reverse("funding:decisions")).content.decode()
    assert second.reference in page_one and first.reference not in page_one
    assert "Pagina 1 van 2" in page_one
    page_two = client.get(reverse("funding:decisions"), {"page": "2"}).content.decode()
    assert first.reference in page_two and second.reference not in page_two
    # A page that does not exist shows the last one, not an error.
    assert client.get(reverse("funding:decisions"), {"page": "999"}).status_code == 200
    assert client.get(reverse("funding:decisions"), {"page": "x"}).status_code == 200
