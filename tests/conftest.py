import pytest
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD  # noqa: F401  (re-exported for tests)
from tests.factories import make_user


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the real CBS regions and indicator data."""
    with django_db_blocker.unblock():
        call_command("import_regions", verbosity=0)
        call_command("import_indicators", verbosity=0)
        call_command("import_goals", verbosity=0)


@pytest.fixture
def real_data(transactional_db):
    """For transactional tests, whose database is emptied after each test.

    The flush also removes what data migrations made (the global role
    groups), so they are created again here.
    """
    from django.contrib.auth.models import Group

    from accounts.models import GlobalRole

    for role in GlobalRole.values:
        Group.objects.get_or_create(name=role)
    call_command("import_regions", verbosity=0)
    call_command("import_indicators", verbosity=0)
    call_command("import_goals", verbosity=0)


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


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
