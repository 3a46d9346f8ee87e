from __future__ import annotations

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.public_cache import public_cache
from regions import importers, selectors, services
from regions.examples import REPORT_REGIONS
from regions.forms import DatasetUploadForm, RegionSearchForm
from regions.mapview import netherlands_map
from regions.models import Dataset, ImportJob, Indicator, Region
from regions.panels import REGION_PAGE, region_list_marks
from regions.permissions import can_import_data

REPORT_REGION_CODES = frozenset(example.code for example in REPORT_REGIONS)


@public_cache
def region_list(request):
    form = RegionSearchForm(request.GET or None)
    query = kind = ""
    if form.is_valid():
        query, kind = form.cleaned_data["q"].strip(), form.cleaned_data["kind"]
    page = Paginator(selectors.regions_for_list(query=query, kind=kind), 100).get_page(request.GET.get("page"))
    regions = list(page.object_list)
    marks = region_list_marks(request, [r.pk for r in regions])
    groups = []
    for group_kind in selectors.LIST_ORDER:
        members = [(r, marks.get(r.pk, [])) for r in regions if r.kind == group_kind]
        if members:
            groups.append((Region.Kind(group_kind).label, group_kind, members))
    return render(
        request,
        "regions/region_list.html",
        {"form": form, "page": page, "query": query, "kind": kind, "groups": groups},
    )


@public_cache
def region_detail(request, code: str):
    region = get_object_or_404(Region.objects.select_related("province", "corop"), code=code)
    profile = selectors.region_profile(region)
    members = set(profile.municipalities)
    municipal_map, province_map = netherlands_map()
    return render(
        request,
        "regions/region_detail.html",
        {
            "region": region,
            "report_example": region.code in REPORT_REGION_CODES,
            "profile": profile,
            "members": members,
            "member_regions": Region.objects.filter(code__in=members).order_by("name") if len(members) > 1 else [],
            "municipal_map": municipal_map,
            "province_map": province_map,
            "population": selectors.population(region, 2023, codes=profile.municipalities),
            "source_titles": {d.source_key: d.title for d in selectors.current_datasets()},
            "panels": REGION_PAGE.panels(request, region),
        },
    )


@public_cache
def about_data(request):
    datasets = Dataset.objects.annotate(n=Count("values")).order_by("source_key", "-version")
    indicators = Indicator.objects.prefetch_related("themes").order_by("code")
    return render(
        request,
        "regions/about_data.html",
        {
            "datasets": datasets,
            "indicators": indicators,
            "coverage": selectors.indicator_coverage(),
        },
    )


_UPLOAD_SALT = "regions.dataset-upload"


@require_http_methods(["GET", "POST"])
def dataset_upload(request):
    """Data stewards upload a new version of a source: first a dry run, then the import.

    The uploaded file goes to Django's storage (not local memory or disk of
    this process), so the confirming request may land on another web process.
    """
    if not can_import_data(request.user):
        raise PermissionDenied
    mapping = importers.load_mapping()
    sources = {s["key"]: s for s in mapping["sources"]}
    if request.method == "POST" and "token" in request.POST:
        return _confirm_upload(request, sources)
    form = DatasetUploadForm(request.POST or None, request.FILES or None, sources=mapping["sources"])
    preview = token = None
    if request.method == "POST" and form.is_valid():
        source = sources[form.cleaned_data["source"]]
        data = form.cleaned_data["file"].read()
        try:
            preview = importers.import_source(source, data, filename=form.cleaned_data["file"].name, dry_run=True)
        except importers.ImportProblem as problem:
            form.add_error("file", str(problem))
        else:
            if preview.status != "unchanged":
                stored = default_storage.save(f"imports/{source['key']}.csv", ContentFile(data))
                token = signing.dumps(
                    {"path": stored, "source": source["key"], "name": form.cleaned_data["file"].name}, salt=_UPLOAD_SALT
                )
    return render(request, "regions/dataset_upload.html", {"form": form, "preview": preview, "token": token})


def _confirm_upload(request, sources):
    try:
        ticket = signing.loads(request.POST["token"], salt=_UPLOAD_SALT, max_age=3600)
    except signing.BadSignature:
        messages.error(request, _("Deze controle is verlopen of ongeldig. Upload het bestand opnieuw."))
        return redirect("regions:import")
    source = sources.get(ticket["source"])
    if source is None or not default_storage.exists(ticket["path"]):
        messages.error(request, _("Het gecontroleerde bestand is niet meer beschikbaar. Upload het opnieuw."))
        return redirect("regions:import")
    job = services.import_job_enqueue(
        source_key=source["key"], file_path=ticket["path"], file_name=ticket["name"], user=request.user
    )
    return redirect("regions:import-job", job_id=job.pk)


def import_job_detail(request, job_id: int):
    if not can_import_data(request.user):
        raise PermissionDenied
    job = get_object_or_404(ImportJob.objects.select_related("dataset"), pk=job_id)
    return render(request, "regions/import_job.html", {"job": job})
