"""In English nothing Dutch from the catalogue remains: every page a role reaches, rendered in English.

Each role of the demo starts at its task list (or the home page) and follows the links of the
pages it reaches, one step deep; every page is searched for the Dutch source texts of the
translation catalogue (locale/en/LC_MESSAGES/django.po). A hit means a string that is not
translated, translated too early (gettext at import time) or rendered outside the active language.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from accounts.models import User
from kansenagenda.demo import load_demo

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
ROLES = [
    None,
    "coordinator",
    "parkstad",
    "voorzitter",
    "beoordelaar",
    "rijksambtenaar",
    "programmabeheer",
    "platformbeheer",
]
# Pages that are files, actions or too slow to matter here.
SKIP = re.compile(r"(\.pdf|\.csv|\.xlsx|/api/|/admin/|/uitloggen|/logout|/static/|/media/|#)")
MIN_FRAGMENT = 24  # shorter Dutch fragments ("Regio", "Status") are often also English words
PAGES_PER_ROLE = 45


def _unquote(lines: list[str]) -> str:
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', "\n".join(lines))).encode().decode("unicode_escape")


def dutch_fragments() -> set[str]:
    """Literal pieces (between placeholders and tags) of every msgid whose English differs from it."""
    fragments: set[str] = set()
    entries = CATALOGUE.read_text(encoding="utf-8").split("\n\n")
    for entry in entries:
        if "#~" in entry or "msgid" not in entry:
            continue
        lines = entry.splitlines()
        keys = [i for i, line in enumerate(lines) if re.match(r"msg(id|id_plural|str(\[\d\])?) ", line)]
        parts = {}
        for n, start in enumerate(keys):
            end = keys[n + 1] if n + 1 < len(keys) else len(lines)
            key = lines[start].split(" ", 1)[0]
            parts[key] = _unquote([lines[start].split(" ", 1)[1], *lines[start + 1 : end]])
        msgid = parts.get("msgid", "")
        english = parts.get("msgstr") or parts.get("msgstr[0]", "")
        if not msgid or msgid == english:
            continue
        text = html.unescape(re.sub(r"<[^>]+>", " ", msgid))
        for piece in re.split(r"%\(\w+\)[sd]|%[sd]|\{\{.*?\}\}|\n", text):
            piece = " ".join(piece.split())
            if len(piece) >= MIN_FRAGMENT and piece not in english:
                fragments.add(piece)
    return fragments


def visible_text(content: str) -> str:
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", content, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", content)).split())


def links(content: str) -> list[str]:
    found = []
    for href in re.findall(r'href="(/[^"]*)"', content):
        path = urlsplit(html.unescape(href)).path
        if not SKIP.search(path) and path not in found:
            found.append(path)
    return found


def test_every_page_a_role_reaches_is_english(client, settings):
    settings.DEBUG = True
    load_demo()
    settings.DEBUG = False
    fragments = dutch_fragments()
    assert len(fragments) > 300  # the catalogue was read
    problems: dict[str, list[str]] = {}
    for username in ROLES:
        client.logout()
        client.cookies["django_language"] = "en"
        if username:
            client.force_login(User.objects.get(username=username))
        start = "/mijn-taken/" if username else "/"
        queue, seen = [start], set()
        while queue and len(seen) < PAGES_PER_ROLE:
            path = queue.pop(0)
            if path in seen:
                continue
            seen.add(path)
            response = client.get(path)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            content = response.content.decode()
            text = visible_text(content)
            dutch = sorted(f for f in fragments if f in text)
            if dutch:
                problems[f"{username or 'anonymous'} {path}"] = dutch[:5]
            if path == start:
                queue += [p for p in links(content) if p not in seen]
    assert problems == {}
