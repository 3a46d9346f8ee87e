"""The project's URLs plus the benchmarks' baselines (only with bench/settings.py).

``/bench/municipalities-sql/`` (bench/load.py's floor) answers with the 342
municipalities (code and name) as JSON, built by ONE hand-written query: what
a Django view costs at the least, with the same server, middleware and
database as every page measured against it.

``/bench/national-sql/`` (bench/national_overview.py) answers with the
national picture's aggregates — committed per programme and year, per region
and year with the population, the amount per inhabitant and the accumulated
deficit recorded at decision, and per municipality the committed amount spread
by population and per inhabitant — built by ONE hand-written PostgreSQL query
that returns the JSON document itself. No ORM, no template, no filters, no
cache: the floor of what a Django view can do for these figures, to compare
/financiering/landelijk/ and /api/v1/national/ against. It follows the rule of
``funding.national`` (approved decisions only, a decision's amount is the sum
of its tranches, spread over its region's municipalities in proportion to
population, equally when none has a figure) except the municipal deficits,
which are the region profile's rule in Python and have no SQL form; the
benchmark checks that its totals equal the API's.
"""

from django.db import connection
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_GET

from funding.national import POPULATION_INDICATOR

NATIONAL_SQL = """
WITH approved AS (
    SELECT id, programme_id, region_id, accumulated_deficit, decided_at
    FROM funding_decision WHERE status = 'approved'
),
per_decision_year AS (
    SELECT a.id, a.programme_id, a.region_id, t.year, t.amount
    FROM approved a JOIN funding_tranche t ON t.decision_id = a.id
),
current_dataset AS (
    SELECT d.id FROM regions_dataset d
    WHERE d.version = (SELECT MAX(version) FROM regions_dataset WHERE source_key = d.source_key)
),
population_values AS (
    SELECT v.region_id, v.year, v.value
    FROM regions_indicatorvalue v JOIN regions_indicator i ON i.id = v.indicator_id
    WHERE i.code = %(population)s AND v.dataset_id IN (SELECT id FROM current_dataset)
),
population AS (  -- the most recent year of the indicator, as in the data snapshot
    SELECT region_id, MAX(value) AS value FROM population_values
    WHERE year = (SELECT MAX(year) FROM population_values)
    GROUP BY region_id
),
region_population AS (  -- unknown when a member has no figure
    SELECT rm.region_id,
           CASE WHEN COUNT(p.value) = COUNT(*) THEN SUM(p.value) END AS population,
           SUM(COALESCE(p.value, 0)) AS weight,
           COUNT(*) AS members
    FROM regions_regionmunicipality rm LEFT JOIN population p ON p.region_id = rm.municipality_id
    WHERE rm.region_id IN (SELECT region_id FROM approved)
    GROUP BY rm.region_id
),
region_year AS (
    SELECT region_id, year, SUM(amount) AS amount FROM per_decision_year GROUP BY region_id, year
),
region_total AS (
    SELECT region_id, SUM(amount) AS total, json_object_agg(year, amount ORDER BY year) AS by_year
    FROM region_year GROUP BY region_id
),
region_latest AS (
    SELECT DISTINCT ON (region_id) region_id, accumulated_deficit
    FROM approved ORDER BY region_id, decided_at DESC, id DESC
),
region_decisions AS (
    SELECT region_id, COUNT(*) AS decisions FROM approved GROUP BY region_id
),
programme_year AS (
    SELECT programme_id, year, SUM(amount) AS amount FROM per_decision_year GROUP BY programme_id, year
),
municipal AS (
    SELECT rm.municipality_id,
           SUM(CASE WHEN rp.weight > 0 THEN rt.total * COALESCE(p.value, 0) / rp.weight
                    ELSE rt.total::numeric / rp.members END) AS committed
    FROM region_total rt
    JOIN region_population rp ON rp.region_id = rt.region_id
    JOIN regions_regionmunicipality rm ON rm.region_id = rt.region_id
    LEFT JOIN population p ON p.region_id = rm.municipality_id
    GROUP BY rm.municipality_id
)
SELECT json_build_object(
    'total', (SELECT COALESCE(SUM(total), 0) FROM region_total),
    'years', (SELECT COALESCE(json_agg(DISTINCT year ORDER BY year), '[]') FROM per_decision_year),
    'programmes', (
        SELECT COALESCE(json_agg(json_build_object('id', p.id, 'name', p.name, 'by_year', py.by_year, 'total', py.total)
                                 ORDER BY p.name), '[]')
        FROM (SELECT programme_id, SUM(amount) AS total, json_object_agg(year, amount ORDER BY year) AS by_year
              FROM programme_year GROUP BY programme_id) py
        JOIN funding_programme p ON p.id = py.programme_id
    ),
    'regions', (
        SELECT COALESCE(json_agg(json_build_object(
                   'code', r.code, 'name', r.name, 'population', rp.population::bigint,
                   'deficit_at_decision', rl.accumulated_deficit, 'decisions', rd.decisions,
                   'by_year', rt.by_year, 'total', rt.total,
                   'per_inhabitant', rt.total / NULLIF(rp.population, 0)
               ) ORDER BY r.name, r.code), '[]')
        FROM region_total rt
        JOIN regions_region r ON r.id = rt.region_id
        JOIN region_population rp ON rp.region_id = rt.region_id
        JOIN region_latest rl ON rl.region_id = rt.region_id
        JOIN region_decisions rd ON rd.region_id = rt.region_id
    ),
    'municipalities', (
        SELECT json_agg(json_build_object(
                   'code', m.code, 'name', m.name, 'population', p.value::bigint,
                   'committed', ROUND(COALESCE(mc.committed, 0), 2),
                   'per_inhabitant', COALESCE(mc.committed, 0) / NULLIF(p.value, 0)
               ) ORDER BY m.code)
        FROM regions_region m
        LEFT JOIN population p ON p.region_id = m.id
        LEFT JOIN municipal mc ON mc.municipality_id = m.id
        WHERE m.kind = 'municipality'
    )
)::text
"""


MUNICIPALITIES_SQL = """
SELECT COALESCE(json_agg(json_build_object('code', code, 'name', name) ORDER BY code), '[]')::text
FROM regions_region WHERE kind = 'municipality'
"""


@require_GET
def municipalities_sql(request):
    with connection.cursor() as cursor:
        cursor.execute(MUNICIPALITIES_SQL)
        (document,) = cursor.fetchone()
    return HttpResponse(document, content_type="application/json")


@require_GET
def national_sql(request):
    with connection.cursor() as cursor:
        cursor.execute(NATIONAL_SQL, {"population": POPULATION_INDICATOR})
        (document,) = cursor.fetchone()
    return HttpResponse(document, content_type="application/json")


urlpatterns = [
    path("bench/municipalities-sql/", municipalities_sql, name="bench-municipalities-sql"),
    path("bench/national-sql/", national_sql, name="bench-national-sql"),
    path("", include("kansenagenda.urls")),
]
