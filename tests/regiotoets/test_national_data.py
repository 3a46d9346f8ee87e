"""The register's part of the synthetic national data set (``generate_national_data``) and the demo's entries."""

from __future__ import annotations

import pytest
from django.db.models import Count
from django.utils import timezone

from activity.models import Notification
from funding.national_data import generate
from kansenagenda.demo import load_demo
from regiotoets import selectors
from regiotoets.models import Entry
from regiotoets.national_data import LABEL

pytestmark = pytest.mark.django_db


def test_the_national_data_set_has_register_entries_at_its_scale(client):
    made = generate(scale=0.05, seed=7)
    assert made["regiotoets_entries"] == Entry.objects.count() == 10
    today = timezone.localdate()
    for entry in Entry.objects.annotate(
        n_regions=Count("regions", distinct=True), n_effects=Count("effects", distinct=True)
    ):
        assert LABEL in entry.title and LABEL in entry.summary
        assert 1 <= entry.n_regions <= 20 and 1 <= entry.n_effects <= 4
        assert entry.decision_date >= today if entry.status == "proposal" else entry.decision_date <= today
    assert client.get("/regiotoets/").status_code == 200
    assert selectors.negative_counts_by_municipality()  # some municipality lags where an entry hurts


def test_the_demo_records_two_labelled_entries_and_tells_parkstad(settings):
    settings.DEBUG = True  # the demo refuses to make people with a known password otherwise
    load_demo()
    titles = sorted(Entry.objects.values_list("title", flat=True))
    assert len(titles) == 2 and all(title.endswith("(demo)") for title in titles)
    parkstad = Entry.objects.get(regions__code="RG-PARKSTAD")
    assert list(parkstad.effects.filter(expected="negative").values_list("theme__code", flat=True)) == ["gezondheid"]
    flagged = Notification.objects.filter(event__verb="regiotoets.flagged")
    assert list(flagged.values_list("recipient__username", flat=True)) == ["parkstad"]
    load_demo()  # again: nothing new
    assert Entry.objects.count() == 2 and flagged.count() == 1
