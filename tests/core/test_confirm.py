"""core.confirm: the dry run leaves nothing behind, the page re-posts the fields, confirmed=1 runs the step.

The six steps that use it are tested where they live (tests/reviews/test_confirm_steps.py,
tests/funding/test_confirm_steps.py).
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.cache import SessionStore
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import RequestFactory

from accounts.models import User
from core.confirm import Confirmation, confirm_or_run, dry_run, is_going_back

pytestmark = pytest.mark.django_db


def post(data):
    request = RequestFactory().post("/iets/doen/?van=lijst", data)
    request.user = AnonymousUser()
    request.session = SessionStore()
    return request


def make_someone(sent: list[str]):
    """A step with a row and an after-commit effect (as a task or an e-mail would be)."""

    def step():
        user = User.objects.create(username="stap", full_name="Stap Gezet")
        transaction.on_commit(lambda: sent.append("mail"))
        return user

    return step


def describe(user):
    return Confirmation(title="Zeker weten?", sentence=f"U maakt {user.full_name} aan.", rows=[("Naam", "<b>x</b>")])


def test_a_dry_run_returns_the_result_and_leaves_no_row_and_no_after_commit_effect(
    django_capture_on_commit_callbacks,
):
    sent: list[str] = []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        user = dry_run(make_someone(sent))
    assert user.full_name == "Stap Gezet"
    assert not User.objects.filter(username="stap").exists()
    assert callbacks == [] and sent == []


def test_a_dry_run_raises_what_the_step_raises_and_rolls_back_what_it_wrote_before():
    def refused():
        User.objects.create(username="half")
        raise ValidationError({"amount": ["Te veel."]})

    with pytest.raises(ValidationError) as raised:
        dry_run(refused)
    assert raised.value.message_dict == {"amount": ["Te veel."]}
    assert not User.objects.filter(username="half").exists()


def test_without_confirmation_the_page_asks_and_reposts_every_field_escaped(django_capture_on_commit_callbacks):
    sent: list[str] = []
    request = post({"note": 'Zie "bijlage" <script>', "year": ["2026", "2027"], "csrfmiddlewaretoken": "oud"})
    with django_capture_on_commit_callbacks(execute=True):
        result, page = confirm_or_run(request, make_someone(sent), describe)
    assert result is None and page.status_code == 200
    html = page.content.decode()
    assert "Zeker weten?" in html and "U maakt Stap Gezet aan." in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html
    assert '<input type="hidden" name="note" value="Zie &quot;bijlage&quot; &lt;script&gt;">' in html
    assert html.count('name="year"') == 2 and 'value="2027"' in html
    assert 'value="oud"' not in html  # the page has its own token
    assert 'action="/iets/doen/?van=lijst"' in html
    assert 'name="confirmed" value="1"' in html
    # Without a page to go back to, "Terug" posts the input back (confirmed=0).
    assert 'name="confirmed" value="0"' in html
    assert not User.objects.filter(username="stap").exists() and sent == []


def test_back_is_a_link_when_the_step_names_a_page():
    def describe_with_back(user):
        return Confirmation(title="Zeker?", sentence="Ja.", back="/terug/")

    _result, page = confirm_or_run(post({}), make_someone([]), describe_with_back)
    html = page.content.decode()
    assert 'href="/terug/"' in html and 'name="confirmed" value="0"' not in html


def test_with_confirmation_the_step_runs(django_capture_on_commit_callbacks):
    sent: list[str] = []
    with django_capture_on_commit_callbacks(execute=True):
        result, page = confirm_or_run(post({"confirmed": "1"}), make_someone(sent), describe)
    assert page is None
    assert User.objects.get(username="stap") == result
    assert sent == ["mail"]


def test_going_back_is_only_confirmed_0():
    assert is_going_back(post({"confirmed": "0"}))
    assert not is_going_back(post({"confirmed": "1"}))
    assert not is_going_back(post({}))
