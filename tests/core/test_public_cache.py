"""Public responses cached per public data version (core.public_cache) and compressed (core.compression).

The views here count their renderings, so a test sees whether a response came from the cache. The
public pages themselves, and the data changes that must show on them, are in
tests/kansenagenda/test_public_cache_pages.py.
"""

from __future__ import annotations

import gzip
from types import SimpleNamespace

import pytest
from django.contrib import messages
from django.db import connection, transaction
from django.db.models import F
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test.utils import CaptureQueriesContext
from django.urls import path
from rest_framework import viewsets
from rest_framework.response import Response

from core import compression, public_cache
from core.public_cache import public_cache as cached
from regions.models import Theme
from tests.factories import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

renderings: list[str] = []
BIG = "brede welvaart in elke regio " * 100  # 2,900 bytes: above compression.MIN_BYTES


def rendered(request, text: str) -> str:
    renderings.append(request.path)
    who = request.user.username if request.user.is_authenticated else "anoniem"
    return f"{text} voor {who} in {request.LANGUAGE_CODE} met {request.GET.urlencode()} #{len(renderings)}"


@cached
def public_view(request):
    return HttpResponse(rendered(request, "openbaar"))


@cached
def big_view(request):
    return HttpResponse(rendered(request, BIG))


def uncached_big_view(request):
    return HttpResponse(rendered(request, BIG))


@cached
def form_view(request):
    return HttpResponse(rendered(request, f'{BIG}<input name="csrfmiddlewaretoken" value="{get_token(request)}">'))


@cached
def cookie_view(request):
    response = HttpResponse(rendered(request, BIG))
    response.set_cookie("gezien", "ja")
    return response


@cached
def missing_view(request):
    return HttpResponse(rendered(request, "weg"), status=404)


@cached
def private_view(request):
    response = HttpResponse(rendered(request, BIG))
    response["Cache-Control"] = "private"
    return response


@cached
def session_view(request):
    request.session["bezocht"] = True
    return HttpResponse(rendered(request, BIG))


@cached
def message_view(request):
    messages.info(request, "Welkom")
    return HttpResponse(rendered(request, BIG))


class ThingViewSet(viewsets.ViewSet):
    permission_classes: list = []

    @cached
    def list(self, request):
        renderings.append(request.path)
        return Response({"things": [BIG], "rendering": len(renderings)})


urlpatterns = [
    path("openbaar/", public_view),
    path("groot/", big_view),
    path("groot-zonder-cache/", uncached_big_view),
    path("formulier/", form_view),
    path("koekje/", cookie_view),
    path("weg/", missing_view),
    path("prive/", private_view),
    path("sessie/", session_view),
    path("bericht/", message_view),
    path("api/dingen/", ThingViewSet.as_view({"get": "list"})),
]


@pytest.fixture(autouse=True)
def _fresh():
    renderings.clear()
    public_cache.forget_version()
    yield
    public_cache.forget_version()


def touch_public_data() -> None:
    """A committed-looking write to a table of a version part (regions' themes): its own savepoint, own xid."""
    with transaction.atomic():
        Theme.objects.filter(pk=Theme.objects.order_by("pk").first().pk).update(name_nl=F("name_nl"))


# --- stored and served -------------------------------------------------------------------------


def test_it_serves_the_stored_response_to_the_next_anonymous_visitor(client):
    first = client.get("/openbaar/")
    second = client.get("/openbaar/")
    assert len(renderings) == 1
    assert first.content == second.content == b"openbaar voor anoniem in nl met  #1"
    assert second["ETag"] == first["ETag"]
    assert second["Cache-Control"] == "public, no-cache"
    vary = {part.strip() for part in second["Vary"].split(",")}
    assert {"Cookie", "Accept-Language"} <= vary


def test_a_hit_costs_no_query_but_the_version_and_with_the_version_kept_none(client, monkeypatch):
    client.get("/openbaar/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/openbaar/")
    assert len(queries) == 1, [q["sql"] for q in queries]  # the public data version: one statement
    monkeypatch.setattr(public_cache, "VERSION_SECONDS", 60)
    client.get("/openbaar/")  # reads the version and keeps it
    with CaptureQueriesContext(connection) as queries:
        client.get("/openbaar/")
    assert len(queries) == 0


