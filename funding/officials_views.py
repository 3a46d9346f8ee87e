"""The officials page (/financiering/ambtenaren/): Rijk officials, their mandates, and inviting more.

For programme and platform administrators; 403 for everyone else. Every
write calls one service; what it refuses is shown inline (status 400).
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from core.formatting import euro
from core.forms import apply_errors
from funding import officials, services
from funding.forms import AmountField
from invitations import selectors as invitation_selectors
from invitations.forms import InviteeFields
from invitations.views import invite_from_form


class OfficialInviteForm(InviteeFields):
    limit = AmountField(
        label=gettext_lazy("Mandaat tot (euro)"),
        required=False,
        help_text=gettext_lazy(
            "Het hoogste bedrag dat deze ambtenaar mag vaststellen. Leeg: geen mandaat (wel voorstellen, "
            "niet vaststellen); u kunt het later instellen."
        ),
    )
    field_order = ["name", "email", "limit", "message"]


class MandateForm(forms.Form):
    limit = AmountField(label=gettext_lazy("Mandaat tot (euro)"))


@dataclass
class OfficialRow:
    official: User
    mandate: object | None
    form: MandateForm


def _manager_only(request) -> None:
    if not services.may_manage_mandates(request.user):
        raise PermissionDenied


def _page(request, *, invite_form, failed: tuple[int, MandateForm] | None = None):
    rows = []
    for official in officials.officials_with_mandates():
        mandate = officials.mandate_of(official)
        if failed and failed[0] == official.pk:
            form = failed[1]
        else:
            form = MandateForm(initial={"limit": mandate.limit if mandate else ""}, prefix=f"mandate-{official.pk}")
        rows.append(OfficialRow(official, mandate, form))
    invalid = invite_form.errors or failed is not None
    return render(
        request,
        "funding/officials.html",
        {
            "rows": rows,
            "form": invite_form,
            "pending": invitation_selectors.pending_for(kind=officials.KIND),
        },
        status=400 if invalid else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def officials_page(request):
    _manager_only(request)
    form = OfficialInviteForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and invite_from_form(request, form, kind=officials.KIND, payload={"limit": form.cleaned_data["limit"]})
    ):
        return redirect("funding:officials")
    return _page(request, invite_form=form)


def _official_or_404(user_id: int) -> User:
    official = officials.officials_with_mandates().filter(pk=user_id).first()
    if official is None:
        raise Http404
    return official


@login_required
@require_POST
def mandate_set(request, user_id: int):
    _manager_only(request)
    official = _official_or_404(user_id)
    form = MandateForm(request.POST, prefix=f"mandate-{official.pk}")
    if form.is_valid():
        try:
            services.mandate_set(actor=request.user, user=official, limit=form.cleaned_data["limit"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Het mandaat van %(name)s is nu %(limit)s.")
                % {"name": official.display_name, "limit": euro(form.cleaned_data["limit"])},
            )
            return redirect("funding:officials")
    return _page(request, invite_form=OfficialInviteForm(), failed=(official.pk, form))


@login_required
@require_POST
def mandate_withdraw(request, user_id: int):
    _manager_only(request)
    official = _official_or_404(user_id)
    try:
        services.mandate_withdraw(actor=request.user, user_id=official.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Het mandaat van %(name)s is ingetrokken; %(name)s kan niet meer vaststellen.")
            % {"name": official.display_name},
        )
    return redirect("funding:officials")
