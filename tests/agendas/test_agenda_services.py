import pytest
from django.core.exceptions import ValidationError

from kansenagenda import services
from kansenagenda.models import BudgetLine, Revision
from kansenagenda.selectors import agenda_document, agenda_queryset
from tests.agendas.factories import make_agenda, make_measure, make_priority, measure_input

pytestmark = pytest.mark.django_db


def test_it_creates_an_agenda_with_a_first_revision(coalition, alice):
    agenda = make_agenda(coalition, alice)
    revision = agenda.revisions.get()
    assert (revision.number, revision.part_type, revision.action) == (1, "header", "created")
    assert revision.snapshot["title"] == agenda.title
    assert agenda.region_id == coalition.region_id


@pytest.mark.parametrize(("start", "end"), [(2026, 2028), (2026, 2056), (2030, 2029)])
def test_it_refuses_a_period_outside_4_to_30_years(coalition, alice, start, end):
    with pytest.raises(ValidationError) as error:
        make_agenda(coalition, alice, start_year=start, end_year=end)
    assert "end_year" in error.value.message_dict


def test_the_budget_adds_up(coalition, alice):
    agenda = make_agenda(coalition, alice)
    priority = make_priority(agenda, alice)
    make_measure(agenda, priority, alice, budget={(2026, "rijk"): 300, (2027, "eu_erdf"): 100, (2027, "rijk"): 0})
    make_measure(agenda, priority, alice, title="Tweede", budget={(2027, "private"): 600})
    document = agenda_document(agenda_queryset().get(pk=agenda.pk))
    assert document.budget.total == 1000
    assert document.budget.by_year == {2026: 300, 2027: 700}
    assert str(document.budget.cofinancing_ratio) == "7/10"
    assert BudgetLine.objects.filter(amount=0).count() == 0


def test_a_stale_version_is_refused_and_shows_what_changed(coalition, alice, bob):
    agenda = make_agenda(coalition, alice)
    priority = make_priority(agenda, alice)
    measure = make_measure(agenda, priority, alice)
    services.measure_update(
        measure_id=measure.pk, actor=bob, base_version=1, data=measure_input(agenda, priority, title="Door Bob")
    )
    with pytest.raises(services.EditConflict) as conflict:
        services.measure_update(
            measure_id=measure.pk, actor=alice, base_version=1, data=measure_input(agenda, priority, title="Door Alice")
        )
    assert conflict.value.current_version == 2
    assert [(c.field, c.before, c.after) for c in conflict.value.changes] == [
        ("title", "Sportcoaches op school", "Door Bob")
    ]
    measure.refresh_from_db()
    assert measure.title == "Door Bob"


def test_bad_budget_saves_nothing(coalition, alice):
    agenda = make_agenda(coalition, alice)
    priority = make_priority(agenda, alice)
    measure = make_measure(agenda, priority, alice)
    before = Revision.objects.count()
    with pytest.raises(ValidationError) as error:
        services.measure_update(
            measure_id=measure.pk,
            actor=alice,
            base_version=1,
            data=measure_input(agenda, priority, title="Nieuw", budget={(2040, "rijk"): 5, (2026, "rijk"): -1}),
        )
    assert len(error.value.message_dict["budget_lines"]) == 2
    measure.refresh_from_db()
    assert (measure.title, measure.version, Revision.objects.count()) == ("Sportcoaches op school", 1, before)
