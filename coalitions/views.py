"""Coalition pages: the list, a coalition, starting one, and its members.

Outsiders get a 404 on a coalition's pages (they do not learn which
coalitions exist); a member who may not do something gets a 403. Every write
calls one service in ``coalitions.services`` (or ``invitations.services``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.permissions import has_global_role
from activity.notifications import describe, link
from coalitions import forms, selectors, services
from coalitions import invitations as coalition_invitations
from coalitions.models import Coalition, CoalitionRole
from coalitions.panels import COALITION_PAGE
from coalitions.permissions import (
    OVERSIGHT_ROLES,
    can_manage_members,
    can_see_members,
    can_see_people,
    can_start_coalition,
    can_view_coalition,
    coalition_permissions,
)
from core.forms import apply_errors
from core.panels import Panel
from invitations import services as invitation_services
from regions.panels import REGION_PAGE, register_region_list_marker

# How many of the coalition's latest events its page shows.
RECENT_CHANGES = 10


@login_required
def coalition_list(request):
    return render(
        request,
        "coalitions/coalition_list.html",
        {
            "coalitions": selectors.coalitions_visible_to(request.user),
            "can_start": can_start_coalition(request.user),
        },
    )


@login_required
def coalition_detail(request, slug: str):
    coalition = get_object_or_404(Coalition, slug=slug)
    # 404, not 403: outsiders do not learn which coalitions exist.
    if not can_view_coalition(request.user, coalition):
        raise Http404
    coalition = selectors.coalition_detail(coalition.pk)
    perms = coalition_permissions(request.user, coalition)
    show_people = can_see_people(request.user, coalition, perms=perms)
    recent = []
    if show_people:
        # Members only: the events of a coalition can name its drafts.
        recent = [(event, describe(event), link(event)) for event in selectors.recent_events(coalition, RECENT_CHANGES)]
    return render(
        request,
        "coalitions/coalition_detail.html",
        {
            "coalition": coalition,
            "show_people": show_people,
            "recent": recent,
            "panels": COALITION_PAGE.panels(request, coalition, perms=perms),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def coalition_start(request):
    if not can_start_coalition(request.user):
        raise PermissionDenied
    form = forms.CoalitionStartForm(
        request.POST or None, organisations=selectors.organisation_choices(), regions=selectors.region_choices()
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                coalition = services.coalition_start(
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    region=form.chosen_region(),
                    organisation=form.chosen_organisation(),
                    description=form.cleaned_data["description"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("De coalitie %(name)s is gestart. U bent de coördinator: nodig nu de andere partners uit.")
                    % {"name": coalition.name},
                )
                return redirect("coalitions:members", coalition.slug)
        status = 400
    selected = set(form["municipalities"].value() or [])
    # Per province its municipalities, ticked as submitted; a province with a ticked one is open.
    groups = [
        (province, [(code, name, code in selected) for code, name in rows], any(code in selected for code, _n in rows))
        for province, rows in form.fields["municipalities"].choices
    ]
    return render(
        request, "coalitions/coalition_start.html", {"form": form, "municipality_groups": groups}, status=status
    )


def _member_forms(request, coalition, page, *, bound: str | None):
    """The coordinator's forms, bound to the POST when it is theirs."""
    data = request.POST if request.method == "POST" else None
    initial = {}
    preselect = request.GET.get("organisation", "")
    if preselect in {str(o.pk) for o in page.organisations}:
        initial["organisation"] = preselect
    invite = forms.CoalitionInviteForm(
        data if bound == "invite" else None,
        prefix="invite",
        initial=initial,
        member_organisations=page.organisations,
    )
    partner = forms.PartnerForm(
        data if bound == "partner" else None,
        prefix="partner",
        organisations=selectors.organisation_choices(exclude_coalition=coalition),
        regions=selectors.region_choices(),
    )
    return invite, partner


def _own_membership(request, page):
    return next((m for m in page.memberships if m.user_id == request.user.pk), None)


def _invite(request, coalition, form) -> str:
    data = form.cleaned_data
    invitation = invitation_services.invitation_create(
        actor=request.user,
        kind=coalition_invitations.KIND,
        email=data["email"],
        name=data["name"],
        message=data["message"],
        payload=coalition_invitations.payload_for(
            coalition=coalition, organisation_id=int(data["organisation"]), role=data["role"]
        ),
    )
    return _("Uitnodiging verstuurd naar %(email)s.") % {"email": invitation.email}


