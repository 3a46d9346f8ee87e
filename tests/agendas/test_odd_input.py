"""Odd input found in review: never a 500, nothing saved."""

import pytest
from django.urls import reverse

from activity.models import Notification
from tests.agendas.factories import make_agenda, make_measure, make_priority

pytestmark = pytest.mark.django_db


@pytest.fixture
def agenda(coalition, alice):
    return make_agenda(coalition, alice)


def test_a_superscript_digit_as_priority_is_ignored(client, bob, agenda):
    client.force_login(bob)
    response = client.get(reverse("agendas:measure-create", args=[agenda.pk]) + "?prioriteit=²")
    assert response.status_code == 200


def test_a_superscript_digit_in_a_comment_priority_is_a_404(client, bob, agenda):
    client.force_login(bob)
    response = client.post(reverse("agendas:comment", args=[agenda.pk]), {"body": "Hoi", "priority": "²"})
    assert response.status_code == 404
    assert agenda.comments.count() == 0


def test_a_superscript_digit_as_notification_id_is_a_400(client, bob):
    client.force_login(bob)
    response = client.post(reverse("notifications:mark-read"), {"id": "²"})
    assert response.status_code == 400
    assert Notification.objects.count() == 0


def test_a_nul_in_a_comment_saves_nothing(client, bob, agenda):
    client.force_login(bob)
    response = client.post(reverse("agendas:comment", args=[agenda.pk]), {"body": "a\x00b"})
    # Refused for every form alike, before the view (core.middleware.RejectNullCharactersMiddleware).
    assert response.status_code == 400
    assert agenda.comments.count() == 0


def test_an_amount_with_thousands_of_digits_is_an_inline_message(client, bob, alice, agenda):
    priority = make_priority(agenda, alice)
    measure = make_measure(agenda, priority, alice)
    client.force_login(bob)
    url = reverse("agendas:measure", args=[agenda.pk, measure.pk])
    form = client.get(url).context
    data = {
        key: value
        for key, value in form["form"].initial.items()
        if isinstance(value, str | int) and not isinstance(value, bool)
    }
    data.update({"version": measure.version, f"budget-{agenda.start_year}-rijk": "9" * 5000})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "onwaarschijnlijk hoog" in response.content.decode()
    measure.refresh_from_db()
    assert measure.version == 1
