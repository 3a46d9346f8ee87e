"""A decision's page shows its tranches over the years as a chart (paid, reclaimed, still to pay) with a table."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from funding import monitoring
from funding.views import tranche_chart
from tests.funding.factories import approved_decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def decision(coalition, alice, chair, proposer, approver):
    return approved_decision(coalition, alice, chair, proposer, approver)


def test_the_chart_splits_each_year_into_paid_reclaimed_and_due(decision, approver):
    tranche = decision.tranches.get(year=2026)
    monitoring.tranche_release(
        actor=approver, tranche_id=tranche.pk, verified=True, note="Ok", today=datetime.date(2026, 3, 1)
    )
    monitoring.tranche_reclaim(
        actor=approver, tranche_id=tranche.pk, amount=5_000, reason="Niet besteed", verified=True
    )
    with translation.override("nl"):
        chart = tranche_chart(list(decision.tranches.order_by("year")))
    assert chart.table.header == ["Jaar", "Uitbetaald", "Teruggevorderd", "Nog te betalen", "Totaal"]
    assert chart.table.rows == [
        ["2026", "€\xa055.000", "€\xa05.000", "–", "€\xa060.000"],
        ["2027", "–", "–", "€\xa040.000", "€\xa040.000"],
    ]
    assert chart.summary == (
        "Van €\xa0100.000 is €\xa055.000 uitbetaald, €\xa05.000 teruggevorderd en €\xa040.000 nog te betalen."
    )


def test_the_decision_page_draws_the_chart_for_everyone(client, decision):
    page = client.get(reverse("funding:decision", args=[decision.pk])).content.decode()
    assert "Tranches per jaar" in page and 'class="ka-chart__svg"' in page
    # Coordinates in SVG are plain numbers whatever the language ("240.0", never "240,0").
    coordinates = re.findall(r'<rect class="ka-chart__s\d" x="([^"]+)" y="([^"]+)"', page)
    assert coordinates and all("," not in x + y for x, y in coordinates)
    assert '<div class="ka-table-scroll" role="region" aria-labelledby="tranches-caption" tabindex="0">' in page
