"""The data steward's upload: dry run, confirm, job, and who may use it."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from regions import services
from regions.models import Dataset, ImportJob, IndicatorValue
from tests.factories import make_user
from tests.helpers import changed_kwb

KWB_FILE = Path(settings.BASE_DIR) / "regions" / "data" / "cbs" / "kwb2023_gemeenten.csv"


@pytest.fixture
def steward(db):
    return make_user("steward", role="data_steward")


def upload(client, data: bytes, name="kwb.csv"):
    return client.post("/regios/importeren/", {"source": "cbs-85618-kwb-2023", "file": SimpleUploadedFile(name, data)})


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, "reviewer", "rijk_official"])
def test_it_is_only_for_data_stewards(client, role):
    client.force_login(make_user("someone", role=role))
    assert client.get("/regios/importeren/").status_code == 403
    assert upload(client, changed_kwb()).status_code == 403
    assert Dataset.objects.filter(source_key="cbs-85618-kwb-2023").count() == 1


@pytest.mark.django_db
def test_anonymous_users_are_refused(client):
    assert client.get("/regios/importeren/").status_code == 403


@pytest.mark.django_db
def test_it_shows_a_dry_run_then_queues_the_import(client, steward, django_capture_on_commit_callbacks):
    client.force_login(steward)
    response = upload(client, changed_kwb())
    assert response.status_code == 200
    assert "1 gewijzigde waarden" in response.content.decode()
    assert Dataset.objects.filter(source_key="cbs-85618-kwb-2023").count() == 1  # nothing written yet
    token = response.context["token"]

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post("/regios/importeren/", {"token": token})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == f"/regios/importeren/{job.pk}/"
    assert len(callbacks) == 1  # the task is sent only after the commit

    services.import_job_run(job_id=job.pk)  # what the worker does
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert job.dataset.version == 2
    assert IndicatorValue.objects.get(
        dataset=job.dataset, indicator__code="afstand-huisarts", region__code="GM0114"
    ).value == Decimal("9.9")
    assert "Klaar" in client.get(f"/regios/importeren/{job.pk}/").content.decode()


@pytest.mark.django_db
def test_running_a_job_twice_imports_once(steward):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    path = default_storage.save("imports/test.csv", ContentFile(changed_kwb()))
    job = ImportJob.objects.create(
        source_key="cbs-85618-kwb-2023", file_path=path, file_name="kwb.csv", created_by=steward
    )
    services.import_job_run(job_id=job.pk)
    services.import_job_run(job_id=job.pk)
    assert Dataset.objects.filter(source_key="cbs-85618-kwb-2023").count() == 2


@pytest.mark.django_db
def test_a_bad_file_gets_an_inline_error_and_changes_nothing(client, steward):
    client.force_login(steward)
    text = KWB_FILE.read_text(encoding="utf-8").replace("GM0034,Almere,222825", "GM0034,Almere,-5", 1)
    response = upload(client, text.encode())
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors == [
        'kwb.csv, regel 3: kolom "inwoners_aantal": negatieve waarde -5 voor Inwoners (Kerncijfers wijken en buurten)'
    ]
    assert "aria-invalid" in response.content.decode() or "utrecht-form-field--invalid" in response.content.decode()
    assert ImportJob.objects.count() == 0


@pytest.mark.django_db
def test_a_tampered_token_is_refused(client, steward):
    client.force_login(steward)
    response = client.post("/regios/importeren/", {"token": "forged"}, follow=True)
    assert "verlopen of ongeldig" in response.content.decode()
    assert ImportJob.objects.count() == 0


@pytest.mark.django_db
def test_an_unchanged_file_needs_no_import(client, steward):
    client.force_login(steward)
    response = upload(client, KWB_FILE.read_bytes())
    assert "er verandert niets" in response.content.decode()
    assert response.context["token"] is None
