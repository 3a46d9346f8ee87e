"""What the benchmarks share: a throw-away database, the CBS data, gunicorn, and clients driving a URL.

Import it after putting the repository on ``sys.path`` (every script does so
first); the functions that touch Django import it themselves, so a script can
choose its settings (``use_bench_settings``) before ``django.setup()``.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Rollback(Exception):
    """Raised to roll back a data set built for a measurement (``with transaction.atomic(): ... raise Rollback``)."""


def use_bench_settings(name: str) -> None:
    """Serve with bench/settings.py (the baseline URLs), with this run's cache keys under a prefix of its own."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("BENCH_CACHE_PREFIX", f"bench-{name}-{uuid.uuid4().hex[:8]}")


def setup_django(*, postgres: bool = True) -> bool:
    """``django.setup()`` and the test environment (in-process clients, query capture).

    False, with a message, when ``postgres`` is asked for and DATABASE_URL is another database.
    """
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    if postgres and connection.vendor != "postgresql":
        print("Needs PostgreSQL: set DATABASE_URL=postgres://...", file=sys.stderr)
        return False
    setup_test_environment()
    return True


@contextlib.contextmanager
def throwaway_database(name: str | None = None, *, keep: bool = False) -> Iterator[str]:
    """Create a database next to DATABASE_URL's, switch to it, and drop it afterwards (also after an error).

    ``name``: the database (default ``test_<name of DATABASE_URL's>``, as the
    test runner makes it); an existing one of that name is dropped first.
    ``keep`` keeps it at the end. DATABASE_URL's own database is never touched.
    Yields the name.
    """
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    if name:
        # create_test_db makes (and destroy_test_db drops) the database named here.
        connection.settings_dict["TEST"] = {**connection.settings_dict.get("TEST", {}), "NAME": name}
    created = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield created
    finally:
        forget_cache()
        connection.close()
        if keep:
            print(f"Kept the database {created}.")
        else:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def load_cbs_data() -> None:
    """The real regions and indicator data (CBS) and the goal catalogues, as ``make run`` loads them."""
    from django.core.management import call_command

    for command in ("import_regions", "import_indicators", "import_goals"):
        call_command(command, verbosity=0)


def database_url(name: str | None = None) -> str:
    """A URL of database ``name`` (default: the one connected to now) on the server of the connection."""
    from django.db import connection

    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name or db['NAME']}"


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


def fewest_queries(get, repeats: int = 3) -> tuple[int, int, int]:
    """(cold, warm, status) of ``get()``, a request in-process: with the cache emptied, and then warm.

    Each count is the fewest of ``repeats`` tries, and a warm request is made
    twice in a row: some memos live for a time (the public data version a
    second in each process), so a single count would depend on how long the
    request before it took (a cold one at full scale takes longer than that
    second, the warm one right after it does not). The status is 200, or the
    first other one seen.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = get()
        return len(queries), response.status_code

    cold, warm = [], []
    for _ in range(repeats):
        forget_cache()
        cold.append(count())
        warm += [count(), count()]
    forget_cache()
    status = next((status for _n, status in cold + warm if status != 200), 200)
    return min(n for n, _status in cold), min(n for n, _status in warm), status


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(*, workers: int, database: str, ready_url: str) -> Iterator[int]:
    """Serve the project (the settings of this process) with ``workers`` sync workers, as the Dockerfile does.

    Yields the port once ``ready_url`` answers 200; stops the server at the end.
    """
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "kansenagenda.wsgi:application", f"--workers={workers}"]
        + [f"--bind=127.0.0.1:{port}", "--log-level=warning", "--backlog=256"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url(database)},
    )
    try:
        _wait_until_serving(port, server, ready_url)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_until_serving(port: int, server: subprocess.Popen, url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped; see its output above")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", url)
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn not serving within {timeout:.0f} s")


@dataclass
class Run:
    """What ``drive`` measured: latencies of the answered requests (ms), failures, seconds, body bytes."""

    latencies: list[float]
    failures: int
    elapsed: float
    body_bytes: int
    statuses: dict[int, int]

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.elapsed

    @property
    def mean_bytes(self) -> float:
        return self.body_bytes / len(self.latencies) if self.latencies else 0.0

    def p(self, share: float) -> float:
        return percentile(self.latencies, share) if self.latencies else float("nan")

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else float("nan")


def drive(port: int, url: str, clients: int, seconds: float, headers: dict[str, str] | None = None) -> Run:
    """``clients`` threads requesting ``url`` for ``seconds`` (``http.client``, keep-alive where the server allows it).

    A request fails when it raises or its status is not 200 (a redirect to
    the login page is a failure). Each thread sends ``headers`` besides
    ``Accept-Language: nl``.
    """
    headers = {"Accept-Language": "nl", **(headers or {})}
    latencies: list[list[float]] = [[] for _ in range(clients)]
    failures = [0] * clients
    sizes = [0] * clients
    statuses: list[dict[int, int]] = [{} for _ in range(clients)]
    start = threading.Barrier(clients + 1)
    stop = threading.Event()

    def client(n: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        start.wait()
        while not stop.is_set():
            began = time.perf_counter()
            try:
                connection.request("GET", url, headers=headers)
                response = connection.getresponse()
                body = response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                status, body = 0, b""
            statuses[n][status] = statuses[n].get(status, 0) + 1
            if status == 200:
                latencies[n].append((time.perf_counter() - began) * 1000)
                sizes[n] += len(body)
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
    elapsed = time.perf_counter() - began
    counted: dict[int, int] = {}
    for per_client in statuses:
        for status, count in per_client.items():
            counted[status] = counted.get(status, 0) + count
    return Run([ms for per_client in latencies for ms in per_client], sum(failures), elapsed, sum(sizes), counted)


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (0-100) of ``values``: the value below which ``p`` % of them lie."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]
