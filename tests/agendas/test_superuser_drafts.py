"""A superuser who is not a member sees no draft either: drafts are for the coalition's members only.

Guardian's ``has_perm`` is true for every superuser, so this guards every
page and endpoint against that shortcut.
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.agendas.factories import make_agenda, make_measure, make_priority

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(db):
    return get_user_model().objects.create_superuser("root", "root@example.org", "x")


@pytest.fixture
def agenda(coalition, alice):
    agenda = make_agenda(coalition, alice)
    make_measure(agenda, make_priority(agenda, alice), alice)
    return agenda


@pytest.mark.parametrize(
    "name",
    ["detail", "header", "history", "export-pdf", "export-csv", "export-xlsx", "priority-create", "measure-create"],
)
def test_pages_answer_404(client, root, agenda, name):
    client.force_login(root)
    assert client.get(reverse(f"agendas:{name}", args=[agenda.pk])).status_code == 404


def test_the_api_answers_404_and_lists_nothing(client, root, agenda):
    client.force_login(root)
    assert client.get(f"/api/v1/agendas/{agenda.pk}/").status_code == 404
    assert client.get("/api/v1/agendas/").json()["count"] == 0
    response = client.patch(
        f"/api/v1/agendas/{agenda.pk}/", {"version": 1, "title": "Overgenomen"}, content_type="application/json"
    )
    assert response.status_code == 404


def test_a_comment_is_refused(client, root, agenda):
    client.force_login(root)
    response = client.post(reverse("agendas:comment", args=[agenda.pk]), {"body": "Hallo"})
    assert response.status_code == 404
    assert agenda.comments.count() == 0
