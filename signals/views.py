"""The pages of signals.

* Public (``/openbaar/signalen/``): the public signals with their status and
  answers, filtered by a GET form (a wrong value is a 400 with the error at
  its field), 50 a page, with the figures per ministry; one signal; the list as
  CSV. Cached per public data version for anonymous visitors. No person is
  named on them.
* The working pages (``/signalen/``, logged in): the coalition's signals for
  its members, "Signalen aan <ministerie>" for its officials, filing from the
  agenda, and a signal's page with the ministry's forms. A signal that is not
  public is a 404 for everyone but the coalition's members and the addressed
  ministry's officials; anyone else who opens the working page of a public
  signal is sent to its public page.
* The catalogue (``/signalen/ministeries/``): the programme administrators
  keep the ministries, their terms and their officials (403 for others).

Every write calls one service; what it refuses is shown at its field (400).
"""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, IntegerField, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import GlobalRole, User
from agendas.models import Agenda
from agendas.panels import AGENDA_PAGE
from coalitions.models import Coalition, CoalitionMembership
from coalitions.panels import COALITION_PAGE
from coalitions.permissions import coalition_permissions
from core.documents import CSV_DELIMITER, neutralise
from core.formatting import in_language
from core.forms import apply_errors
from core.panels import Panel
from core.public_cache import public_cache
from signals import permissions, selectors, services, workflow
from signals.forms import SERVICE_FIELDS, AnswerForm, MinistryForm, OfficialForm, SignalFilterForm, SignalForm
from signals.models import Ministry, MinistryOfficial, Signal

# --- public ------------------------------------------------------------------------------------


def filter_form(params):
    """The filter form bound to ``params`` (when there are any) and the ministries it offers (3 queries)."""
    ministries, regions, themes = selectors.filter_choices()
    form = SignalFilterForm(params or None, ministries=ministries, regions=regions, themes=themes)
    return form, ministries


@require_GET
@public_cache
def public_list(request):
    """Public signals, newest first, 50 a page, with the figures per ministry.

    Queries: the filter's ministries, regions and themes; the count; the page's ids; the rows; their themes;
    the open signals per ministry; the answers per ministry. Nine, whatever the number of signals.
    """
    form, ministries = filter_form(request.GET)
    filters = form.filters()
    page = selectors.page_of(selectors.filtered(selectors.public_signals(), filters), request.GET.get("page"))
    query_string = "&".join(f"{name}={value}" for name, value in filters.as_params().items())
    return render(
        request,
        "signals/public_list.html",
        {
            "form": form,
            "page": page,
            "signals": page.object_list,
            "query_string": query_string,
            "figures": selectors.ministry_figures(ministries),
            "export_url": reverse("signals:export-csv") + (f"?{query_string}" if query_string else ""),
            "today": _today(),
        },
        status=400 if form.errors else 200,
    )


@require_GET
@public_cache
def public_detail(request, pk: int):
    """One public signal with its history and the answers (no names); a 404 for one that is not public."""
    signal = selectors.signal_detail(selectors.public_signals(), pk)
    if signal is None:
        raise Http404
    return render(request, "signals/signal_detail.html", {"signal": signal, "public": True, "today": _today()})


def _today():
    return timezone.localdate()


def csv_header() -> list[str]:
    return [
        _("Kenmerk"),
        _("Titel"),
        _("Soort"),
        _("Status"),
        _("Uitkomst"),
        _("Ministerie"),
        _("Regiocode"),
        _("Regio"),
        _("Coalitie"),
        _("Namens organisatie"),
        _("Thema's"),
        _("Blokkeert"),
        _("Ingediend op"),
        _("Ontvangst bevestigen uiterlijk"),
        _("Antwoord uiterlijk"),
        _("Beantwoord op"),
        _("Antwoord"),
    ]


def csv_row(signal: Signal) -> list:
    def day(value):
        return timezone.localdate(value).isoformat() if value else ""

    return [
        neutralise(signal.reference),
        neutralise(signal.title),
        str(signal.get_kind_display()),
        str(signal.get_status_display()),
        str(signal.get_outcome_display()) if signal.outcome else "",
        neutralise(signal.ministry.display_name),
        neutralise(signal.region.code),
        neutralise(signal.region.name),
        neutralise(signal.coalition.name),
        neutralise(signal.organisation.name),
        neutralise(", ".join(in_language(theme.name_nl, theme.name_en) for theme in signal.themes.all())),
        neutralise(signal.blocks_text),
        day(signal.filed_at),
        signal.acknowledge_due.isoformat(),
        signal.answer_due.isoformat(),
        day(signal.answered_at),
        neutralise(signal.answer),
    ]


