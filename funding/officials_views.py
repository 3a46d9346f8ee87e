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
from core.forms import TEXTBOX, apply_errors
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


class FunctionForm(forms.Form):
    """The official's function as it stands under the letters they sign; empty clears it."""

    function = forms.CharField(
        label=gettext_lazy("Functie"), required=False, max_length=200, widget=forms.TextInput(TEXTBOX)
    )
    function_en = forms.CharField(
        label=gettext_lazy("Functie (Engels)"), required=False, max_length=200, widget=forms.TextInput(TEXTBOX)
    )


@dataclass
class OfficialRow:
    official: User
    mandate: object | None
    form: MandateForm
    function: object | None
    function_form: FunctionForm


def _manager_only(request) -> None:
    if not services.may_manage_mandates(request.user):
        raise PermissionDenied


def _page(request, *, invite_form, failed: tuple[int, forms.Form] | None = None):
    rows = []
    for official in officials.officials_with_mandates():
        mandate = officials.mandate_of(official)
        function = officials.function_of(official)
        failed_form = failed[1] if failed and failed[0] == official.pk else None
        if isinstance(failed_form, MandateForm):
            form = failed_form
        else:
            form = MandateForm(initial={"limit": mandate.limit if mandate else ""}, prefix=f"mandate-{official.pk}")
        if isinstance(failed_form, FunctionForm):
            function_form = failed_form
        else:
            function_form = FunctionForm(
                initial={"function": function.function, "function_en": function.function_en} if function else {},
                prefix=f"function-{official.pk}",
            )
        rows.append(OfficialRow(official, mandate, form, function, function_form))
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
def function_set(request, user_id: int):
    _manager_only(request)
    official = _official_or_404(user_id)
    form = FunctionForm(request.POST, prefix=f"function-{official.pk}")
    if form.is_valid():
        try:
            function = services.official_function_set(
                actor=request.user,
                user=official,
                function=form.cleaned_data["function"],
                function_en=form.cleaned_data["function_en"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if function is None:
                message = _("%(name)s heeft geen functie meer onder de brieven.") % {"name": official.display_name}
            else:
                message = _("De functie van %(name)s is nu: %(function)s.") % {
                    "name": official.display_name,
                    "function": function.function,
                }
            messages.success(request, message)
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
