"""Benchmark: the agenda editor at the size of a real agenda.

Builds its own data in a fresh, throw-away database (``test_<name>`` next to
the configured one, dropped afterwards), so it never touches real data:
an agenda with 10 priorities, 60 measures and 15 years of budget (900 budget
lines), and as the baseline an agenda with 1 priority and 1 measure. It then
prints, for both:

- the number of queries of the editor page, a measure's edit page and the
  API detail endpoint, with the process's caches warm (must be the same for
  both sizes, and at most 15);
- the time to render those (median of repeated requests), with the ratio
  large / small;
- the time to save one measure with its 15 budget lines, through the service
  and through the API (p50 and p95 of repeated saves), with the ratio;
- the bytes stored per revision (the JSON snapshot and the whole row).

Run (PostgreSQL is what the issue's targets are about):

    make bench
    # or: DATABASE_URL=postgres://postgres@127.0.0.1:5432/kansenagenda .venv/bin/python bench/agenda_editor.py

Options: ``--saves N`` (default 200) and ``--renders N`` (default 20).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kansenagenda.settings")

PRIORITIES, MEASURES_PER_PRIORITY, YEARS = 10, 6, 15
START_YEAR = 2027
QUERY_LIMIT = 15
SAVE_P95_TARGET_MS = 100.0


def build_agenda(coalition, actor, *, priorities: int, measures_per_priority: int, years: int):
    from agendas import services
    from agendas.models import FundingSource
    from tests.agendas.factories import make_agenda, make_priority, measure_input

    agenda = make_agenda(coalition, actor, start_year=START_YEAR, end_year=START_YEAR + max(years, 4) - 1)
    sources = list(FundingSource.values)
    for p in range(priorities):
        priority = make_priority(agenda, actor, title=f"Prioriteit {p + 1}")
        for m in range(measures_per_priority):
            # One source per year, rotating: 15 years give 15 budget lines per measure.
            budget = {
                (START_YEAR + y, sources[(p + m + y) % len(sources)]): 10_000 * (m + 1) + 1_000 * y
                for y in range(years)
            }
            services.measure_create(
                agenda=agenda,
                actor=actor,
                data=measure_input(
                    agenda,
                    priority,
                    title=f"Maatregel {p + 1}.{m + 1}",
                    end_year=START_YEAR + years - 1,
                    budget=budget,
                ),
            )
    return agenda


def count_and_time(client, url: str, renders: int, **headers) -> tuple[int, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, **headers)  # warm the process's caches (content types, the CBS data, the profile)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    # Counted now: the capture reads the connection's log lazily, and the next
    # request empties that log.
    count = len(queries)
    durations = []
    for _ in range(renders):
        started = time.perf_counter()
        client.get(url, **headers)
        durations.append(time.perf_counter() - started)
    return count, statistics.median(durations) * 1000


def time_saves(agenda, actor, saves: int, client=None, token: str | None = None) -> list[float]:
    """Save the agenda's first measure ``saves`` times, changing one amount each time; milliseconds."""
    from agendas import services
    from agendas.models import Measure
    from tests.agendas.factories import measure_input

    measure = Measure.objects.filter(agenda=agenda).order_by("id").first()
    budget = {(line.year, line.source): line.amount for line in measure.budget_lines.all()}
    first_key = min(budget)
    durations = []
    for i in range(saves):
        measure.refresh_from_db(fields=["version"])
        budget[first_key] = 50_000 + i
        started = time.perf_counter()
        if client is None:
            services.measure_update(
                measure_id=measure.pk,
                actor=actor,
                base_version=measure.version,
                data=measure_input(
                    agenda, measure.priority, title=measure.title, end_year=measure.end_year, budget=budget
                ),
            )
        else:
            response = client.patch(
                f"/api/v1/measures/{measure.pk}/",
                {
                    "version": measure.version,
                    "budget_lines": [{"year": y, "source": s, "amount": a} for (y, s), a in sorted(budget.items())],
                },
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Token {token}",
            )
            assert response.status_code == 200, response.content[:500]
        durations.append((time.perf_counter() - started) * 1000)
    return durations


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def revision_bytes(agenda) -> dict[str, float]:
    from django.db import connection

    if connection.vendor == "postgresql":
        sql = (
            "SELECT part_type, avg(pg_column_size(snapshot)), avg(pg_column_size(r.*)), count(*)"
            " FROM agendas_revision r WHERE agenda_id = %s GROUP BY part_type ORDER BY part_type"
        )
    else:
        sql = (
            "SELECT part_type, avg(length(snapshot)), avg(length(snapshot) + length(changed_fields) + 64), count(*)"
            " FROM agendas_revision WHERE agenda_id = %s GROUP BY part_type ORDER BY part_type"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [agenda.pk])
        return {row[0]: (float(row[1]), float(row[2]), row[3]) for row in cursor.fetchall()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--renders", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from tests.factories import make_coalition, make_user
    from tests.helpers import api_token

    setup_test_environment()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']}, throw-away)")
        print("Building data: CBS regions, indicators and goal catalogues ...", flush=True)
        for command in ("import_regions", "import_indicators", "import_goals"):
            call_command(command, verbosity=0)
        alice = make_user("alice")
        coalition = make_coalition(coordinator=alice)
        started = time.perf_counter()
        large = build_agenda(
            coalition, alice, priorities=PRIORITIES, measures_per_priority=MEASURES_PER_PRIORITY, years=YEARS
        )
        built = time.perf_counter() - started
        small = build_agenda(coalition, alice, priorities=1, measures_per_priority=1, years=1)
        lines = large.measures.values_list("budget_lines", flat=True).count()
        print(
            f"Large agenda: {large.priorities.count()} priorities, {large.measures.count()} measures, "
            f"{lines} budget lines, built in {built:.1f} s; baseline: 1 priority, 1 measure, 1 budget line.\n"
        )

        client = Client()
        client.force_login(alice)
        token = api_token(alice)
        pages = [
            ("editor page", lambda a: f"/agendas/{a.pk}/", {}),
            ("measure edit page", lambda a: f"/agendas/{a.pk}/maatregelen/{a.measures.order_by('id').first().pk}/", {}),
            ("API detail", lambda a: f"/api/v1/agendas/{a.pk}/", {"HTTP_AUTHORIZATION": f"Token {token}"}),
        ]
        ok = True
        print(f"{'':20} {'queries':>15} {'median ms':>22} {'ratio':>7}")
        print(f"{'':20} {'small':>7} {'large':>7} {'small':>10} {'large':>11}")
        for name, url, headers in pages:
            small_q, small_ms = count_and_time(client, url(small), args.renders, **headers)
            large_q, large_ms = count_and_time(client, url(large), args.renders, **headers)
            flag = "" if small_q == large_q and large_q <= QUERY_LIMIT else "  <-- over target"
            ok &= not flag
            print(
                f"{name:20} {small_q:7} {large_q:7} {small_ms:10.1f} {large_ms:11.1f} {large_ms / small_ms:7.2f}{flag}"
            )

        print(f"\nSaving one measure with its budget ({args.saves} saves each):")
        print(f"{'':28} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        results = {}
        for name, agenda, api in [
            ("service, baseline agenda", small, False),
            ("service, large agenda", large, False),
            ("API PATCH, baseline agenda", small, True),
            ("API PATCH, large agenda", large, True),
        ]:
            durations = time_saves(agenda, alice, args.saves, client if api else None, token if api else None)
            results[name] = durations
            p95 = percentile(durations, 0.95)
            flag = "" if p95 < SAVE_P95_TARGET_MS else "  <-- over target"
            ok &= not flag
            print(f"{name:28} {statistics.median(durations):8.1f} {p95:8.1f} {max(durations):8.1f}{flag}")
        ratio = percentile(results["API PATCH, large agenda"], 0.95) / percentile(
            results["API PATCH, baseline agenda"], 0.95
        )
        print(f"p95 ratio large / baseline agenda (API): {ratio:.2f}")

        print("\nBytes stored per revision of the large agenda (PostgreSQL: pg_column_size, TOAST-compressed):")
        print(f"{'part':10} {'revisions':>9} {'snapshot':>9} {'whole row':>10}")
        for part, (snapshot, row, count) in revision_bytes(large).items():
            print(f"{part:10} {count:9} {snapshot:9.0f} {row:10.0f}")
        print("\n" + ("All targets met." if ok else "Some targets were missed (marked above)."))
        return 0 if ok else 1
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
