"""Writes of regions that are not imports: custom regions."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from activity.events import record_event
from regions import importers
from regions.models import Dataset, ImportJob, Region, RegionMunicipality

# Longer than the task's hard time limit: a job still "running" after this
# was abandoned by a worker that died.
RUNNING_TIMEOUT = datetime.timedelta(minutes=10)


@transaction.atomic
def custom_region_save(*, code: str, name: str, municipality_codes: Iterable[str], description: str = "") -> Region:
    """Create or update a custom region made of municipalities (e.g. the Veenkoloniën).

    Before: ``code`` starts with "RG-"; every code is a municipality.
    After: the region's membership rows are exactly those municipalities.
    """
    codes = sorted(set(municipality_codes))
    if not code.startswith("RG-"):
        raise ValidationError({"code": _("De code van een eigen regio begint met RG-.")})
    municipalities = list(Region.objects.filter(kind=Region.Kind.MUNICIPALITY, code__in=codes))
    unknown = sorted(set(codes) - {m.code for m in municipalities})
    if unknown:
        raise ValidationError({"municipalities": _("Onbekende gemeente(n): %(codes)s") % {"codes": ", ".join(unknown)}})
    if not municipalities:
        raise ValidationError({"municipalities": _("Een regio bestaat uit minstens één gemeente.")})
    region, _created = Region.objects.update_or_create(
        code=code, defaults={"name": name, "kind": Region.Kind.CUSTOM, "description": description}
    )
    RegionMunicipality.objects.filter(region=region).exclude(municipality__in=municipalities).delete()
    present = set(RegionMunicipality.objects.filter(region=region).values_list("municipality_id", flat=True))
    RegionMunicipality.objects.bulk_create(
        [RegionMunicipality(region=region, municipality=m) for m in municipalities if m.pk not in present]
    )
    return region


def import_job_enqueue(*, source_key: str, file_path: str, file_name: str, user) -> ImportJob:
    """Queue a confirmed upload; the task is sent only after the transaction commits."""
    from regions.tasks import run_import_job

    with transaction.atomic():
        job = ImportJob.objects.create(source_key=source_key, file_path=file_path, file_name=file_name, created_by=user)
        record_event(actor=user, verb="dataset.import_queued", target=job, data={"source": source_key})
        # robust: a broker that is down must not turn the confirmed upload into an error page;
        # the job stays queued and is listed on the data page.
        transaction.on_commit(lambda: run_import_job.delay(job.pk), robust=True)
    return job


def import_job_run(*, job_id: int) -> ImportJob:
    """Run a queued import job once.

    The job is claimed with a conditional UPDATE (queued -> running), so a
    duplicated or redelivered task does nothing. A job left "running" by a
    worker that died is re-claimed after RUNNING_TIMEOUT: the import itself
    is atomic and idempotent (same file = no new version), so running it
    again cannot import twice.
    """
    stale = timezone.now() - RUNNING_TIMEOUT
    claimed = (
        ImportJob.objects.filter(pk=job_id)
        .filter(Q(status=ImportJob.Status.QUEUED) | Q(status=ImportJob.Status.RUNNING, started_at__lt=stale))
        .update(status=ImportJob.Status.RUNNING, started_at=timezone.now())
    )
    job = ImportJob.objects.get(pk=job_id)
    if not claimed:
        return job
    sources = {s["key"]: s for s in importers.load_mapping()["sources"]}
    try:
        with default_storage.open(job.file_path, "rb") as stored:
            data = stored.read()
        result = importers.import_source(sources[job.source_key], data, filename=job.file_name, user=job.created_by)
    except (importers.ImportProblem, KeyError, OSError) as problem:
        job.status, job.message = ImportJob.Status.FAILED, str(problem)
    else:
        job.status = ImportJob.Status.DONE
        job.dataset = Dataset.objects.filter(source_key=job.source_key, version=result.version).first()
        job.message = (
            gettext("Geen wijzigingen: deze versie was al geïmporteerd.")
            if result.status == "unchanged"
            else gettext("Versie %(version)s met %(count)s waarden.")
            % {"version": result.version, "count": result.value_count}
        )
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "message", "dataset", "finished_at"])
    record_event(actor=job.created_by, verb=f"dataset.import_{job.status}", target=job, data={"message": job.message})
    if job.status == ImportJob.Status.DONE:
        default_storage.delete(job.file_path)
    return job
