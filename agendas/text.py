"""The one rule for free text of an agenda, before it is stored and before it is compared. No Django.

A browser sends a textarea's line breaks as CRLF, the API and the demo data
as LF; unchanged text saved from the form would otherwise count as changed,
and the comparison would show empty struck-out and underlined fragments.
"""

from __future__ import annotations

import re
from typing import Any

_LINE_BREAK = re.compile(r"\r\n?|[\u2028\u2029]")
# Two or more spaces at the end of a line: Markdown's hard line break.
_HARD_BREAK = "  "


def _trim_line(line: str) -> str:
    trimmed = line.rstrip()
    if trimmed and line[len(trimmed) :].startswith(_HARD_BREAK) and not line[len(trimmed) :].strip(" "):
        return trimmed + _HARD_BREAK
    return trimmed


def normalise_text(text: str) -> str:
    """Line breaks as LF, no whitespace at the end of a line or at either end of the text.

    Two or more spaces at the end of a line (a hard line break in Markdown) become exactly two.
    """
    lines = _LINE_BREAK.sub("\n", text).split("\n")
    return "\n".join(_trim_line(line) for line in lines).strip()


def normalise_values(value: Any) -> Any:
    """``normalise_text`` applied to every string inside a snapshot value (lists and dicts included)."""
    if isinstance(value, str):
        return normalise_text(value)
    if isinstance(value, list):
        return [normalise_values(item) for item in value]
    if isinstance(value, dict):
        return {key: normalise_values(item) for key, item in value.items()}
    return value