def test_it_answers_304_to_a_matching_etag_and_200_after_a_change(client):
    etag = client.get("/openbaar/")["ETag"]
    again = client.get("/openbaar/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Cache-Control"] == "public, no-cache"
    assert {"Cookie", "Accept-Language", "Accept-Encoding"} <= {part.strip() for part in again["Vary"].split(",")}
    # gzip makes the ETag weak; weak comparison still matches
    assert client.get("/openbaar/", HTTP_IF_NONE_MATCH=f"W/{etag}").status_code == 304
    assert client.get("/openbaar/", HTTP_IF_NONE_MATCH='"iets-anders"').status_code == 200
    assert len(renderings) == 1

    touch_public_data()
    changed = client.get("/openbaar/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.content.endswith(b"#2")


def test_the_version_changes_with_every_insert_update_and_delete_of_a_counted_row():
    start = public_cache.read_version()
    touch_public_data()  # an update, even one that changes no value
    updated = public_cache.read_version()
    with transaction.atomic():
        theme = Theme.objects.create(code="nieuw", dimension="later", name_nl="Nieuw", name_en="New", position=99)
    inserted = public_cache.read_version()
    with transaction.atomic():
        Theme.objects.exclude(pk=theme.pk).order_by("-pk").first().delete()
    deleted = public_cache.read_version()
    assert len({start, updated, inserted, deleted}) == 4
    assert public_cache.read_version() == deleted  # nothing written: the same version
    with transaction.atomic():
        theme.delete()
    assert public_cache.read_version() not in {inserted, deleted}


def test_a_process_keeps_the_version_for_version_seconds(client, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(public_cache, "time", SimpleNamespace(monotonic=lambda: now[0]))
    monkeypatch.setattr(public_cache, "VERSION_SECONDS", 1.0)
    before = client.get("/openbaar/")
    touch_public_data()
    now[0] += 0.9
    assert client.get("/openbaar/").content == before.content  # at most VERSION_SECONDS behind
    now[0] += 0.2
    after = client.get("/openbaar/")
    assert after["ETag"] != before["ETag"]
    assert after.content.endswith(b"#2")


def test_the_key_holds_the_language_the_path_and_the_query(client):
    client.get("/openbaar/?pagina=1")
    client.get("/openbaar/?pagina=2")
    assert client.get("/openbaar/?pagina=1").content.endswith(b"#1")
    client.cookies["django_language"] = "en"
    english = client.get("/openbaar/?pagina=1")
    assert b" in en " in english.content
    assert english.content.endswith(b"#3")
    assert len(renderings) == 3


def test_a_head_request_gets_the_headers_of_the_stored_response(client):
    get = client.get("/openbaar/")
    head = client.head("/openbaar/")
    assert head.status_code == 200
    assert head["ETag"] == get["ETag"]
    assert len(renderings) == 1


# --- never shared ------------------------------------------------------------------------------


def test_a_signed_in_person_gets_their_own_rendering_which_is_never_stored(client, charlie):
    anonymous = client.get("/openbaar/")
    client.force_login(charlie)
    own = client.get("/openbaar/")
    assert b"voor charlie" in own.content
    assert "ETag" not in own
    assert own["Cache-Control"] == "no-store, private"  # core.middleware.PrivateResponsesNotStoredMiddleware
    assert client.get("/openbaar/").content.endswith(b"#3")  # rendered again, not stored
    client.logout()
    client.cookies.clear()
    assert client.get("/openbaar/").content == anonymous.content  # the public one, never charlie's
    assert len(renderings) == 3


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_AUTHORIZATION": "Token onbekend"},  # even refused credentials
    ],
)
def test_a_request_with_credentials_is_rendered_every_time(client, headers):
    client.get("/openbaar/")
    for _ in range(2):
        response = client.get("/openbaar/", **headers)
        assert "ETag" not in response
    assert len(renderings) == 3


@pytest.mark.parametrize("cookie", ["sessionid", "messages"])
def test_a_visitor_with_a_session_or_messages_is_rendered_every_time(client, cookie):
    client.get("/openbaar/")
    client.cookies[cookie] = "iets"
    for _ in range(2):
        assert "ETag" not in client.get("/openbaar/")
    assert len(renderings) == 3


@pytest.mark.parametrize(
    "url",
    [
        "/formulier/",  # used the CSRF token
        "/koekje/",  # set a cookie
        "/weg/",  # not a 200
        "/prive/",  # chose its own Cache-Control
        "/sessie/",  # wrote the session
        "/bericht/",  # added a message
    ],
)
def test_a_response_that_must_not_be_shared_is_never_stored_nor_compressed(client, url):
    for _ in range(2):
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert "ETag" not in response
        assert "Content-Encoding" not in response
        assert response.get("Cache-Control") != "public, no-cache"
        client.cookies.clear()  # stays an anonymous visitor without a session
    assert len(renderings) == 2


