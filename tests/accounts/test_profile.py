"""A person's own account: logging in by e-mail, name and language, and a confirmed e-mail change."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts import services
from accounts.models import User
from activity.notifications import recipient_language
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://kansenagenda.example"


def test_people_log_in_with_their_e_mail_address_in_any_case(client, charlie):
    response = client.post(reverse("login"), {"username": "Charlie@Example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("profile")).status_code == 200


def test_a_wrong_password_for_an_e_mail_address_does_not_log_in(client, charlie):
    response = client.post(reverse("login"), {"username": "charlie@example.org", "password": "fout"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logging_in_sets_the_persons_own_language(client, charlie):
    charlie.language = "en"
    charlie.save()
    response = client.post(reverse("login"), {"username": "charlie", "password": PASSWORD})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_a_person_changes_their_name_and_language(client, charlie):
    client.force_login(charlie)
    response = client.post(reverse("profile"), {"form": "profile", "full_name": "  Charlie Chaplin ", "language": "en"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    charlie.refresh_from_db()
    assert (charlie.full_name, charlie.language) == ("Charlie Chaplin", "en")
    assert recipient_language(charlie) == "en"
    assert "Charlie Chaplin" in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"full_name": "", "language": "nl"}, "Dit veld is vereist"),
        ({"full_name": "X", "language": "fr"}, "Selecteer"),
    ],
)
def test_a_bad_profile_is_refused_inline(client, charlie, data, message):
    client.force_login(charlie)
    response = client.post(reverse("profile"), {"form": "profile", **data})
    assert response.status_code == 200 and message in response.content.decode()
    charlie.refresh_from_db()
    assert charlie.full_name == "Charlie" and charlie.language == ""


def test_a_new_address_takes_effect_only_through_the_link_sent_to_it(
    client, charlie, eager, django_capture_on_commit_callbacks
):
    client.force_login(charlie)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("profile"), {"form": "email", "email": "Nieuw@Example.org"})
    assert response.status_code == 302
    charlie.refresh_from_db()
    assert charlie.email == "charlie@example.org"
    assert [m.to for m in mail.outbox] == [["nieuw@example.org"]]
    path = re.search(r"https://kansenagenda\.example(/account/e-mail/\S+/)", mail.outbox[0].body).group(1)
    assert client.get(path).status_code == 200  # a mail scanner following the link changes nothing
    charlie.refresh_from_db()
    assert charlie.email == "charlie@example.org"
    assert client.post(path).status_code == 302
    charlie.refresh_from_db()
    assert charlie.email == "nieuw@example.org"
    again = client.post(path)  # used once
    assert again.status_code == 400 and "al gebruikt" in again.content.decode()


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("geen-adres", "geldig e-mailadres"),
        ("bob@example.org", "ander account"),
        ("charlie@example.org", "al uw e-mailadres"),
    ],
)
def test_an_address_that_is_invalid_taken_or_the_same_is_refused(client, charlie, bob, email, message):
    client.force_login(charlie)
    response = client.post(reverse("profile"), {"form": "email", "email": email})
    assert response.status_code == 200 and message in response.content.decode()
    assert mail.outbox == []


def test_a_forged_or_old_link_changes_nothing(client, charlie):
    token = services.email_change_token(user=charlie, email="nieuw@example.org")
    assert client.post(reverse("email_change_confirm", args=[token[:-3] + "abc"])).status_code == 400
    make_user("dave")
    User.objects.filter(username="dave").update(email="nieuw@example.org")
    taken = client.post(reverse("email_change_confirm", args=[token]))
    assert taken.status_code == 400 and "ander account" in taken.content.decode()
    charlie.refresh_from_db()
    assert charlie.email == "charlie@example.org"


def test_the_profile_needs_a_login(client):
    assert client.get(reverse("profile")).url.startswith(reverse("login"))