def _add_partner(request, coalition, form) -> str:
    link = services.coalition_add_partner(
        actor=request.user, coalition=coalition, organisation=form.chosen_organisation()
    )
    return _("%(name)s doet nu mee. Nodig een vertegenwoordiger uit.") % {"name": link.organisation.name}


@login_required
@require_http_methods(["GET", "POST"])
def coalition_members(request, slug: str):
    """Per member organisation its people, whether it is represented and its open invitations.

    Every member sees it; coordinators (and platform administrators) also get
    the forms: add an organisation, invite, change a role, remove. Anyone may leave.
    """
    coalition = get_object_or_404(Coalition.objects.select_related("region"), slug=slug)
    perms = coalition_permissions(request.user, coalition)
    if not can_see_members(request.user, coalition.pk, perms=perms):
        raise Http404
    manager = can_manage_members(request.user, coalition.pk, perms=perms)
    action = request.POST.get("form", "") if request.method == "POST" else None
    if action is not None and action not in ("leave", "remove", "change", "invite", "partner"):
        return redirect("coalitions:members", coalition.slug)
    if action not in (None, "leave") and not manager:
        raise PermissionDenied
    page = selectors.members_page(coalition)
    invite, partner = _member_forms(request, coalition, page, bound=action) if manager else (None, None)
    errors: list[str] = []
    if action is not None:
        done = ""
        try:
            if action == "invite" and invite.is_valid():
                done = _invite(request, coalition, invite)
            elif action == "partner" and partner.is_valid():
                done = _add_partner(request, coalition, partner)
            elif action == "change":
                change = forms.MemberChangeForm(request.POST)
                if not change.is_valid():
                    raise ValidationError(_("Kies een rol en een organisatie."))
                membership = services.coalition_change_member(
                    actor=request.user,
                    coalition=coalition,
                    membership_id=change.cleaned_data["membership"],
                    role=change.cleaned_data["role"],
                    organisation_id=change.cleaned_data["organisation"],
                )
                done = _("%(name)s is nu %(role)s namens %(organisation)s.") % {
                    "name": membership.user.display_name,
                    "role": membership.get_role_display().lower(),
                    "organisation": membership.organisation.name,
                }
            elif action == "remove":
                chosen = forms.MembershipForm(request.POST)
                if not chosen.is_valid():
                    raise ValidationError(_("Kies wie u uit de coalitie verwijdert."))
                services.coalition_end_membership(
                    actor=request.user, coalition=coalition, membership_id=chosen.cleaned_data["membership"]
                )
                done = _("Het lid is uit de coalitie verwijderd.")
            elif action == "leave":
                own = _own_membership(request, page)
                if own is None:
                    raise ValidationError(_("U bent geen lid van deze coalitie."))
                services.coalition_end_membership(actor=request.user, coalition=coalition, membership_id=own.pk)
                messages.success(request, _("U heeft de coalitie %(name)s verlaten.") % {"name": coalition.name})
                return redirect("coalitions:list")
        except ValidationError as error:
            form = {"invite": invite, "partner": partner}.get(action)
            if form is not None:
                apply_errors(form, error)
            else:
                errors = error.messages
        if done:
            messages.success(request, done)
            return redirect("coalitions:members", coalition.slug)
    status = 400 if action is not None else 200
    return render(
        request,
        "coalitions/coalition_members.html",
        {
            "coalition": coalition,
            "page": page,
            "manager": manager,
            "invite_form": invite,
            "partner_form": partner,
            "errors": errors,
            "own_membership": _own_membership(request, page),
            "roles": CoalitionRole.choices,
            "show_detail_link": "view_coalition" in perms or has_global_role(request.user, *OVERSIGHT_ROLES),
            "members_url": reverse("coalitions:members", args=[coalition.slug]),
        },
        status=status,
    )


def region_panel(request, region) -> Panel:
    """The region page's list of the region's coalitions: only those the visitor may see."""
    return Panel(
        "coalitions/includes/region_panel.html",
        {"coalitions": selectors.coalitions_visible_to(request.user).filter(region=region).prefetch_related("agendas")},
    )


def region_list_marker(request, region_ids) -> dict[int, str]:
    """On the region list: "coalitie" for the regions with a coalition the visitor may see (one query)."""
    visible = selectors.coalitions_visible_to(request.user).filter(region_id__in=region_ids)
    return dict.fromkeys(visible.values_list("region_id", flat=True), _("coalitie"))


def register_panels() -> None:
    REGION_PAGE.register(region_panel)
    register_region_list_marker(region_list_marker)
