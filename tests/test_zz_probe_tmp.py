import time
import pytest
pytestmark = pytest.mark.django_db

def test_it_probe():
    from tests.factories import make_user, make_coalition
    t=time.time(); a=make_user("a"); b=make_user("b"); v=make_user("v"); print("users", time.time()-t)
    t=time.time(); make_coalition(coordinator=a, editor=b, viewer=v); print("coal", time.time()-t)
