"""The monitoring and amendment pages: who sees and does what, inline errors, the second factor."""

import pytest
from django.urls import reverse

from funding import amendments, monitoring
from funding.models import Amendment, ProgressReport, Reclaim, Tranche
from tests.funding.factories import approved_decision, verify_session

pytestmark = pytest.mark.django_db

SECRET_REASON = "Vertrouwelijk: de wethouder twijfelt"


@pytest.fixture
def decision(coalition, alice, chair, proposer, approver):
    # 2026 is the first payment year: it has started whenever these tests run (from December 2026 on).
    return approved_decision(coalition, alice, chair, proposer, approver)


def decision_page(client, decision):
    return client.get(reverse("funding:decision", args=[decision.pk])).content.decode()


def report_fields(decision, **overrides):
    target = monitoring.report_targets(decision)[0]
    measure = monitoring.report_measures(decision, 2026)[0]
    data = {
        "year": "2026",
        f"indicator_{target.key}": "47,5",
        f"spending_{measure.key}": "90.000",
        "milestones": "Tien scholen hebben een sportcoach.",
        "explanation": "",
    }
    data.update(overrides)
    return data


def test_an_editor_files_a_report_and_bad_input_is_shown_inline(client, decision, bob):
    client.force_login(bob)
    assert "Voortgangsrapportage indienen" in decision_page(client, decision)
    url = reverse("funding:report-create", args=[decision.pk])
    response = client.post(url, report_fields(decision, milestones=""))
    assert response.status_code == 400
    assert "Dit veld is vereist" in response.content.decode()
    assert not ProgressReport.objects.exists()

    response = client.post(url, report_fields(decision))
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert (report.year, report.indicators[0]["actual_value"], report.spending[0]["spent"]) == (2026, "47.5", 90_000)
    # Nothing left to report on until the report is returned.
    assert "Voortgangsrapportage indienen" not in decision_page(client, decision)


def test_reports_are_for_the_coalition_and_officials(client, decision, bob, victor, charlie, proposer):
    report = monitoring.progress_report_submit(
        actor=bob,
        decision_id=decision.pk,
        year=2026,
        indicators={},
        spending={},
        milestones="Gestart",
        explanation=SECRET_REASON,
    )
    url = reverse("funding:report", args=[report.pk])
    for user in (victor, proposer):
        client.force_login(user)
        assert SECRET_REASON in client.get(url).content.decode()
    client.force_login(charlie)
    assert client.get(url).status_code == 404
    assert client.get(reverse("funding:report-create", args=[decision.pk])).status_code == 403
    client.logout()
    assert client.get(url).status_code == 404
    assert "Voortgangsrapportages" not in decision_page(client, decision)
    client.force_login(victor)
    assert client.get(reverse("funding:report-create", args=[decision.pk])).status_code == 403


def test_an_official_returns_a_report_with_a_comment(client, decision, bob, proposer):
    report = monitoring.progress_report_submit(
        actor=bob, decision_id=decision.pk, year=2026, indicators={}, spending={}, milestones="x", explanation="y"
    )
    client.force_login(proposer)
    page = client.get(reverse("funding:report", args=[report.pk])).content.decode()
    assert "Terugsturen" in page
    client.post(reverse("funding:report-return", args=[report.pk]), {"comment": ""})
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.SUBMITTED
    client.post(reverse("funding:report-return", args=[report.pk]), {"comment": "Uitgaven ontbreken"})
    report.refresh_from_db()
    assert (report.status, report.review_comment) == (ProgressReport.Status.RETURNED, "Uitgaven ontbreken")
    client.force_login(bob)
    assert client.post(reverse("funding:report-accept", args=[report.pk]), {}).status_code == 403


def test_releasing_asks_for_the_one_time_code_and_shows_what_blocks_a_tranche(client, decision, approver):
    first, second = decision.tranches.order_by("year")
    client.force_login(approver)
    page = decision_page(client, decision)
    assert "Eerst de tranches van eerdere jaren uitbetalen." in page
    response = client.post(reverse("funding:tranche-release", args=[first.pk]), {"note": ""})
    assert reverse("two_factor:verify") in response.url
    first.refresh_from_db()
    assert first.status == Tranche.Status.PLANNED

    verify_session(client, approver)
    client.post(reverse("funding:tranche-release", args=[first.pk]), {"note": "", "confirmed": "1"})
    first.refresh_from_db()
    assert first.status == Tranche.Status.RELEASED
    page = decision_page(client, decision)
    assert "De voortgangsrapportage over 2026 is nog niet geaccepteerd." in page


