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
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ.setdefault("BENCH_CACHE_PREFIX", f"bench-national-{uuid.uuid4().hex[:8]}")

P95_TARGET_MS = 150
PAGE = "/financiering/landelijk/"
API = "/api/v1/national/"
BASELINE = "/bench/national-sql/"
TARGETS = [("page", PAGE), ("API", API), ("baseline (1 SQL query)", BASELINE)]


class Rollback(Exception):
    pass


def forget_cache() -> None:
    """Remove this benchmark's cache entries; only its own (a shared Redis may hold others' under other prefixes)."""
    from django.core.cache import cache

    redis = getattr(getattr(cache, "_cache", None), "get_client", None)
    if redis is None:
        cache.clear()
        return
    client = redis(write=True)
    for key in client.scan_iter(match=f"{cache.key_prefix}:*"):
        client.delete(key)


def query_counts() -> dict[str, tuple[int, int]]:
    """(cold, warm) queries of one request to each URL, in-process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    counts = {}
    for _label, url in TARGETS:
        forget_cache()
        with CaptureQueriesContext(connection) as cold:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as warm:
            client.get(url)
        counts[url] = (len(cold), len(warm))
    forget_cache()
    return counts


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(name: str) -> str:
    from django.db import connection

    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def wait_until_serving(port: int, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped; see its output above")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", BASELINE)
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn not serving within {timeout:.0f} s")


def drive(port: int, url: str, clients: int, seconds: float) -> tuple[list[float], int, float]:
    """``clients`` threads requesting ``url`` for ``seconds``: (latencies in ms, failures, elapsed seconds)."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    failures = [0] * clients
    start = threading.Barrier(clients + 1)
    stop = threading.Event()

    def client(n: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        start.wait()
        while not stop.is_set():
            began = time.perf_counter()
            try:
                connection.request("GET", url, headers={"Accept-Language": "nl"})
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                connection.close()
                ok = False
            if ok:
                latencies[n].append((time.perf_counter() - began) * 1000)
            else:
                failures[n] += 1
        connection.close()

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    return [ms for per_client in latencies for ms in per_client], sum(failures), time.perf_counter() - began


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


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

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import setup_test_environment

    from funding.national_data import generate

    if connection.vendor != "postgresql":
        print("Needs PostgreSQL: set DATABASE_URL=postgres://...", file=sys.stderr)
        return 2
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    # create_test_db makes (and destroy_test_db drops) the database named here, next to DATABASE_URL's.
    connection.settings_dict["TEST"] = {**connection.settings_dict.get("TEST", {}), "NAME": args.database}
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    server = None
    ok = True
    try:
        cache_name = "Redis (shared)" if "redis" in settings.CACHES["default"]["BACKEND"].lower() else "local memory"
        print(f"Database: {args.database} on PostgreSQL (throw-away); cache: {cache_name}")
        print("Loading CBS regions and indicators, goal catalogues ...", flush=True)
        for command in ("import_regions", "import_indicators", "import_goals"):
            call_command(command, verbosity=0)

        # The small data set first, in a transaction that is rolled back: the database is empty again after.
        try:
            with transaction.atomic():
                small = generate(scale=args.small_scale)
                small_counts = query_counts()
                raise Rollback
        except Rollback:
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

        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "kansenagenda.wsgi:application", f"--workers={args.workers}"]
            + [f"--bind=127.0.0.1:{port}", "--log-level=warning", "--backlog=256"],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": database_url(args.database)},
        )
        wait_until_serving(port, server)
        figures_equal = same_figures(port)
        ok &= figures_equal
        print(
            f"gunicorn: {args.workers} sync workers on {os.cpu_count()} cores; {args.clients} clients, "
            f"{args.duration:.0f} s per URL after a 3 s warm-up.\n",
            flush=True,
        )

        results = {}
        for _label, url in TARGETS:
            drive(port, url, args.clients, 3)  # warm-up: every worker's caches
            latencies, failures, elapsed = drive(port, url, args.clients, args.duration)
            results[url] = (latencies, failures, elapsed)
            ok &= not failures and bool(latencies)

        baseline_rate = len(results[BASELINE][0]) / results[BASELINE][2]
        columns = ("requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "failed", "vs base")
        print(f"{'':24} {columns[0]:>8} " + " ".join(f"{c:>7}" for c in columns[1:]))
        for label, url in TARGETS:
            latencies, failures, elapsed = results[url]
            rate = len(latencies) / elapsed
            print(
                f"{label:24} {len(latencies):8} {rate:7.1f} {statistics.median(latencies):7.1f} "
                f"{percentile(latencies, 95):7.1f} {percentile(latencies, 99):7.1f} {failures:6} "
                f"{rate / baseline_rate:7.2f}"
            )
        print(f"\nQueries per request (cold, warm cache), in-process at scale {args.small_scale} and {args.scale}:")
        print(f"  small data set: {small['decisions']} decisions, {small['agendas']} agendas")
        for label, url in TARGETS:
            same = small_counts[url] == full_counts[url]
            ok &= same
            print(
                f"  {label:24} small {small_counts[url]}, full {full_counts[url]}" + ("" if same else "  <-- differs")
            )
        print(f"Baseline figures equal the API's: {'yes' if figures_equal else 'NO'}")
        print()
        for label, url in TARGETS[:2]:
            p95 = percentile(results[url][0], 95)
            passed = p95 < P95_TARGET_MS
            ok &= passed
            print(f"{'PASS' if passed else 'FAIL'}: {label} p95 {p95:.1f} ms (target < {P95_TARGET_MS} ms)")
        print("\n" + ("OK." if ok else "Something missed its target (see above)."))
        return 0 if ok else 1
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        forget_cache()
        connection.close()
        if args.keep:
            print(f"Kept the database {args.database}.")
        else:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
