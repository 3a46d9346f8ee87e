import pytest
pytestmark = pytest.mark.django_db

def test_it_probe(client):
    c = client.get("/regios/").content.decode()
    import re
    print(re.findall(r'role="status">[^<]*<', c))
