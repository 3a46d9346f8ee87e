import pytest

from tests.factories import make_user


@pytest.fixture
def reviewers(db):
    return [make_user(f"reviewer{n}", role="reviewer") for n in (1, 2, 3)]


@pytest.fixture
def official(db):
    return make_user("official", role="rijk_official")


@pytest.fixture
def review_round(chair):
    from tests.reviews.factories import make_round

    return make_round(chair)