def test_a_reclaim_with_bad_input_is_refused_inline(client, decision, approver, charlie):
    first = decision.tranches.get(year=2026)
    monitoring.tranche_release(actor=approver, tranche_id=first.pk, verified=True)
    url = reverse("funding:tranche-reclaim", args=[first.pk])
    client.force_login(charlie)
    assert client.get(url).status_code == 403
    verify_session(client, approver)
    response = client.post(url, {"amount": "70.000", "reason": "Niet besteed"})
    assert response.status_code == 400
    assert "€\xa060.000" in response.content.decode()
    response = client.post(url, {"amount": "veel", "reason": ""})
    assert response.status_code == 400
    assert not Reclaim.objects.exists()
    assert client.post(url, {"amount": "12.500", "reason": "Niet besteed", "confirmed": "1"}).status_code == 302
    first.refresh_from_db()
    assert first.reclaimed_amount == 12_500
    client.logout()
    assert "€\u00a012.500" in decision_page(client, decision)


def test_an_amendment_through_the_pages_and_only_approved_ones_are_public(client, decision, proposer, approver):
    client.force_login(proposer)
    url = reverse("funding:amend", args=[decision.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"tranche_2026": "60.000", "tranche_2027": "", "tranche_2028": "50.000", "reason": "x"})
    assert response.status_code == 400
    assert "meer dan gevraagd" in response.content.decode()
    client.post(url, {"tranche_2026": "60.000", "tranche_2028": "40.000", "reason": SECRET_REASON})
    amendment = Amendment.objects.get()
    assert "U heeft deze wijziging voorgesteld" in decision_page(client, decision)
    client.logout()
    assert SECRET_REASON not in decision_page(client, decision)

    verify_session(client, approver)
    assert "Wijziging vaststellen" in decision_page(client, decision)
    client.post(reverse("funding:amendment-approve", args=[amendment.pk]), {"confirmed": "1"})
    assert dict(decision.tranches.values_list("year", "amount")) == {2026: 60_000, 2028: 40_000}
    client.logout()
    page = decision_page(client, decision)
    assert SECRET_REASON in page and "Wijziging 1" in page
    assert proposer.display_name not in page and approver.display_name not in page


def test_a_rejected_amendment_stays_for_officials_only(client, decision, proposer, approver):
    amendment = amendments.amendment_propose(
        actor=proposer, decision_id=decision.pk, tranches={2026: 100_000}, reason=SECRET_REASON
    )
    client.force_login(approver)
    client.post(reverse("funding:amendment-reject", args=[amendment.pk]), {"reason": ""})
    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.PROPOSED
    client.post(reverse("funding:amendment-reject", args=[amendment.pk]), {"reason": "Niet nodig"})
    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.REJECTED
    assert "Niet nodig" in decision_page(client, decision)
    client.logout()
    assert SECRET_REASON not in decision_page(client, decision)


def test_the_decision_page_makes_as_many_queries_with_more_history(client, decision, bob, proposer, approver):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("funding:decision", args=[decision.pk])).status_code == 200
        return len(captured)

    verify_session(client, approver)
    before = queries()
    for reason in ("Eerste", "Tweede", "Derde"):
        report = monitoring.progress_report_submit(
            actor=bob, decision_id=decision.pk, year=2026, indicators={}, spending={}, milestones="x", explanation="y"
        )
        monitoring.progress_report_return(actor=proposer, report_id=report.pk, comment=reason)
        amendment = amendments.amendment_propose(
            actor=proposer, decision_id=decision.pk, tranches={2026: 50_000, 2027: 50_000}, reason=reason
        )
        amendments.amendment_reject(actor=approver, amendment_id=amendment.pk, reason=reason)
    assert queries() == before
