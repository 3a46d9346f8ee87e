"""Settings for bench/national_overview.py and bench/load.py: the project's, plus bench/baseline_urls.py.

Used by the benchmark's own process and by the gunicorn it starts; never in production.
"""

import os

from kansenagenda.settings import *  # noqa: F403

ROOT_URLCONF = "bench.baseline_urls"

# With a shared cache (DJANGO_CACHE_URL, as in production) the benchmark keeps its keys apart from
# anything else in that cache: ids in its throw-away database mean something else in another one.
if CACHE_URL:  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = os.environ.get("BENCH_CACHE_PREFIX", "bench-national")  # noqa: F405
