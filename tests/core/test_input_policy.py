"""The one input policy of the whole site (core.parsers, core.middleware): bad input is a 400, never a 500.

A JSON body nested too deep, a NUL character anywhere (body, query string,
path, form field) or a body over the size limit is refused before any view,
serializer or database sees it.
"""

import json

import pytest

from agendas.models import Agenda, Priority
from tests.agendas.factories import make_agenda, make_priority

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture
def agenda(coalition, alice):
    return make_agenda(coalition, alice)


@pytest.fixture
def editor(client, bob):
    client.force_login(bob)
    return client


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# --- JSON bodies ---------------------------------------------------------------------------------


def test_it_refuses_json_nested_50000_deep_at_the_token_endpoint(client):
    """The issue's example: no login needed, a RecursionError (500) before, in production mode too."""
    response = client.post("/api/v1/auth/token/", nested(50_000), content_type=JSON)
    assert response.status_code == 400
    assert "diep" in response.json()["detail"]


def test_it_refuses_deep_objects_too(editor):
    body = '{"a":' * 5_000 + "1" + "}" * 5_000
    response = editor.post("/api/v1/agendas/", body, content_type=JSON)
    assert response.status_code == 400


def test_nesting_up_to_the_limit_is_parsed(editor, coalition):
    """The limit refuses only what no API operation needs: a body nested to it reaches the serializer."""
    from core.parsers import MAX_DEPTH

    body = {"coalition": coalition.pk, "title": "X", "start_year": 2026, "end_year": 2030}
    body["themes"] = json.loads(nested(MAX_DEPTH - 1))
    response = editor.post("/api/v1/agendas/", body, content_type=JSON)
    assert response.status_code == 400
    assert "themes" in response.json()  # a field error of the serializer, not of the parser


def test_brackets_inside_strings_do_not_count_as_nesting(editor, coalition):
    body = {"coalition": coalition.pk, "title": "[" * 100 + "{" * 100, "start_year": 2026, "end_year": 2030}
    response = editor.post("/api/v1/agendas/", body, content_type=JSON)
    assert response.status_code == 201, response.content
    assert Agenda.objects.get().title == "[" * 100 + "{" * 100


@pytest.mark.parametrize(
    "body",
    [
        '{"coalition": "\\u0000"}',  # the example: a lookup field
        '{"coalition": "oost-groningen\\u0000"}',
        '{"\\u0000": 1}',  # a key
        '{"title": ["a\\u0000"]}',
    ],
)
def test_it_refuses_a_nul_anywhere_in_a_json_body(editor, coalition, body):
    response = editor.post("/api/v1/agendas/", body, content_type=JSON)
    assert response.status_code == 400
    assert "detail" in response.json()
    assert Agenda.objects.count() == 0


def test_it_refuses_a_nul_in_a_target_indicator(editor, agenda):
    """The issue's second example: a nested lookup (``targets[].indicator``) on /api/v1/priorities/."""
    body = {
        "agenda": agenda.pk,
        "title": "Gezond",
        "kind": "opgave",
        "targets": [{"indicator": "\x00", "target_year": 2030, "target_value": "1"}],
    }
    response = editor.post("/api/v1/priorities/", body, content_type=JSON)
    assert response.status_code == 400
    assert Priority.objects.count() == 0


def test_it_refuses_a_nul_in_a_patch(editor, agenda, alice):
    priority = make_priority(agenda, alice)
    body = {"version": priority.version, "targets": [{"indicator": "a\x00", "target_year": 2030, "target_value": 1}]}
    response = editor.patch(f"/api/v1/priorities/{priority.pk}/", body, content_type=JSON)
    assert response.status_code == 400
    priority.refresh_from_db()
    assert priority.version == 1


def test_an_escaped_backslash_before_u0000_is_no_nul(editor, coalition):
    """``\\\\u0000`` in JSON is a backslash followed by the text u0000, which is allowed."""
    body = {"coalition": coalition.pk, "title": "a\\u0000b", "start_year": 2026, "end_year": 2030}
    response = editor.post("/api/v1/agendas/", body, content_type=JSON)
    assert response.status_code == 201, response.content
    assert Agenda.objects.get().title == "a\\u0000b"


def test_it_refuses_a_body_over_the_size_limit(editor, coalition, settings):
    """DRF's own JSON parser reads the stream without Django's DATA_UPLOAD_MAX_MEMORY_SIZE."""
    body = {"coalition": coalition.pk, "title": "X", "summary": "a" * 500, "start_year": 2026, "end_year": 2030}
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 400
    response = editor.post("/api/v1/agendas/", body, content_type=JSON)
    assert response.status_code == 400
    assert Agenda.objects.count() == 0
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    assert editor.post("/api/v1/agendas/", body, content_type=JSON).status_code == 201


def test_malformed_json_is_still_a_400(client):
    response = client.post("/api/v1/auth/token/", '{"username": ', content_type=JSON)
    assert response.status_code == 400


def test_the_message_follows_the_chosen_language(client):
    from django.utils import translation

    from core.parsers import MAX_DEPTH, TOO_DEEP

    client.cookies["django_language"] = "en"
    response = client.post("/api/v1/auth/token/", nested(1_000), content_type=JSON)
    assert response.status_code == 400
    with translation.override("en"):
        assert response.json()["detail"] == TOO_DEEP % {"limit": MAX_DEPTH}


# --- query strings, paths and form posts ---------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/regions/?search=%00",
        "/api/v1/agendas/?coalition=%00",
        "/api/v1/priorities/?agenda=%00",
        "/api/v1/regions/GM%00/",
        "/coalities/?q=%00",
    ],
)
def test_it_refuses_a_nul_in_the_query_string_or_path(editor, url):
    assert editor.get(url).status_code == 400


def test_it_refuses_a_nul_in_a_form_field_name(editor, agenda):
    response = editor.post(f"/agendas/{agenda.pk}/reacties/", {"body\x00": "Hoi"})
    assert response.status_code == 400
    assert agenda.comments.count() == 0


def test_a_nul_in_a_form_post_to_the_api_is_a_400(editor, coalition):
    body = {"coalition": "\x00", "title": "X", "start_year": "2026", "end_year": "2030"}
    response = editor.post("/api/v1/agendas/", body)  # multipart form data
    assert response.status_code == 400
    assert Agenda.objects.count() == 0


@pytest.mark.parametrize("query", ["q=%ff%fe", "q=%e2%82", "q=%", "q=%zz", "%ff=1"])
def test_broken_percent_encoding_is_no_500(editor, query):
    assert editor.get(f"/api/v1/regions/?{query}").status_code in (200, 400)
    assert editor.get(f"/regios/?{query}").status_code in (200, 400)


def test_a_broken_multipart_form_is_a_400(editor):
    """The middleware reads a posted form before the view: a form it cannot read is still a 400."""
    body = b'--x\r\nContent-Disposition: form-data; name="title"\r\n\r\nabc'  # no closing boundary
    response = editor.post("/api/v1/agendas/", body, content_type="multipart/form-data; boundary=x")
    assert response.status_code == 400
    response = editor.post("/api/v1/agendas/", b"abc", content_type="multipart/form-data")  # no boundary
    assert response.status_code == 400