@require_GET
def export_csv(request):
    """The public list as CSV for Dutch Excel (``;``, UTF-8 with a byte order mark), with the same filters; 400 on
    a wrong filter (its message in the body)."""
    form, _ministries = filter_form(request.GET)
    filters = form.filters()
    if form.errors:
        text = "\n".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items())
        return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")
    signals = (
        selectors.listed(selectors.filtered(selectors.public_signals(), filters))
        .only(*selectors.LIST_COLUMNS, "answer")
        .order_by("-filed_at", "-pk")
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(csv_header())
    for signal in signals:
        writer.writerow(csv_row(signal))
    response = HttpResponse(buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="signalen-{_today().isoformat()}.csv"'
    return response


# --- the working pages -------------------------------------------------------------------------


@login_required
def index(request):
    """Where the person's signals are: per coalition they are in, per ministry they answer for, the catalogue."""
    coalitions = list(
        Coalition.objects.filter(memberships__user=request.user).order_by("name").distinct().only("name", "slug")
    )
    return render(
        request,
        "signals/index.html",
        {
            "coalitions": coalitions,
            "ministries": selectors.ministries_for(request.user),
            "may_manage": permissions.may_manage_catalogue(request.user),
        },
    )


@login_required
def coalition_signals(request, slug: str):
    """The coalition's signals, public or not, newest first: for its members (404 for everyone else)."""
    coalition = get_object_or_404(Coalition.objects.only("name", "slug"), slug=slug)
    perms = coalition_permissions(request.user, coalition)
    if not permissions.is_member(request.user, coalition, perms=perms):
        raise Http404
    may_file = permissions.may_file(request.user, coalition, perms=perms)
    agendas = list(Agenda.objects.filter(coalition=coalition).order_by("title").only("title")) if may_file else []
    page = selectors.page_of(Signal.objects.filter(coalition=coalition), request.GET.get("page"))
    return render(
        request,
        "signals/coalition_signals.html",
        {"coalition": coalition, "page": page, "signals": page.object_list, "agendas": agendas, "today": _today()},
    )


# Open signals first, soonest due first; then the answered ones to close, then the closed ones.
OFFICIAL_ORDER = (
    Case(
        When(status=Signal.Status.FILED, then=Value(0)),
        When(status=Signal.Status.ACKNOWLEDGED, then=Value(0)),
        When(status=Signal.Status.ANSWERED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    ),
    "answer_due",
    "pk",
)


@login_required
def ministry_signals(request, slug: str):
    """ "Signalen aan <ministerie>": for its officials (404 for everyone else), open ones first by due date."""
    ministry = get_object_or_404(Ministry, slug=slug)
    if not permissions.is_ministry_official(request.user, ministry.pk):
        raise Http404
    page = selectors.page_of(Signal.objects.filter(ministry=ministry), request.GET.get("page"), order=OFFICIAL_ORDER)
    return render(
        request,
        "signals/ministry_signals.html",
        {"ministry": ministry, "page": page, "signals": page.object_list, "today": _today()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def signal_file(request, agenda_pk: int):
    """Filing a signal about an agenda: its coalition's coordinators and editors (404 for outsiders, 403 viewers)."""
    agenda = get_object_or_404(Agenda.objects.select_related("coalition", "region"), pk=agenda_pk)
    perms = coalition_permissions(request.user, agenda.coalition)
    if not permissions.is_member(request.user, agenda.coalition, perms=perms):
        raise Http404
    if not permissions.may_file(request.user, agenda.coalition, perms=perms):
        raise PermissionDenied
    own = (
        CoalitionMembership.objects.filter(coalition=agenda.coalition, user=request.user)
        .values_list("organisation_id", flat=True)
        .first()
    )
    form = SignalForm(
        request.POST or None,
        agenda=agenda,
        regions=services.region_choices(agenda),
        organisations=services.organisations_for(request.user, agenda),
        own_organisation_id=own,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                signal = services.signal_file(actor=request.user, agenda_id=agenda.pk, **form.service_arguments())
            except ValidationError as error:
                apply_errors(form, remapped(error, SERVICE_FIELDS))
            else:
                messages.success(
                    request,
                    _("Signaal %(reference)s is ingediend bij %(ministry)s.")
                    % {"reference": signal.reference, "ministry": signal.ministry.display_name},
                )
                return redirect("signals:detail", signal.pk)
        status = 400
    return render(request, "signals/file_form.html", {"agenda": agenda, "form": form}, status=status)


def remapped(error: ValidationError, fields: dict[str, str]) -> ValidationError:
    """The service's field errors under the form's field names."""
    if not hasattr(error, "error_dict"):
        return error
    moved: dict[str, list] = {}
    for field, errors in error.error_dict.items():
        moved.setdefault(fields.get(field, field), []).extend(errors)
    return ValidationError(moved)


def _readable_signal(request, pk: int) -> tuple[Signal, bool]:
    """The signal of a step, and whether the user acts on it; 404 for who may not read it (as the API)."""
    signal = selectors.signal_detail(Signal.objects.all(), pk)
    if signal is None or not permissions.can_view_signal(request.user, signal):
        raise Http404
    return signal, permissions.can_act_on(request.user, signal)


@login_required
def signal_detail(request, pk: int):
    """The signal's working page: its history with names, and the ministry's forms for its officials.

    Someone not involved is sent to the public page of a public signal; for a signal that is not public, 404.
    """
    signal = selectors.signal_detail(Signal.objects.all(), pk)
    if signal is None:
        raise Http404
    if not (
        permissions.is_ministry_official(request.user, signal.ministry_id)
        or permissions.is_member(request.user, signal.coalition)
    ):
        if signal.is_public:
            return redirect("signals:public-detail", signal.pk)
        raise Http404
    return detail_page(request, signal)


def detail_page(request, signal: Signal, *, answer_form: AnswerForm | None = None, status: int = 200):
    can_act = permissions.can_act_on(request.user, signal)
    actions = workflow.allowed_actions(signal.status) if can_act else []
    if can_act and answer_form is None and ("answer" in actions or "forward" in actions):
        answer_form = AnswerForm(current=signal.ministry)
    return render(
        request,
        "signals/signal_detail.html",
        {
            "signal": signal,
            "public": False,
            "today": _today(),
            "can_act": can_act,
            # The agenda is the coalition's (a draft is for its members only): linked for them alone.
            "is_member": permissions.is_member(request.user, signal.coalition),
            "actions": actions,
            "answer_form": answer_form,
        },
        status=status,
    )


def _step(request, pk: int, run) -> HttpResponse | None:
    """Run one of the ministry's steps (403 for who may read but not act); a step out of order as a message.
    None when it went through."""
    _readable_signal(request, pk)
    try:
        run()
    except workflow.TransitionNotAllowed as refused:
        messages.error(request, str(refused))
        return redirect("signals:detail", pk)
    return None


@login_required
@require_POST
def signal_acknowledge(request, pk: int):
    refused = _step(request, pk, lambda: services.signal_acknowledge(actor=request.user, signal_id=pk))
    if refused is not None:
        return refused
    messages.success(request, _("De ontvangst is bevestigd; de coalitie hoort het."))
    return redirect("signals:detail", pk)


@login_required
@require_POST
def signal_close(request, pk: int):
    refused = _step(request, pk, lambda: services.signal_close(actor=request.user, signal_id=pk))
    if refused is not None:
        return refused
    messages.success(request, _("Het signaal is afgesloten."))
    return redirect("signals:detail", pk)


@login_required
@require_POST
def signal_answer(request, pk: int):
    signal, can_act = _readable_signal(request, pk)
    if not can_act:
        raise PermissionDenied
    form = AnswerForm(request.POST, current=signal.ministry)
    if form.is_valid():
        forward_to = form.cleaned_data["forward_to"]
        try:
            answered = services.signal_answer(
                actor=request.user,
                signal_id=signal.pk,
                outcome=form.cleaned_data["outcome"],
                text=form.cleaned_data["text"],
                forward_to_ministry_id=forward_to.pk if forward_to else None,
            )
        except workflow.TransitionNotAllowed as refused:
            messages.error(request, str(refused))
            return redirect("signals:detail", pk)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if answered.status == Signal.Status.FILED:
                messages.success(
                    request,
                    _("Het signaal is doorgestuurd naar %(ministry)s.") % {"ministry": answered.ministry.display_name},
                )
                if not permissions.can_view_signal(request.user, answered):
                    # Not public, and no longer addressed to a ministry of this official.
                    return redirect("signals:index")
            else:
                messages.success(request, _("Het antwoord is verstuurd; de coalitie hoort het."))
            return redirect("signals:detail", pk)
    return detail_page(request, signal, answer_form=form, status=400)


# --- the catalogue -----------------------------------------------------------------------------


def _manager_only(request) -> None:
    if not permissions.may_manage_catalogue(request.user):
        raise PermissionDenied


def ministry_arguments(form: MinistryForm) -> dict:
    fields = ("name", "name_en", "abbreviation", "acknowledge_days", "answer_days", "is_active")
    return {field: form.cleaned_data[field] for field in fields}


@login_required
@require_http_methods(["GET", "POST"])
def ministry_list(request):
    """The catalogue: every ministry with its terms and its number of officials, and adding one."""
    _manager_only(request)
    form = MinistryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ministry = services.ministry_save(actor=request.user, **ministry_arguments(form))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(name)s staat in de lijst.") % {"name": ministry.name})
            return redirect("signals:ministry-edit", ministry.pk)
    ministries = Ministry.objects.annotate(official_count=Count("officials")).order_by("-is_active", "name")
    return render(
        request,
        "signals/ministry_list.html",
        {"ministries": ministries, "form": form},
        status=400 if form.errors else 200,
    )


def ministry_page(request, ministry: Ministry, *, form=None, official_form=None, status: int = 200):
    officials = list(
        User.objects.filter(ministry_roles__ministry=ministry).order_by("full_name", "username").distinct()
    )
    candidates = (
        User.objects.filter(groups__name=GlobalRole.RIJK_OFFICIAL, is_active=True)
        .exclude(pk__in=[u.pk for u in officials])
        .order_by("full_name", "username")
        .distinct()
    )
    return render(
        request,
        "signals/ministry_edit.html",
        {
            "ministry": ministry,
            "form": form or MinistryForm.of(ministry),
            "officials": officials,
            "official_form": official_form or OfficialForm(candidates=candidates),
            "open_count": Signal.objects.filter(ministry=ministry, status__in=Signal.OPEN).count(),
            "escalated": Signal.objects.filter(
                ministry=ministry, status__in=Signal.OPEN, escalated_at__isnull=False
            ).only("reference", "title", "is_public", "acknowledge_due", "answer_due", "status"),
            "today": _today(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def ministry_edit(request, pk: int):
    _manager_only(request)
    ministry = get_object_or_404(Ministry, pk=pk)
    if request.method == "GET":
        return ministry_page(request, ministry)
    form = MinistryForm(request.POST)
    if form.is_valid():
        try:
            services.ministry_save(actor=request.user, ministry_id=ministry.pk, **ministry_arguments(form))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("De gegevens van het ministerie zijn opgeslagen."))
            return redirect("signals:ministry-edit", ministry.pk)
    return ministry_page(request, ministry, form=form, status=400)


@login_required
@require_POST
def ministry_official_add(request, pk: int):
    _manager_only(request)
    ministry = get_object_or_404(Ministry, pk=pk)
    candidates = User.objects.filter(groups__name=GlobalRole.RIJK_OFFICIAL, is_active=True).distinct()
    form = OfficialForm(request.POST, candidates=candidates)
    if form.is_valid():
        try:
            row = services.ministry_official_set(
                actor=request.user, ministry_id=ministry.pk, user_id=form.cleaned_data["user"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s handelt nu signalen aan %(ministry)s af.")
                % {"name": row.user.display_name, "ministry": ministry.name},
            )
            return redirect("signals:ministry-edit", ministry.pk)
    return ministry_page(request, ministry, official_form=form, status=400)


@login_required
@require_POST
def ministry_official_remove(request, pk: int, user_id: int):
    _manager_only(request)
    ministry = get_object_or_404(Ministry, pk=pk)
    row = get_object_or_404(MinistryOfficial.objects.select_related("user"), ministry=ministry, user_id=user_id)
    services.ministry_official_remove(actor=request.user, ministry_id=ministry.pk, user_id=row.user_id)
    messages.success(
        request,
        _("%(name)s handelt geen signalen aan %(ministry)s meer af.")
        % {"name": row.user.display_name, "ministry": ministry.name},
    )
    return redirect("signals:ministry-edit", ministry.pk)


# --- panels on the pages of lower apps ----------------------------------------------------------


def agenda_panel(request, agenda: Agenda, *, perms) -> Panel | None:
    """On the agenda page (``agendas.panels.AGENDA_PAGE``), for members: file a signal, the coalition's signals.

    No query: the permissions are the page's.
    """
    if not permissions.is_member(request.user, agenda.coalition, perms=perms):
        return None
    return Panel(
        "signals/includes/agenda_panel.html",
        {
            "can_file": permissions.may_file(request.user, agenda.coalition, perms=perms),
            "coalition_slug": agenda.coalition.slug,
        },
    )


def coalition_panel(request, coalition: Coalition, *, perms) -> Panel | None:
    """On the coalition page (``coalitions.panels.COALITION_PAGE``), for members: the coalition's signals. No query."""
    if not permissions.is_member(request.user, coalition, perms=perms):
        return None
    return Panel("signals/includes/coalition_panel.html", {"coalition_slug": coalition.slug})


def register_panels() -> None:
    AGENDA_PAGE.register(agenda_panel, order=150)
    COALITION_PAGE.register(coalition_panel, order=150)
