import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/regios/GM%0014/", "/regios/?q=%00", "/api/v1/regions/?search=%00", "/api/v1/values/?region=GM%00"],
)
def test_it_answers_400_to_a_nul_character(client, url):
    assert client.get(url).status_code == 400


@pytest.mark.django_db
def test_it_answers_404_to_an_unknown_region(client):
    assert client.get("/regios/GM9999/").status_code == 404
    assert client.get("/api/v1/regions/GM9999/").status_code == 404
