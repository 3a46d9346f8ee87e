"""Two imports of the same file at the same moment create one version (PostgreSQL row locks)."""

import threading
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.db import connection

from regions import importers
from regions.models import Dataset

DATA = Path(settings.BASE_DIR) / "regions" / "data"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_parallel_imports_of_the_same_file_make_one_version(real_data):
    source = next(
        s
        for s in yaml.safe_load((DATA / "indicator_mapping.yaml").read_text())["sources"]
        if s["key"] == "cbs-85618-kwb-2023"
    )
    text = (DATA / "cbs" / "kwb2023_gemeenten.csv").read_text(encoding="utf-8")
    changed = text.replace("GM0034,Almere,222825", "GM0034,Almere,222826", 1).encode()
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(importers.import_source(source, changed, filename="kwb.csv"))
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(r.status for r in results) == ["new_version", "unchanged"]
    assert list(
        Dataset.objects.filter(source_key=source["key"]).values_list("version", flat=True).order_by("version")
    ) == [1, 2]
