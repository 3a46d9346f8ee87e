"""Writes of regions: custom regions, and the data stewards' import jobs (the import itself: regions.importers)."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from activity.events import record_event
from core import background
from regions import importers
from regions.models import Dataset, ImportJob, Region, RegionMunicipality

logger = logging.getLogger(__name__)

# A job claimed this often (each time its worker died mid-import) is failed instead of tried again.
IMPORT_MAX_ATTEMPTS = 3
# A queued job is normally picked up within seconds; one still queued this long after its
# message was sent lost that message.
IMPORT_SWEEP_AFTER = datetime.timedelta(minutes=1)


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
    """Queue a confirmed upload; the task is sent only after the transaction commits.

    A broker that does not take the message never fails the confirmation:
    the job stays queued and the sweep (``import_jobs_requeue``) sends it again.
    """
    from regions.tasks import run_import_job

    with transaction.atomic():
        job = ImportJob.objects.create(
            source_key=source_key, file_path=file_path, file_name=file_name, created_by=user, sent_at=timezone.now()
        )
        record_event(actor=user, verb="dataset.import_queued", target=job, data={"source": source_key})
        background.enqueue_on_commit(run_import_job, job.pk)
    return job


def import_takeover_after() -> datetime.timedelta:
    """A job "running" this long was abandoned by a worker that died: longer than the task's hard time limit."""
    return datetime.timedelta(seconds=settings.IMPORT_TAKEOVER_SECONDS)


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run a queued import job once; None when there is no such job.

    The job is claimed with a conditional UPDATE (queued -> running, one more
    attempt), so a duplicated or redelivered task does nothing. A job left
    "running" by a worker that died is claimed again after
    ``import_takeover_after()``: the import itself is atomic and idempotent
    (same file = no new version), so running it again cannot import twice,
    and the attempt fences the result, so only the last claimer writes it.
    After MAX_ATTEMPTS claims (a file that kills its workers) the job fails.
    Whatever goes wrong in the import, the job ends failed with a message.
    """
    now = timezone.now()
    claimable = Q(status=ImportJob.Status.QUEUED) | Q(
        status=ImportJob.Status.RUNNING, started_at__lt=now - import_takeover_after()
    )
    claimed = ImportJob.objects.filter(claimable, pk=job_id, attempts__lt=IMPORT_MAX_ATTEMPTS).update(
        status=ImportJob.Status.RUNNING, started_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        given_up = ImportJob.objects.filter(claimable, pk=job_id, attempts__gte=IMPORT_MAX_ATTEMPTS).update(
            status=ImportJob.Status.FAILED,
            finished_at=now,
            message=gettext("Gestopt na %(count)s pogingen: de import brak steeds af. Probeer het opnieuw.")
            % {"count": IMPORT_MAX_ATTEMPTS},
        )
        job = ImportJob.objects.filter(pk=job_id).first()
        if given_up:
            record_event(actor=job.created_by, verb="dataset.import_failed", target=job, data={"message": job.message})
        return job
    job = ImportJob.objects.get(pk=job_id)
    attempt = job.attempts
    dataset = None
    try:
        result = _import(job)
    except importers.ImportProblem as problem:
        status, message = ImportJob.Status.FAILED, str(problem)
    except SoftTimeLimitExceeded:
        status, message = (
            ImportJob.Status.FAILED,
            gettext(
                "De import duurde te lang en is afgebroken. Er is niets geïmporteerd; de vorige versie van de gegevens"
                " blijft gelden."
            ),
        )
    except Exception as error:
        # Anything else (a bug, the database, the time limit): the import rolled back as a whole,
        # and the job must not stay "running" for ever.
        logger.exception("Import job %s failed", job_id)
        status, message = ImportJob.Status.FAILED, unexpected_failure(error)
    else:
        status = ImportJob.Status.DONE
        dataset = Dataset.objects.filter(source_key=job.source_key, version=result.version).first()
        message = (
            gettext("Geen wijzigingen: deze versie was al geïmporteerd.")
            if result.status == "unchanged"
            else gettext("Versie %(version)s met %(count)s waarden.")
            % {"version": result.version, "count": result.value_count}
        )
    finished = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.RUNNING, attempts=attempt).update(
        status=status, message=message, dataset=dataset, finished_at=timezone.now()
    )
    job.refresh_from_db()
    if not finished:
        logger.warning("Import job %s (attempt %s) was taken over by another worker", job_id, attempt)
        return job
    record_event(actor=job.created_by, verb=f"dataset.import_{job.status}", target=job, data={"message": job.message})
    if job.status == ImportJob.Status.DONE:
        default_storage.delete(job.file_path)
    return job


def _import(job: ImportJob) -> importers.SourceResult:
    sources = {s["key"]: s for s in importers.load_mapping()["sources"]}
    source = sources.get(job.source_key)
    if source is None:
        raise importers.ImportProblem(
            job.file_name, gettext("de bron %(key)s bestaat niet meer") % {"key": job.source_key}
        )
    try:
        with default_storage.open(job.file_path, "rb") as stored:
            data = stored.read()
    except OSError as error:
        raise importers.ImportProblem(
            job.file_name,
            gettext("het geüploade bestand is niet meer beschikbaar (%(error)s); upload het opnieuw")
            % {"error": error},
        ) from error
    return importers.import_source(source, data, filename=job.file_name, user=job.created_by)


def unexpected_failure(error: BaseException) -> str:
    """The job's message for an error nobody foresaw: what happened, and that nothing was imported."""
    detail = (str(error).strip().splitlines() or [""])[0][:300]
    what = f"{type(error).__name__}: {detail}" if detail else type(error).__name__
    return gettext(
        "De import is mislukt door een onverwachte fout (%(error)s). Er is niets geïmporteerd; de vorige versie"
        " van de gegevens blijft gelden. Probeer het opnieuw of neem contact op met de beheerder."
    ) % {"error": what}


def import_jobs_requeue() -> int:
    """Send the task again for jobs nobody is working on: the imports' part of the sweep (core.background).

    Queued jobs whose message was sent more than IMPORT_SWEEP_AFTER ago (it was
    lost: broker down, or a worker died before starting it) and running jobs
    past their takeover time (their worker died; without this the broker would
    deliver the message again only after its visibility timeout, an hour on
    Redis). Re-sending is harmless: only one worker can claim a job.
    Returns how many were sent.
    """
    now = timezone.now()
    # Not sent in the last IMPORT_SWEEP_AFTER (by the enqueue or an earlier sweep), so that
    # while no worker takes them they are not sent at every sweep.
    quiet = Q(sent_at__lt=now - IMPORT_SWEEP_AFTER) | Q(sent_at__isnull=True, created_at__lt=now - IMPORT_SWEEP_AFTER)
    lost = Q(status=ImportJob.Status.QUEUED) & quiet
    # An abandoned job was last sent before it started; once sent again, it waits like a queued one.
    abandoned = Q(status=ImportJob.Status.RUNNING, started_at__lt=now - import_takeover_after()) & (
        quiet | Q(sent_at__lte=F("started_at"))
    )
    ids = list(ImportJob.objects.filter(lost | abandoned).order_by("created_at").values_list("pk", flat=True)[:100])
    ImportJob.objects.filter(pk__in=ids).update(sent_at=now)
    from regions.tasks import run_import_job

    return sum(background.send(run_import_job, pk) for pk in ids)
