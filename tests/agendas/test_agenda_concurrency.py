"""Two saves at the same moment (PostgreSQL row locks, real threads and connections).

Two saves of the same measure from the same base version: exactly one wins,
the other gets EditConflict, and nothing is written twice. Two saves of
different measures of the same agenda do not block each other's outcome:
both succeed, with their own revision numbers.
"""

import threading

import pytest
from django.db import connection

from agendas import services
from agendas.models import Measure, PartType, Revision
from tests.agendas.factories import make_agenda, make_measure, make_priority, measure_input
from tests.factories import make_coalition, make_user


def run_together(*calls):
    """Run the calls in threads released at the same moment; (results, errors) in call order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    errors: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - collected and asserted by the test
            errors[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a save hung (deadlock?)"
    return results, errors


@pytest.fixture
def agenda_with_measures(real_data):
    alice, bob = make_user("alice"), make_user("bob")
    coalition = make_coalition(coordinator=alice, editor=bob)
    agenda = make_agenda(coalition, alice)
    priority = make_priority(agenda, alice)
    first = make_measure(agenda, priority, alice, title="Eerste")
    second = make_measure(agenda, priority, alice, title="Tweede")
    return agenda, priority, first, second, alice, bob


def measure_revisions(measure: Measure) -> list[Revision]:
    return list(
        Revision.objects.filter(agenda_id=measure.agenda_id, part_type=PartType.MEASURE, part_id=measure.pk).order_by(
            "number"
        )
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_saves_of_the_same_measure_from_the_same_version_one_wins(agenda_with_measures):
    agenda, priority, measure, _, alice, bob = agenda_with_measures
    base = measure.version
    revisions_before = agenda.revisions.count()

    def save(actor, title, amount):
        return lambda: services.measure_update(
            measure_id=measure.pk,
            actor=actor,
            base_version=base,
            data=measure_input(agenda, priority, title=title, budget={(agenda.start_year, "rijk"): amount}),
        )

    results, errors = run_together(save(alice, "Door Alice", 111), save(bob, "Door Bob", 222))

    winners = [i for i, error in enumerate(errors) if error is None]
    losers = [i for i, error in enumerate(errors) if error is not None]
    assert len(winners) == 1 and len(losers) == 1, errors
    conflict = errors[losers[0]]
    assert isinstance(conflict, services.EditConflict)
    assert conflict.current_version == base + 1
    winner_title, winner_amount = [("Door Alice", 111), ("Door Bob", 222)][winners[0]]
    # The loser is told what the winner changed.
    assert ("title", "Eerste", winner_title) in [(c.field, c.before, c.after) for c in conflict.changes]

    measure.refresh_from_db()
    assert (measure.version, measure.title) == (base + 1, winner_title)
    assert list(measure.budget_lines.values_list("source", "amount")) == [("rijk", winner_amount)]
    assert agenda.revisions.count() == revisions_before + 1
    last = measure_revisions(measure)[-1]
    assert (last.action, last.part_version, last.snapshot["title"]) == ("updated", base + 1, winner_title)
    agenda.refresh_from_db()
    assert agenda.revision_count == revisions_before + 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_saves_of_different_measures_both_succeed(agenda_with_measures):
    agenda, priority, first, second, alice, bob = agenda_with_measures
    revisions_before = agenda.revisions.count()

    def save(actor, measure, title):
        return lambda: services.measure_update(
            measure_id=measure.pk,
            actor=actor,
            base_version=measure.version,
            data=measure_input(agenda, priority, title=title),
        )

    results, errors = run_together(save(alice, first, "Eerste door Alice"), save(bob, second, "Tweede door Bob"))

    assert errors == [None, None]
    first.refresh_from_db()
    second.refresh_from_db()
    assert [(first.title, first.version), (second.title, second.version)] == [
        ("Eerste door Alice", 2),
        ("Tweede door Bob", 2),
    ]
    numbers = [measure_revisions(first)[-1].number, measure_revisions(second)[-1].number]
    # Distinct and gapless after the revisions that were there: one each.
    assert sorted(numbers) == [revisions_before + 1, revisions_before + 2]
    agenda.refresh_from_db()
    assert agenda.revision_count == revisions_before + 2
    assert agenda.revisions.count() == revisions_before + 2
