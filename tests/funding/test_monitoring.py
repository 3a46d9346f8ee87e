"""Monitoring an approved decision: progress reports, releasing tranches in order, reclaims."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from activity.models import Event, Notification
from funding import monitoring, services
from funding.models import ProgressReport, Reclaim, Tranche
from tests.funding.factories import approved_decision

pytestmark = pytest.mark.django_db

# The tests pass the date: the rules are about which payment years have started.
IN_2026 = datetime.date(2026, 6, 1)
IN_2027 = datetime.date(2027, 3, 1)


@pytest.fixture
def decision(coalition, alice, chair, proposer, approver):
    return approved_decision(
        coalition,
        alice,
        chair,
        proposer,
        approver,
        conditions="Jaarlijkse voortgangsrapportage; sportcoaches op tien scholen vóór eind 2026.",
    )


def file_report(decision, actor, year=2026, today=IN_2026, **fields):
    target = monitoring.report_targets(decision)[0]
    measure = monitoring.report_measures(decision, year)[0]
    values = {
        "indicators": {target.key: "47,5"},
        "spending": {measure.key: 90_000},
        "milestones": "Tien scholen hebben een sportcoach.",
    }
    values.update(fields)
    return monitoring.progress_report_submit(actor=actor, decision_id=decision.pk, year=year, today=today, **values)


def tranche(decision, year):
    return decision.tranches.get(year=year)


def test_the_coalition_files_a_report_with_actual_values_and_spending(decision, bob, proposer):
    report = file_report(decision, bob)
    assert report.status == ProgressReport.Status.SUBMITTED
    [indicator] = report.indicators
    assert indicator["actual_value"] == "47.5" and indicator["target_value"] == "50"
    [spent] = report.spending
    assert (spent["planned"], spent["spent"]) == (150_000, 90_000)  # the measure's 2026 budget, all sources
    assert Event.objects.filter(verb="progress.submitted", actor=bob).exists()
    assert Notification.objects.filter(recipient=proposer, event__verb="progress.submitted").exists()


def test_viewers_outsiders_and_officials_cannot_file_a_report(decision, victor, charlie, proposer):
    for user in (victor, charlie, proposer):
        with pytest.raises(PermissionDenied):
            file_report(decision, user)
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"year": 2027}, "year", "al begonnen"),
        ({"year": 2031}, "year", "al begonnen"),
        ({"milestones": "  "}, "milestones", "mijlpalen"),
        ({"indicators": {}}, "explanation", "ontbreken"),
        ({"indicators": {"999-X": "1"}}, "indicators", "Onbekend doel"),
        ({"spending": {"999999": 5}}, "spending", "Onbekende maatregel"),
    ],
)
def test_bad_reports_are_refused_and_change_nothing(decision, alice, fields, field, message):
    year = fields.pop("year", 2026)
    with pytest.raises(ValidationError) as error:
        file_report(decision, alice, year=year, **fields)
    assert message in " ".join(error.value.message_dict[field])
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize("value", ["veel", "NaN", "Infinity", "1" * 20])
def test_an_indicator_value_must_be_a_number(decision, alice, value):
    target = monitoring.report_targets(decision)[0]
    with pytest.raises(ValidationError) as error:
        file_report(decision, alice, indicators={target.key: value})
    assert "geef een getal" in error.value.message_dict[f"indicator_{target.key}"][0]


@pytest.mark.parametrize("amount", [-1, "12", 1.5, True, 10**12])
def test_spending_is_whole_euros(decision, alice, amount):
    measure = monitoring.report_measures(decision, 2026)[0]
    with pytest.raises(ValidationError) as error:
        file_report(decision, alice, spending={measure.key: amount})
    assert "hele euro" in error.value.message_dict[f"spending_{measure.key}"][0]


def test_a_missing_value_is_allowed_with_an_explanation(decision, alice):
    report = file_report(decision, alice, indicators={}, explanation="De CBS-cijfers over 2026 komen in 2027.")
    assert report.indicators[0]["actual_value"] is None


def test_one_report_per_year_until_it_is_returned(decision, alice, proposer):
    first = file_report(decision, alice)
    with pytest.raises(ValidationError, match="al een rapportage"):
        file_report(decision, alice)
    with pytest.raises(ValidationError) as error:
        monitoring.progress_report_return(actor=proposer, report_id=first.pk, comment="  ")
    assert "comment" in error.value.message_dict
    monitoring.progress_report_return(actor=proposer, report_id=first.pk, comment="Uitgaven per maatregel ontbreken.")
    second = file_report(decision, alice)
    monitoring.progress_report_accept(actor=proposer, report_id=second.pk)
    statuses = list(decision.progress_reports.order_by("pk").values_list("status", flat=True))
    assert statuses == ["returned", "accepted"]
    with pytest.raises(ValidationError, match="al geaccepteerd"):
        monitoring.progress_report_return(actor=proposer, report_id=second.pk, comment="Toch niet")
    # The database keeps the rule too.
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReport.objects.create(decision=decision, year=2026, milestones="x")


def test_only_officials_decide_on_reports(decision, alice, chair):
    report = file_report(decision, alice)
    for user in (alice, chair):
        with pytest.raises(PermissionDenied):
            monitoring.progress_report_accept(actor=user, report_id=report.pk)
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.SUBMITTED


def test_the_first_tranche_is_released_once_its_year_started(decision, approver):
    first = tranche(decision, 2026)
    with pytest.raises(ValidationError) as error:
        monitoring.tranche_release(
            actor=approver, tranche_id=first.pk, verified=True, note="Voldaan", today=datetime.date(2025, 12, 31)
        )
    assert "2026 is nog niet begonnen" in error.value.message_dict["release"][0]
    released = monitoring.tranche_release(
        actor=approver, tranche_id=first.pk, verified=True, note="Tien scholen gestart", today=IN_2026
    )
    assert (released.status, released.released_by) == (Tranche.Status.RELEASED, approver)
    event = Event.objects.get(verb="tranche.released")
    assert (event.data["year"], event.data["amount"]) == (2026, 60_000)
    with pytest.raises(ValidationError, match="al uitbetaald"):
        monitoring.tranche_release(actor=approver, tranche_id=first.pk, verified=True, note="x", today=IN_2026)


def test_a_later_tranche_needs_the_earlier_ones_paid_and_an_accepted_report(decision, alice, approver, proposer):
    second = tranche(decision, 2027)

    def blockers():
        return monitoring.release_blockers(decision, tranche(decision, 2027), today=IN_2027)

    assert any("eerdere jaren" in b for b in blockers())
    assert any("rapportage over 2026" in b for b in blockers())
    monitoring.tranche_release(
        actor=approver, tranche_id=tranche(decision, 2026).pk, verified=True, note="Ok", today=IN_2026
    )
    report = file_report(decision, alice, today=IN_2027)
    with pytest.raises(ValidationError, match="rapportage over 2026"):
        monitoring.tranche_release(actor=approver, tranche_id=second.pk, verified=True, note="Ok", today=IN_2027)
    assert tranche(decision, 2027).status == Tranche.Status.PLANNED
    monitoring.progress_report_accept(actor=proposer, report_id=report.pk)
    assert blockers() == []
    monitoring.tranche_release(actor=approver, tranche_id=second.pk, verified=True, note="Ok", today=IN_2027)
    assert tranche(decision, 2027).status == Tranche.Status.RELEASED


def test_releasing_needs_an_official_a_verified_session_and_a_word_on_the_conditions(decision, approver, alice):
    first = tranche(decision, 2026)
    with pytest.raises(services.SecondFactorRequired):
        monitoring.tranche_release(actor=approver, tranche_id=first.pk, verified=False, note="Ok", today=IN_2026)
    with pytest.raises(PermissionDenied):
        monitoring.tranche_release(actor=alice, tranche_id=first.pk, verified=True, note="Ok", today=IN_2026)
    with pytest.raises(ValidationError, match="voorwaarden"):
        monitoring.tranche_release(actor=approver, tranche_id=first.pk, verified=True, note="", today=IN_2026)
    assert tranche(decision, 2026).status == Tranche.Status.PLANNED
    assert not Event.objects.filter(verb="tranche.released").exists()


def test_paid_out_money_is_reclaimed_up_to_what_was_paid(decision, approver, alice):
    first = tranche(decision, 2026)
    with pytest.raises(ValidationError, match="Alleen uitbetaald geld"):
        monitoring.tranche_reclaim(
            actor=approver, tranche_id=first.pk, amount=1_000, reason="Niet besteed", verified=True
        )
    monitoring.tranche_release(actor=approver, tranche_id=first.pk, verified=True, note="Ok", today=IN_2026)
    monitoring.tranche_reclaim(actor=approver, tranche_id=first.pk, amount=20_000, reason="Niet besteed", verified=True)
    with pytest.raises(ValidationError) as error:
        monitoring.tranche_reclaim(actor=approver, tranche_id=first.pk, amount=40_001, reason="Meer", verified=True)
    assert "€\xa040.000" in error.value.message_dict["amount"][0]
    with pytest.raises(ValidationError) as error:
        monitoring.tranche_reclaim(actor=approver, tranche_id=first.pk, amount=0, reason="", verified=True)
    assert set(error.value.message_dict) == {"amount", "reason"}
    with pytest.raises(services.SecondFactorRequired):
        monitoring.tranche_reclaim(actor=approver, tranche_id=first.pk, amount=1, reason="x", verified=False)
    with pytest.raises(PermissionDenied):
        monitoring.tranche_reclaim(actor=alice, tranche_id=first.pk, amount=1, reason="x", verified=True)
    first.refresh_from_db()
    assert (first.status, first.reclaimed_amount) == (Tranche.Status.RECLAIMED, 20_000)
    assert list(Reclaim.objects.values_list("amount", flat=True)) == [20_000]
    assert Event.objects.filter(verb="tranche.reclaimed").count() == 1
    assert Notification.objects.filter(recipient=alice, event__verb="tranche.reclaimed").exists()


def test_the_database_refuses_a_reclaim_above_the_tranche_or_before_payment(decision):
    first = tranche(decision, 2026)
    with pytest.raises(IntegrityError), transaction.atomic():
        Tranche.objects.filter(pk=first.pk).update(reclaimed_amount=1)
    Tranche.objects.filter(pk=first.pk).update(status=Tranche.Status.RELEASED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Tranche.objects.filter(pk=first.pk).update(reclaimed_amount=60_001)


def test_a_release_is_described_with_its_money_and_links_to_the_decision(decision, approver):
    from activity import notifications

    monitoring.tranche_release(
        actor=approver, tranche_id=tranche(decision, 2026).pk, verified=True, note="Ok", today=IN_2026
    )
    event = Event.objects.get(verb="tranche.released")
    assert (
        notifications.describe(event)
        == f"De tranche 2026 van beschikking {decision.reference} (€\xa060.000) is uitbetaald."
    )
    assert notifications.link(event) == f"/financiering/beschikkingen/{decision.pk}/"
