"""Public responses cached per public data version, with ETags and 304 answers.

Pages and API endpoints that show only public data (the portal, approved
decisions, published advice, region pages and profiles, the national
picture, the home page) say so with ``@public_cache`` on the view function
or the DRF method (innermost, right above ``def``). Only *anonymous reads*
are served from the cache; everyone else gets the view as before.

**Who gets a cached response** (:func:`is_anonymous_read`). A GET or HEAD
without an Authorization header (an API key, even a refused one), without a
session cookie and without a messages cookie, by an anonymous user: nothing
of the page can then belong to the visitor. A signed-in person, an API key
or a visitor with a session always gets the view's own rendering, which is
never stored; so nothing rendered for a signed-in person reaches anyone
else, and a signed-in person never gets what was rendered for the public.

**What is stored** (:func:`storable`). The whole response of a 200 that set
no cookie, did not use the CSRF token (its form would carry one visitor's
token to everyone; every page with a form that posts, the login page among
them), did not write the session or add a message, is not streamed and has
no ``Cache-Control`` of its own (a view that chose one decides for itself).
Anything else goes out as rendered and is not stored. A large response is
stored with its gzip copy as well (``core.compression`` decides whether it
may be compressed), so a hit does not compress again.

**The key** of a stored response and its ``ETag`` are one digest of: the
public data version; the language (the ``django_language`` cookie; the
browser's Accept-Language is ignored here, ``core.middleware.DutchFirstMiddleware``);
the absolute URL with its query (the API's ``next`` links name the host);
for the API, the media type DRF negotiated from Accept and ``?format=``
(JSON, or the browsable API, whose pages use the CSRF token and are never
stored); the static files' manifest (a deploy with new CSS and JavaScript
names); and ``FORMAT``. Stored entries live ``CACHE_SECONDS``.

**The public data version** (:func:`public_version`) is a digest of
*parts* that apps register in their ``AppConfig.ready()``
(:func:`register_version_part`), as they register sweeps and panels: core
never names the apps above it. A part is SQL of one value; all parts run as
one statement. :func:`rows_changed` makes the usual part: the number of a
table's public rows and the sum of their ``xmin``. PostgreSQL stamps every
row version with the transaction that wrote it, so every insert, update or
delete of a counted row changes the count or the sum, whichever column
changed and whichever code wrote it (a service, the admin, an import, a data
migration): nothing has to remember to bump a counter. A write that changes
nothing visible (a row saved unchanged) only costs a new rendering. The
parts today: regions (regions, memberships, dataset versions, themes and
indicators), coalitions (coalitions, their members and organisations, also
as lead partners of decisions), reviews (submissions with published advice
in public rounds, their advice, rounds and criteria), funding (approved
decisions, their tranches and amendments, programmes) and signals (public signals, their steps and
themes, the ministries). Agendas have no part:
what the public sees of an agenda is its frozen submission with published
advice and its approved decisions.

**How stale.** At national scale the statement reads some ten thousand rows
(6,000 tranches) and costs several milliseconds: more than a whole cached
response. So each process keeps the version it read for ``VERSION_SECONDS``
(one second) and reads it again after that: a change shows on every public
page at most ``VERSION_SECONDS`` after its commit. Never earlier data under
a later version: the version is read before the page is rendered, so a page
shows data at least as new as its version. What no part sees (a template
changed without new static files) shows within ``CACHE_SECONDS``. A view
may use caches of its own only if they are exact for what it shows (keyed on
what it reads, or on :func:`public_version`): a figure kept for a minute by
time alone would otherwise be stored under the new version for
``CACHE_SECONDS``. Without PostgreSQL (a local SQLite database) nothing is
cached.

**HTTP.** Every stored response gets its ``ETag``, and ``Cache-Control:
public, no-cache``: any cache may keep it, none may use it without asking,
and asking costs nothing (a matching ``If-None-Match`` is answered 304
before the cache is read; weak comparison, as gzip makes the ETag weak).
There is no ``Last-Modified``: the version is a digest, not a time, and a
time taken from the data would miss changes that have none (a new region
membership), so ``If-Modified-Since`` is not answered. ``Vary: Cookie,
Accept-Language, Accept-Encoding`` (also on a 304), and for the API also
``Accept, Authorization``.

**Cost of a hit**: no SQL (one statement per process per
``VERSION_SECONDS``) and one cache read; a 304 not even that. A miss: the
view's own queries, the version, one cache write.
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers, quote_etag
from rest_framework.response import Response

from core import compression

# Part of every key and ETag: bump when what is stored changes shape.
FORMAT = 1
# How long a process keeps the public data version it read (the staleness bound above).
VERSION_SECONDS = 1.0
# How long a stored response lives: bounds only what no version part sees.
CACHE_SECONDS = 600
KEY_PREFIX = "public"

# Accept-Encoding on every answer, 304s included: a cache that updates a stored gzip response with a 304's
# headers must keep telling the encodings apart.
VARY_PAGE = ("Cookie", "Accept-Language", "Accept-Encoding")
VARY_API = ("Accept", "Authorization")
# Headers of the view's response that are not kept: this module and the middleware set them per response.
NOT_STORED = {"content-length", "etag", "last-modified", "cache-control", "expires", "date"}


# --- the public data version ------------------------------------------------------------------


@dataclass(frozen=True)
class VersionPart:
    """SQL of one value (a scalar subquery) and its parameters."""

    sql: str
    params: tuple = ()


_parts: dict[str, VersionPart] = {}
# (time.monotonic() when read, version) of this process.
_memo: tuple[float, str] | None = None


def register_version_part(name: str, part: VersionPart) -> None:
    """Add a part of the public data version; the same name again replaces it (a second ``ready()``)."""
    _parts[name] = part


def registered_parts() -> dict[str, VersionPart]:
    return dict(_parts)


def rows_changed(
    model, *, join: str = "", where: str = "", params: Sequence = (), also: Sequence[str] = ()
) -> VersionPart:
    """A part that changes with every insert, update and delete of ``model``'s rows that match ``where``.

    The model's table is ``t``; ``join`` may add tables, and the rows of the aliases in ``also``
    count as well (their updates change the sum too). Table names from the models, values in
    ``params``.
    """
    xmins = " + ".join(f"{alias}.xmin::text::bigint" for alias in ("t", *also))
    condition = f"WHERE {where}" if where else ""
    # Names from the models and the registering apps, values in params.
    sql = f"SELECT concat(COUNT(*), '.', SUM({xmins})) FROM {model._meta.db_table} t {join} {condition}"  # noqa: S608
    return VersionPart(sql, tuple(params))


def enabled() -> bool:
    """Only on PostgreSQL: the parts read ``xmin``."""
    return connection.vendor == "postgresql"


def public_version() -> str:
    """The public data version: read at most once per ``VERSION_SECONDS`` in a process ("" without PostgreSQL)."""
    global _memo
    if not enabled():
        return ""
    now = time.monotonic()
    memo = _memo
    if memo is not None and now - memo[0] < VERSION_SECONDS:
        return memo[1]
    version = read_version()
    _memo = (now, version)
    return version


def forget_version() -> None:
    """Read the version again on the next request (tests)."""
    global _memo
    _memo = None


def read_version() -> str:
    """Every registered part in one statement, as a digest."""
    parts = sorted(_parts.items())
    if not parts:
        return "no-parts"
    sql = "SELECT " + ", ".join(f"({part.sql})" for _name, part in parts)
    params = [value for _name, part in parts for value in part.params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        values = cursor.fetchone()
    named = [(name, str(value)) for (name, _part), value in zip(parts, values, strict=True)]
    return hashlib.sha256(repr(named).encode()).hexdigest()[:24]


# --- who, and what ------------------------------------------------------------------------------


def is_anonymous_read(request) -> bool:
    """The rule of "who gets a cached response" (module docstring)."""
    return (
        request.method in ("GET", "HEAD")
        and "HTTP_AUTHORIZATION" not in request.META
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and not request.user.is_authenticated
    )


def storable(request, response) -> bool:
    """The rule of "what is stored" (module docstring)."""
    session = getattr(request, "session", None)
    messages = getattr(request, "_messages", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not compression.used_csrf_token(request, response)
        and not response.has_header("Cache-Control")
        and not getattr(session, "modified", False)
        and not getattr(messages, "added_new", False)
    )


@dataclass(frozen=True)
class Entry:
    """A stored response: its body, its gzip copy (None when it may not or need not be compressed), its headers."""

    content: bytes
    gzipped: bytes | None
    headers: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, request, response) -> Entry:
        content = response.content
        gzipped = compression.gzip_body(content) if compression.may_compress(request, response) else None
        headers = tuple((name, value) for name, value in response.headers.items() if name.lower() not in NOT_STORED)
        return cls(content=content, gzipped=gzipped, headers=headers)

    def response(self) -> HttpResponse:
        response = HttpResponse(self.content)
        for name, value in self.headers:
            response.headers[name] = value
        return response


def _etag(request, version: str, media_type: str) -> str:
    manifest = getattr(staticfiles_storage, "manifest_hash", "")
    language = translation.get_language()
    variant = (FORMAT, version, language, request.build_absolute_uri(), media_type, manifest)
    return hashlib.sha256(repr(variant).encode()).hexdigest()[:32]


def _rendered(response, request, api_view):
    """The response with its body: DRF renders after the method returns, as ``APIView.finalize_response`` does."""
    if isinstance(response, Response) and api_view is not None and not response.is_rendered:
        response.accepted_renderer = request.accepted_renderer
        response.accepted_media_type = request.accepted_media_type
        response.renderer_context = api_view.get_renderer_context()
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response.render()
    return response


def _as_public(response, etag: str, *, api: bool):
    response.headers["ETag"] = quote_etag(etag)
    patch_cache_control(response, public=True, no_cache=True)
    patch_vary_headers(response, VARY_PAGE + (VARY_API if api else ()))
    return response


def _send(response, entry: Entry, request) -> HttpResponse:
    if entry.gzipped is not None and compression.accepts_gzip(request):
        compression.send_gzipped(response, entry.gzipped)
    return response


# --- the decorator ------------------------------------------------------------------------------


def public_cache(view: Callable) -> Callable:
    """Serve anonymous reads of ``view`` per public data version (module docstring).

    For a function view ``(request, ...)`` and for a DRF method ``(self, request, ...)``.
    """

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        api_view, request = (None, args[0]) if isinstance(args[0], HttpRequest) else (args[0], args[1])
        if not enabled() or not is_anonymous_read(request):
            return view(*args, **kwargs)
        api = api_view is not None
        etag = _etag(request, public_version(), getattr(request, "accepted_media_type", "") if api else "")
        not_modified = get_conditional_response(request, etag=quote_etag(etag))
        if not_modified is not None:
            return _as_public(not_modified, etag, api=api)
        key = f"{KEY_PREFIX}:{etag}"
        entry = cache.get(key)
        if entry is not None:
            return _send(_as_public(entry.response(), etag, api=api), entry, request)
        response = _rendered(view(*args, **kwargs), request, api_view)
        if not storable(request, response):
            return response
        entry = Entry.of(request, response)
        cache.set(key, entry, CACHE_SECONDS)
        # The view's own response object (tests read its context and data), with the stored body.
        return _send(_as_public(response, etag, api=api), entry, request)

    return wrapper
