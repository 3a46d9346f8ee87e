"""Benchmark: every public page and API, and the logged-in pages that grow with a round, under load at national scale.

Builds its own PostgreSQL database (``--database``, default
``kansenagenda_load_bench`` on DATABASE_URL's server, dropped afterwards
unless ``--keep``): the CBS regions, indicators and goal catalogues, the
national-scale synthetic data of ``manage.py generate_national_data`` (100
coalitions, 1,000 agendas, 600 advised submissions with 600 approved
decisions), and one open review round of ``--submissions`` (500) submissions
with three submitted reviews each, scored (evidence score and reviewers'
aggregate) as bench/review_scoring.py builds and scores them. It serves the
project with gunicorn (``--workers`` sync workers, as the Dockerfile) and
drives ``--clients`` threads at each page for ``--duration`` seconds after a
``--warmup``, one page after another: first the floor, a bare Django view
whose one hand-written query returns the 342 municipalities as JSON
(bench/baseline_urls.py), then the pages of issue 16's table (``PAGES``).
Logged-in pages are requested with the session cookie of a login made in the
benchmark's database (the chair of the round; the coordinator of a
synthetic coalition): no second factor is needed to read them. Clients send
``Accept-Encoding: gzip`` and ``Accept-Language: nl``, like a browser, and
no conditional headers: every answer is a full 200.

It prints per page: throughput, p50/p95/p99 latency, the bytes of an answer
(as sent), the queries of a request counted in-process (cache emptied, then
warm twice; the fewest of three tries each) on the full data set and on a
small one (``--small-scale`` 0.1 of the national data and ``--small-
submissions`` 100 in the round, built first and rolled back), the ratio of
its throughput to the floor's in the same run, and PASS or FAIL against the
issue's targets: anonymous pages at least 0.5 x the floor's requests per
second and p95 under 100 ms, logged-in pages at least 0.25 x and p95 under
200 ms.

Exit code: 1 when a request failed (an error or any status but 200, e.g. a
redirect to the login page) or a page's query counts differ between the two
data sizes: the benchmark or a page is broken. A missed throughput or
latency target is reported (FAIL, and a count at the end) but leaves the
exit code 0: those figures depend on the machine and on what else runs on it.

Run (needs PostgreSQL; use Redis as the cache like production with
DJANGO_CACHE_URL=redis://...):

    make bench-load                    # about 8 minutes on 2 shared cores
    make bench-load BENCH_ARGS="--duration 3 --warmup 1 --pages home,portal --submissions 100"  # 2 minutes
    # or: DATABASE_URL=postgres://... .venv/bin/python bench/load.py --duration 3 --pages home,portal

Building the data and counting queries take 2-4 minutes whatever is
measured (less with a smaller ``--submissions``); each page then
takes ``--warmup`` + ``--duration`` seconds (18 s by default, 16 pages with
the floor). Options: ``--pages`` (names, comma-separated: see ``--help``; the
floor is always measured), ``--duration S`` (15), ``--warmup S`` (3),
``--clients N`` (16), ``--workers N`` (2), ``--submissions N`` (500),
``--small-scale F`` (0.1), ``--small-submissions N`` (100), ``--database
NAME``, ``--keep``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import (  # noqa: E402 - after the path
    Rollback,
    Run,
    drive,
    fewest_queries,
    forget_cache,
    gunicorn,
    load_cbs_data,
    setup_django,
    throwaway_database,
    use_bench_settings,
)

use_bench_settings("load")

# The chair's overview, page 1 sorted by the reviewers' total (highest first). The sort parameter
# is reviews.forms.RoundOverviewForm's; change it here when the page's parameters change.
ROUND_OVERVIEW = "/toetsing/rondes/{round}/?ordering=-total"


@dataclass(frozen=True)
class Page:
    name: str  # for --pages
    label: str
    path: str  # {round}, {agenda} and {region} are filled in from the data set
    user: str | None = None  # logged in as: "chair" or "member"


FLOOR = Page("floor", "floor: 342 rows as JSON (1 SQL query)", "/bench/municipalities-sql/")
PAGES = [
    FLOOR,
    Page("home", "home", "/"),
    Page("profile-api", "region profile API (CR01)", "/api/v1/regions/CR01/profile/"),
    Page("national", "national picture page", "/financiering/landelijk/"),
    Page("national-api", "national API", "/api/v1/national/"),
    Page("regions-api", "regions API, municipalities, 400 a page", "/api/v1/regions/?kind=municipality&page_size=400"),
    Page("portal", "public portal", "/openbaar/"),
    Page("decisions-api", "public decisions API", "/api/v1/decisions/"),
    Page("advice", "public advice list", "/toetsing/adviezen/"),
    Page("regiotoets", "public regiotoets register", "/regiotoets/"),
    Page("signals", "public signal list", "/openbaar/signalen/"),
    Page("region", "region page", "/regios/{region}/"),
    # The lightest signed-in page (a small form in the layout): what the layout, session and
    # middleware of every signed-in page cost, the ceiling of the three pages below.
    Page("account", "signed in: own account page", "/account/", "member"),
    Page("overview", "chair: round overview, by total", ROUND_OVERVIEW, "chair"),
    Page("agenda", "coordinator: agenda page", "/agendas/{agenda}/", "member"),
    Page("tasks", "chair: my tasks", "/mijn-taken/", "chair"),
]
# Requests per count, cold and warm (query_counts).
COUNT_REPEATS = 3
# (throughput against the floor at least, p95 below ms): issue 16.
ANONYMOUS_TARGET = (0.5, 100.0)
LOGGED_IN_TARGET = (0.25, 200.0)


@dataclass
class World:
    """What the pages of one data set are about: the round, the member's agenda and region, and who logs in."""

    round: int
    agenda: int
    region: str
    users: dict

    def url(self, page: Page) -> str:
        return page.path.format(round=self.round, agenda=self.agenda, region=self.region)


