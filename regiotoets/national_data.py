"""Register entries in the synthetic national data set (``funding.national_data``, ``generate_national_data``).

At ``scale=1``: 200 entries of the ministries in the catalogue, each for 1 to
20 real regions (mostly municipalities, some COROP areas, provinces and the
data set's custom regions) with 1 to 4 effects on real themes, a third of them
negative. Everything is labelled "(synthetisch)", like the rest of the data
set. Written with ``bulk_create`` in the generator's transaction; no
notifications (nobody is told of synthetic entries).
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from regions.models import Region, Theme
from regiotoets.models import Effect, Entry, EntryRegion
from regiotoets.selectors import SELECTABLE_KINDS
from signals.demo import ensure_ministries
from signals.models import Ministry

LABEL = "(synthetisch)"
FULL_ENTRIES = 200
MAX_REGIONS = 20
MAX_EFFECTS = 4
# The kinds an entry names, weighted: most decisions are about places, some about larger regions.
KIND_WEIGHTS = {
    Region.Kind.MUNICIPALITY: 70,
    Region.Kind.COROP: 15,
    Region.Kind.PROVINCE: 5,
    Region.Kind.CUSTOM: 10,
}


def generate_entries(*, scale: float, rng: random.Random) -> dict[str, int]:
    """``round(200 * scale)`` entries (at least one) with their regions and effects; returns the rows made."""
    ensure_ministries()
    ministries = list(Ministry.objects.filter(is_active=True).order_by("slug"))
    themes = list(Theme.objects.order_by("position"))
    regions: dict[str, list[int]] = {kind: [] for kind in SELECTABLE_KINDS}
    for pk, kind in Region.objects.filter(kind__in=SELECTABLE_KINDS).order_by("code").values_list("pk", "kind"):
        regions[kind].append(pk)
    kinds = [kind for kind in KIND_WEIGHTS if regions[kind]]
    weights = [KIND_WEIGHTS[kind] for kind in kinds]
    count = max(1, round(FULL_ENTRIES * scale))
    now = timezone.now()
    today = timezone.localdate(now)
    prefix = f"RT-{today.year}-S"
    entries = []
    for number in range(1, count + 1):
        status = rng.choice(Entry.Status.values)
        days = rng.randint(0, 720)
        date = (
            today - datetime.timedelta(days=days)
            if status == Entry.Status.DECISION
            else today + datetime.timedelta(days=days)
        )
        kind = rng.choice(Entry.Kind.values)
        entries.append(
            Entry(
                reference=f"{prefix}{number:04d}",
                title=f"{Entry.Kind(kind).label} {number} {LABEL}",
                summary=f"Een verzonnen rijksbesluit voor benchmarks en tests {LABEL}; geen echt besluit.",
                ministry=rng.choice(ministries),
                decision_date=date,
                kind=kind,
                status=status,
                created_at=now,
                updated_at=now,
            )
        )
    Entry.objects.bulk_create(entries)
    links, effects = [], []
    for entry in entries:
        chosen: set[int] = set()
        for _ in range(rng.randint(1, MAX_REGIONS)):
            kind = rng.choices(kinds, weights)[0]
            chosen.add(rng.choice(regions[kind]))
        links += [EntryRegion(entry=entry, region_id=region_id) for region_id in sorted(chosen)]
        for theme in rng.sample(themes, rng.randint(1, min(MAX_EFFECTS, len(themes)))):
            expected = rng.choice(Effect.Expected.values)
            effects.append(
                Effect(entry=entry, theme=theme, expected=expected, reason=f"Verzonnen reden {LABEL}.", evidence="")
            )
    EntryRegion.objects.bulk_create(links, batch_size=5000)
    Effect.objects.bulk_create(effects, batch_size=5000)
    return {"regiotoets_entries": len(entries), "regiotoets_regions": len(links), "regiotoets_effects": len(effects)}
