"""What many test modules share: counting queries and printing them when a count changes.

A query-count test measures a URL at two data sizes and asserts the same,
exact count for both (``tests/test_query_counts.py`` is the model). When the
count changes, the assertion message lists every SQL statement of both runs,
so the new query is found at a glance.
"""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext


def get_with_queries(client, url: str, **extra):
    """(response, SQL of each query) of one GET."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, **extra)
    return response, [query["sql"] for query in context.captured_queries]


def listing(name: str, queries: list[str]) -> str:
    """The queries numbered, under a heading with their count: for assertion messages."""
    return f"\n{name}: {len(queries)} queries\n" + "\n".join(f"{i:3}. {sql}" for i, sql in enumerate(queries, 1))
