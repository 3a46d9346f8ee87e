"""Data stewards' tasks for *Mijn taken*: imports that wait or failed."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import GlobalRole
from core.worklist import Task, register
from regions.models import ImportJob
from regions.permissions import can_import_data


def steward_tasks(user) -> list[Task]:
    """Imports queued or running, and failed imports of a source that has not been imported again since (one query)."""
    if not can_import_data(user):
        return []
    later = ImportJob.objects.filter(source_key=OuterRef("source_key"), created_at__gt=OuterRef("created_at"))
    jobs = (
        ImportJob.objects.filter(
            Q(status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING])
            | Q(status=ImportJob.Status.FAILED) & ~Exists(later)
        )
        .only("pk", "file_name", "source_key", "status", "message", "created_at")
        .order_by("created_at", "pk")
    )
    label = str(GlobalRole.DATA_STEWARD.label)
    tasks = []
    for job in jobs:
        failed = job.status == ImportJob.Status.FAILED
        tasks.append(
            Task(
                role=GlobalRole.DATA_STEWARD.value,
                role_label=label,
                kind="import.failed" if failed else "import.waiting",
                title=(_("Import mislukt: %(file)s") if failed else _("Import wacht: %(file)s"))
                % {"file": job.file_name},
                detail=(job.message or _("Bekijk wat er misging en upload het bestand opnieuw."))
                if failed
                else _("Status: %(status)s. Blijft een import lang wachten, kijk dan of de achtergrondtaken draaien.")
                % {"status": job.get_status_display().lower()},
                context=job.source_key,
                url=reverse("regions:import-job", args=[job.pk]),
                action=_("Import bekijken"),
            )
        )
    return tasks


def register_worklist() -> None:
    register(steward_tasks)
