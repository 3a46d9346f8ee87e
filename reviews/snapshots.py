"""The frozen form of a submitted agenda, and its SHA-256 content hash.

The canonical JSON form (documented in ``docs/submission-snapshot.md``):

* the snapshot is a JSON object of objects, arrays, strings, integers,
  booleans and null only — amounts are integers (whole euros), decimal
  indicator values are strings in plain notation without trailing zeros
  (``"12.5"``, ``"100"``), never floats;
* lists keep the agenda's order (priorities and measures by position, then
  id; goal links by catalogue, goal position, id; budget lines by year and
  source; themes by position);
* encoded with ``json.dumps(snapshot, ensure_ascii=False, sort_keys=True,
  separators=(",", ":"), allow_nan=False)`` as UTF-8 bytes;
* the content hash is the lowercase hex SHA-256 of those bytes.

Anyone with the snapshot (the API returns it) can recompute the hash.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

from agendas.models import Agenda
from agendas.selectors import agenda_document

FORMAT = "kansenagenda-snapshot/1"


def canonical_json(snapshot: dict[str, Any]) -> bytes:
    return json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False).encode(
        "utf-8"
    )


def content_hash(snapshot: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(snapshot)).hexdigest()


def _decimal(value: Decimal | None) -> str | None:
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _org(organisation) -> dict[str, Any] | None:
    if organisation is None:
        return None
    return {"id": organisation.pk, "name": organisation.name}


def _goals(links) -> list[dict[str, Any]]:
    return [
        {
            "catalogue": link.goal.catalogue,
            "code": link.goal.code,
            "goal": (link.goal.parent or link.goal).code,
            "title": link.goal.short_nl or link.goal.title_nl,
            "contribution": link.contribution,
            "strength": link.strength,
        }
        for link in links
    ]


def build_snapshot(agenda: Agenda, *, organisations: list | None = None) -> dict[str, Any]:
    """The agenda as it is now, from an agenda loaded with ``selectors.agenda_queryset``.

    ``organisations`` are the coalition's member organisations at the time
    (the review's conflict-of-interest check also reads them from here).
    """
    document = agenda_document(agenda)
    return {
        "format": FORMAT,
        "agenda_id": agenda.pk,
        "revision": agenda.revision_count,
        "coalition": {"id": agenda.coalition_id, "name": agenda.coalition.name},
        "organisations": [_org(o) for o in (organisations or [])],
        "region": {"code": agenda.region.code, "name": agenda.region.name},
        "title": agenda.title,
        "summary": agenda.summary,
        "vision": agenda.vision,
        "start_year": agenda.start_year,
        "end_year": agenda.end_year,
        "lead_partner": _org(agenda.lead_partner),
        "themes": [t.code for t in document.themes],
        "priorities": [
            {
                "id": p.pk,
                "title": p.title,
                "kind": p.kind,
                "description": p.description,
                "themes": [t.code for t in sorted(p.themes.all(), key=lambda t: (t.position, t.pk))],
                "goals": _goals(p.goal_links.all()),
                "targets": [
                    {
                        "indicator": t.indicator.code,
                        "name": t.indicator.name_nl,
                        "unit": t.indicator.unit,
                        "baseline_year": t.baseline_year,
                        "baseline_value": _decimal(t.baseline_value),
                        "baseline_from_data": t.baseline_from_data,
                        "target_year": t.target_year,
                        "target_value": _decimal(t.target_value),
                    }
                    for t in p.targets.all()
                ],
                "measures": [
                    {
                        "id": m.pk,
                        "title": m.title,
                        "description": m.description,
                        "lead_organisation": _org(m.lead_organisation),
                        "start_year": m.start_year,
                        "end_year": m.end_year,
                        "status": m.status,
                        "goals": _goals(m.goal_links.all()),
                        "budget": [
                            {"year": b.year, "source": b.source, "amount": b.amount} for b in m.budget_lines.all()
                        ],
                    }
                    for m in p.measures.all()
                ],
            }
            for p in document.priorities
        ],
    }