@pytest.mark.urls("kansenagenda.urls")
def test_the_real_login_page_is_never_stored_nor_compressed(client):
    for _ in range(2):
        response = client.get("/account/login/", HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200
        assert len(response.content) > compression.MIN_BYTES
        assert "csrftoken" in response.cookies
        assert "Content-Encoding" not in response
        assert "ETag" not in response
        client.cookies.clear()


def test_without_postgresql_nothing_is_cached(client, monkeypatch):
    monkeypatch.setattr(public_cache, "enabled", lambda: False)
    client.get("/openbaar/")
    assert "ETag" not in client.get("/openbaar/")
    assert len(renderings) == 2


# --- the API --------------------------------------------------------------------------------------


def test_an_api_method_is_stored_per_negotiated_media_type(client):
    first = client.get("/api/dingen/", HTTP_ACCEPT="application/json")
    assert first.json()["rendering"] == 1
    assert client.get("/api/dingen/?format=json").json()["rendering"] == 2  # another URL
    assert client.get("/api/dingen/", HTTP_ACCEPT="application/json").json()["rendering"] == 1
    vary = {part.strip() for part in first["Vary"].split(",")}
    assert {"Accept", "Authorization", "Cookie", "Accept-Language"} <= vary
    # The browsable API is another representation, and its page uses the CSRF token: never stored.
    for _ in range(2):
        html = client.get("/api/dingen/", HTTP_ACCEPT="text/html")
        assert html["Content-Type"].startswith("text/html")
        assert "ETag" not in html
        client.cookies.clear()
    assert len(renderings) == 4


# --- compression --------------------------------------------------------------------------------


def test_a_large_anonymous_response_is_compressed_once_and_served_compressed(client, monkeypatch):
    made = []
    original = compression.gzip_body
    monkeypatch.setattr(compression, "gzip_body", lambda content: made.append(1) or original(content))
    plain = client.get("/groot/")
    assert "Content-Encoding" not in plain
    for _ in range(2):
        squeezed = client.get("/groot/", HTTP_ACCEPT_ENCODING="gzip, deflate")
        assert squeezed["Content-Encoding"] == "gzip"
        assert gzip.decompress(squeezed.content) == plain.content
        assert len(squeezed.content) < len(plain.content)
        assert squeezed["ETag"] == f"W/{plain['ETag']}"
        assert "Accept-Encoding" in squeezed["Vary"]
    assert len(made) == 1  # stored with the response, not made per request
    assert len(renderings) == 1


def test_a_large_anonymous_response_of_any_view_is_compressed(client):
    response = client.get("/groot-zonder-cache/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content).startswith(BIG.encode())


def test_a_small_response_is_not_compressed(client):
    response = client.get("/openbaar/", HTTP_ACCEPT_ENCODING="gzip")
    assert len(response.content) < compression.MIN_BYTES
    assert "Content-Encoding" not in response


def test_what_a_signed_in_person_or_an_api_key_gets_is_never_compressed(client, charlie):
    with_key = client.get("/groot-zonder-cache/", HTTP_ACCEPT_ENCODING="gzip", HTTP_AUTHORIZATION="Token x")
    assert "Content-Encoding" not in with_key
    client.force_login(charlie)
    for url in ("/groot/", "/groot-zonder-cache/"):
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert b"voor charlie" in response.content
        assert "Content-Encoding" not in response


def test_the_compression_rule():
    class Request:
        META: dict = {}
        user = None

    request = Request()
    big = HttpResponse(BIG)
    assert compression.may_compress(request, big)
    assert not compression.may_compress(request, HttpResponse("kort"))
    private = HttpResponse(BIG)
    private["Cache-Control"] = "no-store, private"
    assert not compression.may_compress(request, private)
    with_cookie = HttpResponse(BIG)
    with_cookie.set_cookie("csrftoken", "x")
    assert not compression.may_compress(request, with_cookie)
    request.META = {"CSRF_COOKIE_NEEDS_UPDATE": True}
    assert not compression.may_compress(request, big)
    request.META = {}
    request.user = make_user("dora")
    assert not compression.may_compress(request, big)
