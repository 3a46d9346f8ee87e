import pytest
from django.conf import settings
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD  # noqa: F401  (re-exported for tests)
from tests.factories import make_user
from tests.helpers import GLOBAL_ROLE_PEOPLE

# The reference data every test database starts with, imported once per
# session (per test database) and kept here as PostgreSQL COPY data, so that
# transactional tests, whose database is emptied after each test, get it back
# in a fraction of a second instead of importing the CBS files again.
REFERENCE_DATA: dict[str, bytes] = {}


def _reference_tables(connection) -> list[str]:
    return [
        table
        for table in connection.introspection.table_names()
        if (table.startswith("regions_") and table != "regions_importjob") or table == "goals_goal"
    ]


def _import_reference_data() -> None:
    call_command("import_regions", verbosity=0)
    call_command("import_indicators", verbosity=0)
    call_command("import_goals", verbosity=0)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the real CBS regions and indicator data and the goal catalogues."""
    from django.db import connection

    with django_db_blocker.unblock():
        _import_reference_data()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for table in _reference_tables(connection):
                    with cursor.cursor.copy(f'COPY "{table}" TO STDOUT') as copy:
                        REFERENCE_DATA[table] = b"".join(bytes(chunk) for chunk in copy)


def _restore_reference_data(connection) -> None:
    """Put the session's reference data back into the emptied tables, ids and sequences included."""
    from django.db import transaction

    with transaction.atomic(), connection.cursor() as cursor:
        # Django's foreign keys are deferred on PostgreSQL: the order of the tables does not matter.
        for table, data in REFERENCE_DATA.items():
            with cursor.cursor.copy(f'COPY "{table}" FROM STDIN') as copy:
                copy.write(data)
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), COALESCE(MAX(id), 1)) FROM \"{table}\""
            )


@pytest.fixture
def real_data(transactional_db):
    """For transactional tests, whose database is emptied after each test.

    The flush also removes what data migrations made (the global role
    groups), so they are created again here.
    """
    from django.contrib.auth.models import Group
    from django.db import connection

    from accounts.models import GlobalRole
    from regions.models import Region

    for role in GlobalRole.values:
        Group.objects.get_or_create(name=role)
    if Region.objects.exists():
        return  # the first transactional test of a session still has the session's data
    if REFERENCE_DATA:
        _restore_reference_data(connection)
    else:
        _import_reference_data()


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache
    from django.utils import translation

    from regions.selectors import forget_snapshots

    cache.clear()
    forget_snapshots()
    # A request in an earlier test leaves its language active in this thread (LocaleMiddleware
    # activates, nothing deactivates): every test starts in the default language, Dutch.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    cache.clear()
    forget_snapshots()
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _exact_public_version(monkeypatch):
    """A change shows on cached public pages at once: every request reads the public data version
    (in production a process keeps it for ``core.public_cache.VERSION_SECONDS``).

    The version sees a write by the transaction that made it (``xmin``). A test runs in one transaction,
    so a row it creates and then changes outside any ``atomic()`` block keeps the same ``xmin``: change
    such rows through the services (each ``atomic()`` is a savepoint with its own id), as production does.
    """
    from core import public_cache

    monkeypatch.setattr(public_cache, "VERSION_SECONDS", 0)


@pytest.fixture
def eager():
    """``.delay()`` runs the task here and now, as a worker would after the commit."""
    from kansenagenda.celery import app

    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = False, False


@pytest.fixture
def people(coalition, alice):
    found = {
        name: make_user(f"p-{name}", role=role) for name, role in GLOBAL_ROLE_PEOPLE.items() if name != "coordinator"
    }
    found["coordinator"] = alice
    return found


@pytest.fixture
def platform_admin(db):
    """A platform administrator: invites people to the platform's roles."""
    return make_user("beheer", role="platform_admin")


@pytest.fixture
def alice(db):
    """Coordinator of the coalition ``coalition``."""
    return make_user("alice")


@pytest.fixture
def bob(db):
    """Editor in ``coalition``."""
    return make_user("bob")


@pytest.fixture
def victor(db):
    """Viewer in ``coalition``."""
    return make_user("victor")


@pytest.fixture
def charlie(db):
    """An outsider: logged in, no coalition, no global role."""
    return make_user("charlie")


@pytest.fixture
def chair(db):
    """The review chair."""
    return make_user("chair", role="review_chair")


@pytest.fixture
def coalition(db, alice, bob, victor):
    from tests.factories import make_coalition

    return make_coalition(coordinator=alice, editor=bob, viewer=victor)
