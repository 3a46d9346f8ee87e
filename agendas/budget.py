"""Budget figures of an agenda, computed from its budget lines. No Django.

All amounts are whole euros (``int``); shares are ``Fraction`` so nothing is
rounded until a page or export formats it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

# Funding source -> group, in the order of the budget table's columns.
SOURCE_GROUPS: dict[str, str] = {
    "rijk": "rijk",
    "municipalities": "region",
    "province": "region",
    "water_board": "region",
    "eu_erdf": "eu",
    "eu_esf": "eu",
    "eu_jtf": "eu",
    "eu_interreg": "eu",
    "private": "private",
    "other": "other",
}
SOURCES: tuple[str, ...] = tuple(SOURCE_GROUPS)
GROUPS: tuple[str, ...] = ("rijk", "region", "eu", "private", "other")


@dataclass(frozen=True)
class Line:
    year: int
    source: str
    amount: int


@dataclass
class BudgetSummary:
    years: list[int]
    cells: dict[tuple[int, str], int] = field(default_factory=dict)
    by_year: dict[int, int] = field(default_factory=dict)
    by_source: dict[str, int] = field(default_factory=dict)
    by_group: dict[str, int] = field(default_factory=dict)
    total: int = 0

    @property
    def rijk_total(self) -> int:
        return self.by_group.get("rijk", 0)

    @property
    def cofinancing_total(self) -> int:
        return self.total - self.rijk_total

    @property
    def rijk_share(self) -> Fraction | None:
        """Part of the total requested from the Rijk; None without any budget."""
        return Fraction(self.rijk_total, self.total) if self.total else None

    @property
    def cofinancing_ratio(self) -> Fraction | None:
        """Everything not requested from the Rijk, divided by the total."""
        return Fraction(self.cofinancing_total, self.total) if self.total else None

    def group_rows(self) -> list[tuple[int, list[int], int]]:
        """(year, amounts per source group in GROUPS order, year total) for every year."""
        rows = []
        for year in self.years:
            amounts = [0] * len(GROUPS)
            for source in SOURCES:
                amounts[GROUPS.index(SOURCE_GROUPS[source])] += self.cells.get((year, source), 0)
            rows.append((year, amounts, self.by_year.get(year, 0)))
        return rows

    def rows(self) -> list[tuple[int, list[int], int]]:
        """(year, amounts per source in SOURCES order, year total) for every year."""
        return [
            (year, [self.cells.get((year, s), 0) for s in SOURCES], self.by_year.get(year, 0)) for year in self.years
        ]


def summarise(lines: Iterable[Line], years: Iterable[int]) -> BudgetSummary:
    """Add up budget lines per year, source and group.

    Years outside ``years`` still count (they cannot occur through the
    services, but a summary must never hide money).
    """
    cells: dict[tuple[int, str], int] = defaultdict(int)
    for line in lines:
        cells[(line.year, line.source)] += line.amount
    all_years = sorted(set(years) | {year for year, _ in cells})
    summary = BudgetSummary(years=all_years, cells=dict(cells))
    for (year, source), amount in cells.items():
        summary.by_year[year] = summary.by_year.get(year, 0) + amount
        summary.by_source[source] = summary.by_source.get(source, 0) + amount
        group = SOURCE_GROUPS[source]
        summary.by_group[group] = summary.by_group.get(group, 0) + amount
        summary.total += amount
    return summary
