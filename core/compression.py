"""Gzip for what anyone may read, never for what carries a secret (BREACH).

Compressing a response that holds a secret next to text an attacker can put
in it (a search term, a query parameter echoed in a link) lets the attacker
guess the secret byte by byte from the compressed sizes (BREACH). The
secrets here are the CSRF token in a form and whatever a signed-in person or
an API key may see. So a response is compressed only when all of these hold
(:func:`may_compress`, the one place of the rule):

* the request is not signed in: no Authorization header (an API key, even a
  refused one) and no authenticated user (``core.middleware.signed_in``);
* the page did not use the CSRF token: Django sets its cookie on exactly the
  responses whose page asked for a token (the login page, every form that
  posts), and flags the request until it has (``CSRF_COOKIE_NEEDS_UPDATE``);
* it sets no cookie at all (a session or messages cookie is per visitor);
* it is not ``Cache-Control: private`` or ``no-store`` (private by choice);
* it is at least ``MIN_BYTES`` long and not streamed (its length is known).

Everything else goes out as it is. The compression itself is Django's
``GZipMiddleware`` (:class:`PublicGZipMiddleware` only adds the rule), which
also sets ``Vary: Accept-Encoding``, weakens a strong ``ETag`` and skips a
response that is already encoded.

Responses of ``core.public_cache`` keep a compressed copy next to the plain
one in the cache (:func:`gzip_body`, :func:`send_gzipped`), so a cached hit
does not pay for gzip again; the middleware then sees ``Content-Encoding``
and leaves it alone.

In ``MIDDLEWARE`` the middleware sits right below WhiteNoise (which answers
static files itself, precompressed, before they get here) and above the
session, locale, CSRF, authentication and private-response middleware: it
handles the response after all of them, so it sees the cookies they set
and the ``Cache-Control`` they chose. Nothing above it changes the body.
"""

from __future__ import annotations

from django.conf import settings
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string

from core.middleware import signed_in

# Below about one network packet gzip saves too little to be worth the work.
MIN_BYTES = 1024


def used_csrf_token(request, response) -> bool:
    """Whether the page asked for a CSRF token: flagged until CsrfViewMiddleware sets the cookie, then the cookie."""
    return bool(
        request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or request.META.get("CSRF_COOKIE_USED")
        or settings.CSRF_COOKIE_NAME in response.cookies
    )


def is_private(response) -> bool:
    """``Cache-Control: private`` or ``no-store`` (core.middleware marks every signed-in response so)."""
    directives = {part.split("=", 1)[0].strip().lower() for part in response.get("Cache-Control", "").split(",")}
    return bool(directives & {"private", "no-store"})


def may_compress(request, response) -> bool:
    """The rule of the module docstring."""
    return (
        not signed_in(request)
        and not used_csrf_token(request, response)
        and not response.cookies
        and not is_private(response)
        and not response.streaming
        and len(response.content) >= MIN_BYTES
    )


def accepts_gzip(request) -> bool:
    return bool(re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def gzip_body(content: bytes) -> bytes | None:
    """``content`` compressed as GZipMiddleware compresses it; None when that is not shorter."""
    compressed = compress_string(content, max_random_bytes=GZipMiddleware.max_random_bytes)
    return compressed if len(compressed) < len(content) else None


def send_gzipped(response, body: bytes) -> None:
    """Make ``response`` send ``body`` (from :func:`gzip_body`) with the headers GZipMiddleware would set."""
    response.content = body
    response.headers["Content-Length"] = str(len(body))
    response.headers["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ("Accept-Encoding",))
    etag = response.get("ETag")
    if etag and etag.startswith('"'):
        response.headers["ETag"] = "W/" + etag


class PublicGZipMiddleware(GZipMiddleware):
    """Django's gzip, only for responses :func:`may_compress` allows."""

    def process_response(self, request, response):
        if not may_compress(request, response):
            return response
        return super().process_response(request, response)
