"""What many test modules share: counting queries and printing them when a count changes.

A query-count test measures a URL at two data sizes and asserts the same,
exact count for both (``tests/test_query_counts.py`` is the model). When the
count changes, the assertion message lists every SQL statement of both runs,
so the new query is found at a glance.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext


def measure(client, url: str, *, cold: bool = False, **extra):
    """(response, SQL of each query) of one GET, after an unmeasured warm-up GET.

    The warm-up fills process-wide caches (content types, the CBS data
    snapshot), so both data sizes are measured in the same state; ``cold``
    clears Django's cache after it, to measure a page's cache miss.
    """
    assert client.get(url, **extra).status_code == 200
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, **extra)
    assert response.status_code == 200, url
    return response, [query["sql"] for query in context.captured_queries]


def listing(name: str, queries: list[str]) -> str:
    """The queries numbered, under a heading with their count: for assertion messages."""
    return f"\n{name}: {len(queries)} queries\n" + "\n".join(f"{i:3}. {sql}" for i, sql in enumerate(queries, 1))


def assert_counts(small: list[str], large: list[str], expected: int) -> None:
    """The same, expected number of queries at both data sizes; else both lists of SQL."""
    assert len(small) == len(large) == expected, (
        f"expected {expected} queries at both sizes" + listing("SMALL", small) + listing("LARGE", large)
    )
