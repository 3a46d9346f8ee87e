"""Logging in and out, changing and resetting the password (Django's auth views, our templates)."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.utils.html import escape

from accounts.models import User
from tests.factories import PASSWORD, make_user

NEW_PASSWORD = "een-heel-nieuw-wachtwoord-456"
RESET_LINK = re.compile(r"http://testserver(/account/herstel/[^/\s]+/[^/\s]+/)")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def without_csrf_token(response) -> str:
    """The page with its (per-response, randomly masked) CSRF token blanked out."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken"', response.content.decode())


def logged_in_user_id(client) -> str | None:
    return client.session.get(SESSION_KEY)


# --- login and logout ----------------------------------------------------------------------


@pytest.mark.django_db
def test_it_shows_the_login_page(client):
    response = client.get("/account/login/")
    assert response.status_code == 200
    content = response.content.decode()
    assert '<form method="post" action="/account/login/"' in content
    assert 'name="username"' in content and 'name="password"' in content
    assert 'name="csrfmiddlewaretoken"' in content
    assert 'href="/account/wachtwoord-vergeten/"' in content


@pytest.mark.django_db
@pytest.mark.parametrize(("username", "password"), [("alice", "fout-wachtwoord"), ("onbekend", PASSWORD)])
def test_it_refuses_a_wrong_password_with_an_inline_error(client, alice, username, password):
    response = client.post("/account/login/", {"username": username, "password": password})
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1
    content = response.content.decode()
    assert '<div class="utrecht-alert utrecht-alert--error" role="alert">' in content
    assert escape(errors[0]) in content
    assert logged_in_user_id(client) is None
    assert client.get("/coalities/").status_code == 302


