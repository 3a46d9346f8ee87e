import pytest

from tests.factories import make_user


@pytest.fixture
def proposer(db):
    return make_user("proposer", role="rijk_official")


@pytest.fixture
def approver(db):
    from tests.funding.factories import give_mandate

    user = make_user("approver", role="rijk_official")
    give_mandate(user)
    return user
