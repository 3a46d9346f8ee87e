"""Benchmark: the national overview (/financiering/landelijk/ and /api/v1/national/) under 16 concurrent clients.

Builds its own PostgreSQL database (``--database``, default
``kansenagenda_nat_bench`` on DATABASE_URL's server, dropped afterwards
unless ``--keep``): the CBS regions, indicators and goal catalogues, then the
national-scale synthetic data of ``manage.py generate_national_data`` (100
coalitions, 1,000 agendas, 600 approved decisions with 10 tranches each).
It then serves the project with gunicorn, as in production, plus one
bench-only URL (``bench/baseline_urls.py``): a minimal Django view that
returns the same aggregates from one hand-written SQL query. 16 client
threads (``http.client``, keep-alive where the server allows it) request
each URL for ``--duration`` seconds after a warm-up.

It prints for each URL: requests, throughput, p50/p95/p99 latency, the
queries of one request (counted in-process, cold and warm cache, at full
scale and at ``--small-scale``: they must be equal) and the throughput
ratio against the baseline; and PASS/FAIL for the target p95 < 150 ms on the
page and the API. Exit code 1 when a target is missed, a count differs or a
request failed.

Run (needs PostgreSQL; use Redis as the cache like production with
DJANGO_CACHE_URL=redis://...):

    make bench-national
    # or: DATABASE_URL=postgres://... .venv/bin/python bench/national_overview.py

Options: ``--duration S`` (default 20), ``--clients N`` (16), ``--workers N``
(gunicorn workers; default 2 × CPU cores + 1, gunicorn's rule of thumb),
``--scale F`` (1.0), ``--small-scale F`` (0.1), ``--database NAME``,
``--keep`` (keep the database).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common  # noqa: E402 - after the path

common.use_bench_settings("national")

P95_TARGET_MS = 150
PAGE = "/financiering/landelijk/"
API = "/api/v1/national/"
BASELINE = "/bench/national-sql/"
TARGETS = [("page", PAGE), ("API", API), ("baseline (1 SQL query)", BASELINE)]


def query_counts() -> dict[str, tuple[int, int]]:
    """(cold, warm) queries of a request to each URL, in-process (``bench.common.fewest_queries``)."""
    from django.test import Client

    client = Client()
    counts = {}
    for _label, url in TARGETS:
        cold, warm, status = common.fewest_queries(lambda url=url: client.get(url))
        assert status == 200, (url, status)
        counts[url] = (cold, warm)
    return counts


def same_figures(port: int) -> bool:
    """The baseline's totals equal the API's: per programme, region and year, and per municipality."""

    def get(url):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", url)
        return json.loads(connection.getresponse().read())

    api, baseline = get(API), get(BASELINE)

    def regions(data):
        return {
            r["code"]: (r["total"], r["population"], r["deficit_at_decision"], r["by_year"]) for r in data["regions"]
        }

    def municipalities(data):
        return {m["code"]: round(float(m["committed"])) for m in data["municipalities"]}

    return (
        api["total"] == baseline["total"]
        and api["years"] == baseline["years"]
        and regions(api) == regions(baseline)
        and municipalities(api) == municipalities(baseline)
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--small-scale", type=float, default=0.1)
    parser.add_argument("--database", default="kansenagenda_nat_bench")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    if not common.setup_django():
        return 2
    with common.throwaway_database(args.database, keep=args.keep):
        return measure(args)


def measure(args) -> int:
    from django.conf import settings
    from django.db import connection, transaction

    from funding.national_data import generate

    ok = True
    cache_name = "Redis (shared)" if "redis" in settings.CACHES["default"]["BACKEND"].lower() else "local memory"
    print(f"Database: {args.database} on PostgreSQL (throw-away); cache: {cache_name}")
    print("Loading CBS regions and indicators, goal catalogues ...", flush=True)
    common.load_cbs_data()

    # The small data set first, in a transaction that is rolled back: the database is empty again after.
    try:
        with transaction.atomic():
            small = generate(scale=args.small_scale)
            small_counts = query_counts()
            raise common.Rollback
    except common.Rollback:
        pass
    started = time.perf_counter()
    full = generate(scale=args.scale)
    generation = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics after the bulk load, as autovacuum would
    print(
        f"Generated in {generation:.1f} s: {full['coalitions']} coalitions "
        f"({full['custom_regions']} custom regions, {full['municipalities_covered']} municipalities), "
        f"{full['agendas']} agendas, {full['budget_lines']} budget lines, "
        f"{full['decisions']} approved decisions, {full['tranches']} tranches.",
        flush=True,
    )
    full_counts = query_counts()

    with common.gunicorn(workers=args.workers, database=args.database, ready_url=BASELINE) as port:
        figures_equal = same_figures(port)
        ok &= figures_equal
        print(
            f"gunicorn: {args.workers} sync workers on {os.cpu_count()} cores; {args.clients} clients, "
            f"{args.duration:.0f} s per URL after a 3 s warm-up.\n",
            flush=True,
        )
        results = {}
        for _label, url in TARGETS:
            common.drive(port, url, args.clients, 3)  # warm-up: every worker's caches
            results[url] = run = common.drive(port, url, args.clients, args.duration)
            ok &= not run.failures and bool(run.latencies)

    baseline_rate = results[BASELINE].rate
    columns = ("requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "failed", "vs base")
    print(f"{'':24} {columns[0]:>8} " + " ".join(f"{c:>7}" for c in columns[1:]))
    for label, url in TARGETS:
        run = results[url]
        print(
            f"{label:24} {len(run.latencies):8} {run.rate:7.1f} {run.p50:7.1f} "
            f"{run.p(95):7.1f} {run.p(99):7.1f} {run.failures:6} {run.rate / baseline_rate:7.2f}"
        )
    print(f"\nQueries per request (cold, warm cache), in-process at scale {args.small_scale} and {args.scale}:")
    print(f"  small data set: {small['decisions']} decisions, {small['agendas']} agendas")
    for label, url in TARGETS:
        same = small_counts[url] == full_counts[url]
        ok &= same
        print(f"  {label:24} small {small_counts[url]}, full {full_counts[url]}" + ("" if same else "  <-- differs"))
    print(f"Baseline figures equal the API's: {'yes' if figures_equal else 'NO'}")
    print()
    for label, url in TARGETS[:2]:
        p95 = results[url].p(95)
        passed = p95 < P95_TARGET_MS
        ok &= passed
        print(f"{'PASS' if passed else 'FAIL'}: {label} p95 {p95:.1f} ms (target < {P95_TARGET_MS} ms)")
    print("\n" + ("OK." if ok else "Something missed its target (see above)."))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
