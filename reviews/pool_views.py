"""Pages of the reviewer pool: the chair's pool page (invite, correct, take out) and a reviewer's own profile.

The pool is for the review chair and platform administrators (403 for
everyone else); a member's page is a 404 for someone not in the pool. Every
write calls one service in ``reviews.pool``; what it refuses is shown inline.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import apply_errors
from invitations import selectors as invitation_selectors
from invitations.views import invite_from_form
from regions.models import Theme
from reviews import forms, pool, pool_selectors


def _manager_only(request) -> None:
    if not pool.may_manage_pool(request.user):
        raise PermissionDenied


def _themes() -> list[Theme]:
    return list(Theme.objects.order_by("position"))


@login_required
@require_http_methods(["GET", "POST"])
def pool_page(request):
    """Everyone in the pool, and the form to invite someone into it."""
    _manager_only(request)
    form = forms.ReviewerInviteForm(
        request.POST or None, themes=_themes(), organisations=pool_selectors.organisations()
    )
    if request.method == "POST" and form.is_valid():
        payload = {"expertise": form.cleaned_data["expertise"], "affiliations": form.cleaned_data["affiliations"]}
        if invite_from_form(request, form, kind=pool.KIND, payload=payload):
            return redirect("reviews:pool")
    return render(
        request,
        "reviews/pool.html",
        {
            "rows": pool_selectors.pool_rows(),
            "form": form,
            "pending": invitation_selectors.pending_for(kind=pool.KIND),
        },
        status=400 if form.errors else 200,
    )


def _member_or_404(user_id: int):
    member = pool_selectors.pool_member(user_id)
    if member is None:
        raise Http404
    return member


@login_required
@require_http_methods(["GET", "POST"])
def pool_member_edit(request, user_id: int):
    """The chair corrects a member's expertise and current affiliations, or takes them out of the pool."""
    _manager_only(request)
    member = _member_or_404(user_id)
    initial = {
        "expertise": pool_selectors.expertise_of(member),
        "affiliations": [a.organisation_id for a in member.current_affiliations],
    }
    form = forms.PoolFields(
        request.POST or None, initial=initial, themes=_themes(), organisations=pool_selectors.organisations()
    )
    if request.method == "POST" and form.is_valid():
        try:
            pool.pool_member_update(
                actor=request.user,
                user_id=member.pk,
                expertise=form.cleaned_data["expertise"],
                organisation_ids=form.cleaned_data["affiliations"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("De gegevens van %(name)s zijn bijgewerkt.") % {"name": member.display_name})
            return redirect("reviews:pool")
    return render(
        request,
        "reviews/pool_member.html",
        {"member": member, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def pool_member_remove(request, user_id: int):
    _manager_only(request)
    member = _member_or_404(user_id)
    try:
        pool.pool_member_remove(actor=request.user, user_id=member.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reviews:pool-member", member.pk)
    messages.success(request, _("%(name)s zit niet meer in de beoordelaarspool.") % {"name": member.display_name})
    return redirect("reviews:pool")


# ---------------------------------------------------------------- a reviewer's own profile


def _member_only(request) -> None:
    if not pool.in_pool(request.user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def my_profile(request):
    """A reviewer keeps their own expertise and affiliations up to date."""
    _member_only(request)
    user = request.user
    themes = _themes()
    organisations = pool_selectors.organisations()
    which = request.POST.get("form") if request.method == "POST" else None
    expertise_form = forms.ExpertiseForm(
        request.POST if which == "expertise" else None,
        initial={"expertise": pool_selectors.expertise_of(user)},
        themes=themes,
        prefix="expertise",
    )
    affiliation_form = forms.AffiliationForm(
        request.POST if which == "affiliation" else None, organisations=organisations, prefix="affiliation"
    )
    if which == "expertise" and expertise_form.is_valid():
        try:
            pool.expertise_set(actor=user, expertise=expertise_form.cleaned_data["expertise"])
        except ValidationError as error:
            apply_errors(expertise_form, error)
        else:
            messages.success(request, _("Uw expertise is bijgewerkt."))
            return redirect("reviews:my-profile")
    elif which == "affiliation" and affiliation_form.is_valid():
        data = affiliation_form.cleaned_data
        try:
            pool.affiliation_add(
                actor=user,
                organisation_id=data["organisation"],
                role_title=data["role_title"],
                start_date=data["start_date"],
                end_date=data["end_date"],
            )
        except ValidationError as error:
            apply_errors(affiliation_form, error)
        else:
            messages.success(request, _("De verbondenheid is vastgelegd."))
            return redirect("reviews:my-profile")
    invalid = expertise_form.errors or affiliation_form.errors
    return render(
        request,
        "reviews/pool_profile.html",
        {
            "expertise_form": expertise_form,
            "affiliation_form": affiliation_form,
            "affiliations": pool_selectors.own_affiliations(user),
            "today": timezone.localdate(),
        },
        status=400 if invalid else 200,
    )


@login_required
@require_POST
def my_affiliation_end(request, pk: int):
    _member_only(request)
    form = forms.AffiliationEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vul een geldige datum in."))
        return redirect("reviews:my-profile")
    try:
        affiliation = pool.affiliation_end(
            actor=request.user, affiliation_id=pk, end_date=form.cleaned_data["end_date"]
        )
    except PermissionDenied as denied:
        # Someone else's affiliation, or none: nobody learns which exist.
        raise Http404 from denied
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Uw verbondenheid met %(org)s is beëindigd.") % {"org": affiliation.organisation.name}
        )
    return redirect("reviews:my-profile")