def build_world(submissions: int) -> World:
    """The open round of bench/review_scoring.py, scored; its chair; a coordinator of a funded synthetic coalition.

    The member's agenda is the first (by id) with an approved decision in a
    COROP area, and the region page is that area's: a COROP area has one at
    every scale of the national data, so both data sets show the same kind of page.
    """
    from django.contrib.auth.models import Group

    from bench.review_scoring import build_submissions, score_all
    from coalitions.models import CoalitionRole
    from coalitions.services import coalition_set_member
    from funding.models import Decision
    from regions.models import Region
    from tests.factories import make_user

    original, copies = build_submissions(submissions)
    score_all([original, *copies])
    chair = original.submitted_by
    chair.groups.add(Group.objects.get(name="review_chair"))
    decision = (
        Decision.objects.filter(status=Decision.Status.APPROVED, region__kind=Region.Kind.COROP)
        .select_related("submission__agenda__coalition", "region")
        .order_by("pk")
        .first()
    )
    agenda = decision.submission.agenda
    member = make_user("coordinator")
    coalition_set_member(
        coalition=agenda.coalition,
        user=member,
        organisation=agenda.coalition.organisations.order_by("pk").first(),
        role=CoalitionRole.COORDINATOR,
        actor=None,
    )
    return World(
        round=original.round_id, agenda=agenda.pk, region=decision.region.code, users={"chair": chair, "member": member}
    )


def logged_in_client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)  # django.contrib.auth.login: the idle clock starts, as at a real login
    return client


def query_counts(world: World, pages: list[Page]) -> dict[str, tuple[int, int, int]]:
    """(cold, warm, status) of a request to each page in-process (``bench.common.fewest_queries``)."""
    from django.test import Client

    clients = {None: Client(), **{name: logged_in_client(user) for name, user in world.users.items()}}
    return {
        page.name: fewest_queries(
            lambda page=page: clients[page.user].get(world.url(page), HTTP_ACCEPT_LANGUAGE="nl"), COUNT_REPEATS
        )
        for page in pages
    }


def session_cookie(user) -> str:
    """A ``Cookie`` header of a session of ``user``, stored in the benchmark's database for gunicorn to find."""
    from django.conf import settings

    client = logged_in_client(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def main() -> int:
    names = [page.name for page in PAGES]
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        # How long it takes, a shorter run, and the exit code: from the docstring.
        epilog="\n\n".join(p for p in __doc__.split("\n\n") if p.startswith(("Exit code", "    make", "Building"))),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--pages", default=",".join(names), help=f"comma-separated, of: {', '.join(names)}")
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--submissions", type=int, default=500)
    parser.add_argument("--small-scale", type=float, default=0.1)
    parser.add_argument("--small-submissions", type=int, default=100)
    parser.add_argument("--database", default="kansenagenda_load_bench")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    unknown = set(args.pages.split(",")) - set(names)
    if unknown:
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}")
    pages = [page for page in PAGES if page is FLOOR or page.name in args.pages.split(",")]

    if not setup_django():
        return 2
    began = time.perf_counter()
    with throwaway_database(args.database, keep=args.keep):
        status = measure(args, pages)
    print(f"\nThe benchmark took {time.perf_counter() - began:.0f} s.")
    return status


