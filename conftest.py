"""Test set-up shared by every test.

Markers say what a test needs (postgres, redis, browser). Where that is not
configured the test is skipped with the reason printed, except under CI
(CI=true), where a missing requirement fails the run: CI must test on
PostgreSQL, a real broker and a real browser.
"""

import os
import shutil

import pytest
from django.conf import settings

CI = os.environ.get("CI", "").lower() == "true"


def _missing_requirement(item) -> str | None:
    if (
        item.get_closest_marker("postgres")
        and settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql"
    ):
        return "needs PostgreSQL: set DATABASE_URL=postgres://..."
    if item.get_closest_marker("redis") and not settings.CELERY_BROKER_URL.startswith("redis://"):
        return "needs Redis: set CELERY_BROKER_URL=redis://..."
    if item.get_closest_marker("browser") and not shutil.which("chromium"):
        return "needs Debian's chromium (apt-get install chromium)"
    return None


def pytest_runtest_setup(item):
    reason = _missing_requirement(item)
    if reason:
        if CI:
            pytest.fail(f"CI=true but this test {reason}", pytrace=False)
        pytest.skip(reason)


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if CI and reporter is not None and reporter.stats.get("skipped"):
        reporter.write_line("CI=true: skipped tests are not allowed; failing the run.", red=True)
        session.exitstatus = 1


def pytest_collection_modifyitems(config, items):
    """Guard: a test argument named ``page`` becomes pytest-playwright's browser page.

    pytest-playwright then parametrizes the test by browser and pytest groups
    it with the browser tests, which run after the transactional tests have
    emptied the database of the session's real data. Name it differently.
    """
    for item in items:
        if "page" in getattr(item, "fixturenames", ()) and not item.get_closest_marker("browser"):
            raise pytest.UsageError(f"{item.nodeid}: only browser tests may take a 'page' argument")
