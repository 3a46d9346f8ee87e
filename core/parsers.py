"""The API's input policy: what any request body must be before a view or serializer sees it.

One policy for every endpoint (REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]), so no
field, lookup or filter has to remember it:

* a JSON body nested deeper than ``MAX_DEPTH`` is refused before it is decoded:
  Python's decoder recurses once per level and fails with a RecursionError (a 500)
  on a body like ``[[[[...]]]]`` tens of thousands deep, which anyone may send to
  the token endpoint without logging in;
* a NUL character (``\\u0000``) anywhere, in a key or a value, JSON or form, is
  refused: PostgreSQL cannot store or compare text holding it, so a NUL in a
  lookup field (a coalition slug, an indicator code) would surface as a database
  error in whichever query it reaches;
* a body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is refused: Django applies
  that limit to the forms it parses itself, DRF's JSON parser reads the stream
  without it.

Each refusal is a 400 ParseError (``{"detail": ...}``). The path, the query
string and form posts to HTML pages are checked by
``core.middleware.RejectNullCharactersMiddleware`` with ``contains_null_character``.
"""

from __future__ import annotations

import re
from itertools import accumulate

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json

# No API operation takes input nested more than a few levels (an object in a list
# in an object); 32 leaves room and keeps the decoder far from Python's recursion limit.
MAX_DEPTH = 32

NUL = "\x00"

TOO_DEEP = _("De JSON-invoer is te diep genest (meer dan %(limit)s niveaus).")
HAS_NUL = _("De invoer bevat een NUL-teken (U+0000); dat is niet toegestaan.")
TOO_LARGE = _("De invoer is te groot (meer dan %(limit)s bytes).")

# A JSON string, escapes included (the unrolled form cannot backtrack without end).
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_A_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def json_depth(text: str) -> int:
    """How deep the arrays and objects of a JSON text nest, without decoding it (no recursion).

    Brackets inside strings do not count. On malformed text the answer may be
    off; the decoder refuses such text anyway.
    """
    brackets = _NOT_A_BRACKET.sub("", _STRING.sub("", text))
    if not brackets:
        return 0
    return max(accumulate(map(_STEP.__getitem__, brackets)))


def contains_null_character(data) -> bool:
    """Whether a NUL is in any string of decoded input: keys, values, lists, QueryDicts, nested.

    Iterative, so a deep structure cannot exhaust the stack either.
    """
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if NUL in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.lists() if hasattr(item, "lists") else item.values())
        elif isinstance(item, list | tuple):
            pending.extend(item)
    return False


def file_names(files) -> list:
    """The field names and file names of uploads (a MultiValueDict), to check with contains_null_character."""
    return [(field, [upload.name or "" for upload in uploads]) for field, uploads in files.lists()]


def read_limited(stream) -> bytes:
    """The whole body, or a ParseError when it is larger than DATA_UPLOAD_MAX_MEMORY_SIZE."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if stream is None:
        return b""
    if limit is None:
        return stream.read()
    body = stream.read(limit + 1)
    if len(body) > limit:
        raise ParseError(TOO_LARGE % {"limit": limit})
    return body


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        try:
            text = read_limited(stream).decode(encoding)
        except UnicodeDecodeError as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
        if json_depth(text) > MAX_DEPTH:
            raise ParseError(TOO_DEEP % {"limit": MAX_DEPTH})
        parse_constant = json.strict_constant if self.strict else None
        try:
            data = json.loads(text, parse_constant=parse_constant)
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
        # Only an escape (\u0000) can put a NUL in valid JSON: skip the walk when there is none.
        if "\\u0000" in text and contains_null_character(data):
            raise ParseError(HAS_NUL)
        return data


class FormParser(parsers.FormParser):
    """Form bodies of a PUT or PATCH (Django itself parses only a POST's, which the middleware checks)."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if contains_null_character(data):
            raise ParseError(HAS_NUL)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        if contains_null_character(parsed.data) or contains_null_character(file_names(parsed.files)):
            raise ParseError(HAS_NUL)
        return parsed
