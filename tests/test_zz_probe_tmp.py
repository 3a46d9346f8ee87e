import pytest

pytestmark = pytest.mark.django_db


def test_it_probe(client):
    r = client.get("/regios/GM0114/")
    print(r.status_code, len(r.content))
    r = client.get("/api/v1/regions/GM0114/profile/")
    print(r.status_code, r.content[:300])
