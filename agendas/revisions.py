"""Comparing revisions of an agenda. No Django.

A revision holds the snapshot of one part (header, priority or measure) after
a save. The state of the agenda at revision N is, per part, the newest
snapshot at or before N; a diff compares those states part by part.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from agendas.text import normalise_text, normalise_values

Part = tuple[str, int]  # (part_type, part_id)


class RevisionLike(Protocol):
    number: int
    part_type: str
    part_id: int
    part_label: str
    action: str
    snapshot: dict[str, Any]


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any

    @property
    def is_text(self) -> bool:
        return isinstance(self.before, str | None) and isinstance(self.after, str | None)


@dataclass(frozen=True)
class PartDiff:
    part_type: str
    part_id: int
    label: str
    status: str  # "added", "removed" or "changed"
    changes: list[FieldChange]


def diff_snapshots(before: dict[str, Any], after: dict[str, Any]) -> list[FieldChange]:
    """The fields whose values differ, in the order of the newer snapshot.

    Texts are compared as ``agendas.text.normalise_text`` stores them, so snapshots written before
    that rule (with a browser's CRLF line breaks) do not differ from newer ones by line endings alone.
    """
    keys = list(after) + [key for key in before if key not in after]
    old, new = normalise_values(before), normalise_values(after)
    return [FieldChange(key, old.get(key), new.get(key)) for key in keys if old.get(key) != new.get(key)]


def state_at(revisions: Iterable[RevisionLike], number: int) -> dict[Part, RevisionLike]:
    """Per part, the newest revision at or before ``number``; deleted parts are left out."""
    state: dict[Part, RevisionLike] = {}
    for revision in sorted(revisions, key=lambda r: r.number):
        if revision.number > number:
            break
        state[(revision.part_type, revision.part_id)] = revision
    return {part: revision for part, revision in state.items() if revision.action != "deleted"}


PART_ORDER = {"header": 0, "priority": 1, "measure": 2}


def compare(revisions: Iterable[RevisionLike], older: int, newer: int) -> list[PartDiff]:
    """What changed between two revision numbers, part by part (header first)."""
    revisions = list(revisions)
    if older > newer:
        older, newer = newer, older
    before, after = state_at(revisions, older), state_at(revisions, newer)
    diffs: list[PartDiff] = []
    for part in sorted(set(before) | set(after), key=lambda p: (PART_ORDER.get(p[0], 9), p[1])):
        old, new = before.get(part), after.get(part)
        if old is not None and new is not None and old.number == new.number:
            continue
        old_snapshot = old.snapshot if old else {}
        new_snapshot = new.snapshot if new else {}
        changes = diff_snapshots(old_snapshot, new_snapshot)
        if not changes:
            continue
        status = "added" if old is None else "removed" if new is None else "changed"
        label = (new or old).part_label  # type: ignore[union-attr]
        diffs.append(PartDiff(part[0], part[1], label, status, changes))
    return diffs


_WORDS = re.compile(r"\s+|[^\s]+")


def text_diff(before: str | None, after: str | None) -> list[tuple[str, str]]:
    """A word-level diff for display: (op, text) with op "=", "-" or "+".

    Only words are struck out or underlined: a change of whitespace alone (a line break more or
    less) is shown as the new text, never as an empty fragment.
    """
    old = _WORDS.findall(normalise_text(before or ""))
    new = _WORDS.findall(normalise_text(after or ""))
    result: list[tuple[str, str]] = []

    def add(op: str, text: str) -> None:
        if op != "=" and not text.strip():
            if op == "-":
                return
            op = "="
        if result and result[-1][0] == op:
            result[-1] = (op, result[-1][1] + text)
        elif text:
            result.append((op, text))

    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            add("=", "".join(old[i1:i2]))
            continue
        if i2 > i1:
            add("-", "".join(old[i1:i2]))
        if j2 > j1:
            add("+", "".join(new[j1:j2]))
    return result