def measure(args, pages: list[Page]) -> int:
    from django.conf import settings
    from django.db import connection, transaction

    from funding.national_data import generate

    cache_name = "Redis (shared)" if "redis" in settings.CACHES["default"]["BACKEND"].lower() else "local memory"
    print(f"Database: {args.database} on PostgreSQL (throw-away); cache: {cache_name}")
    print("Loading CBS regions and indicators, goal catalogues ...", flush=True)
    load_cbs_data()

    # The small data set first, in a transaction that is rolled back: the database is empty again after.
    print(f"Small data set (scale {args.small_scale}, {args.small_submissions} in the round) ...", flush=True)
    try:
        with transaction.atomic():
            small = generate(scale=args.small_scale)
            small_counts = query_counts(build_world(args.small_submissions), pages)
            raise Rollback
    except Rollback:
        pass
    forget_cache()
    started = time.perf_counter()
    full = generate(scale=1.0)
    world = build_world(args.submissions)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics after the bulk load, as autovacuum would
    print(
        f"Full data set built in {time.perf_counter() - started:.0f} s: {full['coalitions']} coalitions, "
        f"{full['agendas']} agendas, {full['decisions']} approved decisions; a round of {args.submissions} "
        f"scored submissions (round {world.round}); the member's agenda {world.agenda}, region {world.region}.",
        flush=True,
    )
    full_counts = query_counts(world, pages)
    cookies = {name: session_cookie(user) for name, user in world.users.items()}

    runs: dict[str, Run] = {}
    with gunicorn(workers=args.workers, database=args.database, ready_url=FLOOR.path) as port:
        print(
            f"gunicorn: {args.workers} sync workers on {os.cpu_count()} cores; {args.clients} clients, "
            f"{args.duration:.0f} s per page after a {args.warmup:.0f} s warm-up.\n",
            flush=True,
        )
        for page in pages:
            headers = {"Accept-Encoding": "gzip"}
            if page.user:
                headers["Cookie"] = cookies[page.user]
            url = world.url(page)
            drive(port, url, args.clients, args.warmup, headers)  # every worker's caches
            runs[page.name] = run = drive(port, url, args.clients, args.duration, headers)
            print(f"  {page.name:14} {url:55} {run.rate:7.1f} req/s", flush=True)

    return report(args, pages, runs, small_counts, full_counts, small)


def report(args, pages: list[Page], runs: dict[str, Run], small_counts, full_counts, small) -> int:
    floor_rate = runs[FLOOR.name].rate
    broken = missed = 0
    header = f"{'page':38} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'KB':>7} {'queries':>8} {'small':>8}"
    print(f"\n{header} {'× floor':>7}  target")
    for page in pages:
        run = runs[page.name]
        cold, warm, status = full_counts[page.name]
        small_cold, small_warm, small_status = small_counts[page.name]
        same = (cold, warm) == (small_cold, small_warm)
        failed = run.failures or not run.latencies or status != 200 or small_status != 200
        broken += bool(failed) + (not same)
        ratio = run.rate / floor_rate
        if page is FLOOR:
            verdict = ""
        else:
            least, p95_limit = LOGGED_IN_TARGET if page.user else ANONYMOUS_TARGET
            passed = ratio >= least and run.p(95) < p95_limit
            missed += not passed
            verdict = f"≥{least}×, p95<{p95_limit:.0f}  {'PASS' if passed else 'FAIL'}"
        notes = []
        if not same:
            notes.append("<-- queries differ")
        if failed:
            statuses = ", ".join(f"{code or 'error'}: {n}" for code, n in sorted(run.statuses.items()) if code != 200)
            notes.append(f"<-- failed ({statuses or f'in-process status {status}/{small_status}'})")
        print(
            f"{page.label:38} {run.rate:7.1f} {run.p50:6.0f} {run.p(95):6.0f} {run.p(99):6.0f} "
            f"{run.mean_bytes / 1000:7.1f} {cold:>3}/{warm:<4} {small_cold:>3}/{small_warm:<4} {ratio:7.2f}  "
            f"{verdict} {' '.join(notes)}"
        )
    print(
        "\nLatencies in ms; KB as sent (gzip accepted); queries: cold/warm cache, in-process, full data set and "
        f"small ({small['decisions']} decisions, {args.small_submissions} in the round); × floor: throughput ratio."
    )
    print(f"Targets missed: {missed} of {len(pages) - 1} pages (reported; the exit code ignores them).")
    if broken:
        print(f"Broken: {broken} (failed requests or differing query counts, marked <--): exit code 1.")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