@pytest.mark.django_db
def test_it_logs_in_and_lands_on_my_tasks(client, alice):
    response = client.post("/account/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == "/mijn-taken/"
    assert logged_in_user_id(client) == str(alice.pk)
    home = client.get("/")
    assert "Ingelogd als Alice" in home.content.decode()  # by name, not username
    assert client.get("/coalities/").status_code == 200


@pytest.mark.django_db
def test_it_follows_a_local_next_but_not_another_site(client, alice):
    response = client.post("/account/login/", {"username": "alice", "password": PASSWORD, "next": "/coalities/"})
    assert response.url == "/coalities/"
    client.logout()
    response = client.post(
        "/account/login/", {"username": "alice", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response.url == "/mijn-taken/"


@pytest.mark.django_db
def test_it_refuses_an_inactive_user(client, alice):
    alice.is_active = False
    alice.save()
    response = client.post("/account/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 200
    assert logged_in_user_id(client) is None


@pytest.mark.django_db
def test_it_logs_out_only_with_a_post(client, alice):
    client.force_login(alice)
    assert client.get("/account/logout/").status_code == 405
    assert logged_in_user_id(client) == str(alice.pk)
    response = client.post("/account/logout/")
    assert response.status_code == 302
    assert response.url == "/"
    assert logged_in_user_id(client) is None
    assert client.get("/coalities/").status_code == 302


@pytest.mark.django_db
def test_it_protects_logout_against_csrf(alice):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post("/account/logout/").status_code == 403
    assert logged_in_user_id(client) == str(alice.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "login", "heading"),
    [
        ("/account/login/", False, "Inloggen"),
        ("/account/wachtwoord/", True, "Wachtwoord wijzigen"),
        ("/account/wachtwoord/gewijzigd/", True, "Wachtwoord gewijzigd"),
        ("/account/wachtwoord-vergeten/", False, "Wachtwoord vergeten"),
        ("/account/wachtwoord-vergeten/verstuurd/", False, "Controleer uw e-mail"),
        ("/account/herstel/klaar/", False, "Wachtwoord ingesteld"),
    ],
)
def test_it_renders_the_account_pages_in_the_site_layout(client, alice, path, login, heading):
    if login:
        client.force_login(alice)
    response = client.get(path)
    assert response.status_code == 200
    assert "base.html" in [template.name for template in response.templates]
    content = response.content.decode()
    assert f'<h1 class="utrecht-heading-1">{heading}</h1>' in content
    assert "Django-websitebeheer" not in content


# --- password change -----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/account/wachtwoord/", "/account/wachtwoord/gewijzigd/"])
def test_it_requires_login_to_change_the_password(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.url == f"/account/login/?next={path}"


@pytest.mark.django_db
def test_it_changes_the_password(client, alice):
    client.force_login(alice)
    page = client.get("/account/wachtwoord/")
    assert page.status_code == 200
    assert set(page.context["form"].fields) == {"old_password", "new_password1", "new_password2"}
    response = client.post(
        "/account/wachtwoord/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response.url == "/account/wachtwoord/gewijzigd/"
    assert client.get(response.url).status_code == 200
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert logged_in_user_id(client) == str(alice.pk)  # the session survives the change


@pytest.mark.django_db
def test_it_keeps_the_password_when_the_old_one_is_wrong(client, alice):
    client.force_login(alice)
    response = client.post(
        "/account/wachtwoord/",
        {"old_password": "fout-wachtwoord", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["old_password"]
    assert escape(errors[0]) in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


# --- password reset ------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_mails_a_reset_link_to_a_known_address(client, alice):
    assert client.get("/account/wachtwoord-vergeten/").status_code == 200
    response = client.post("/account/wachtwoord-vergeten/", {"email": alice.email})
    assert response.status_code == 302
    assert response.url == "/account/wachtwoord-vergeten/verstuurd/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [alice.email]
    assert RESET_LINK.search(mail.outbox[0].body)


@pytest.mark.django_db
def test_it_matches_the_address_case_insensitively(client, alice):
    client.post("/account/wachtwoord-vergeten/", {"email": alice.email.upper()})
    assert [message.to for message in mail.outbox] == [[alice.email]]


@pytest.mark.django_db
def test_it_does_not_reveal_whether_an_address_has_an_account(client, alice):
    known = client.post("/account/wachtwoord-vergeten/", {"email": alice.email}, follow=True)
    assert len(mail.outbox) == 1
    unknown = client.post("/account/wachtwoord-vergeten/", {"email": "niemand@example.org"}, follow=True)
    assert len(mail.outbox) == 1  # no mail for the unknown address
    assert known.redirect_chain == unknown.redirect_chain == [("/account/wachtwoord-vergeten/verstuurd/", 302)]
    assert known.status_code == unknown.status_code == 200
    # The pages differ only in the (per-response masked) CSRF token of the language switch.
    unmask = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    assert unmask.sub(b"", known.content) == unmask.sub(b"", unknown.content)
    assert "Als er een account bij dit e-mailadres hoort" in unknown.content.decode()


@pytest.mark.django_db
def test_it_sets_a_new_password_through_the_mailed_link_once(client, alice):
    client.post("/account/wachtwoord-vergeten/", {"email": alice.email})
    link = RESET_LINK.search(mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    set_password_url = form.redirect_chain[-1][0]
    response = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.url == "/account/herstel/klaar/"
    assert User.objects.get(pk=alice.pk).check_password(NEW_PASSWORD)
    assert client.post("/account/login/", {"username": "alice", "password": NEW_PASSWORD}).status_code == 302
    client.logout()
    used = client.get(link, follow=True)
    assert used.status_code == 200
    assert used.context["validlink"] is False
    assert "Deze link is ongeldig of al gebruikt." in used.content.decode()


@pytest.mark.django_db
def test_it_sends_no_reset_mail_to_an_inactive_user(client):
    user = make_user("slapend")
    user.is_active = False
    user.save()
    client.post("/account/wachtwoord-vergeten/", {"email": user.email})
    assert mail.outbox == []
