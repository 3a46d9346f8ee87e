"""The page *API-sleutels* (/account/api-sleutels/): a person's own API keys, making one, revoking one.

A new key is shown once, in the answer to the POST that made it (never
stored, never put in the session or a redirect); the page is not cached.
Making a key asks for the password again: a key outlives the session, so an
open browser someone else sits at must not be enough to get one. Revoking
asks to confirm (core/confirm.py). See accounts/api_tokens.py.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts import api_tokens, throttling
from core.confirm import Confirmation, confirm_or_run
from core.forms import TEXTBOX


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Uw wachtwoord"),
        help_text=gettext_lazy("Ter bevestiging: een API-sleutel geeft toegang zonder in te loggen."),
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={**TEXTBOX, "autocomplete": "current-password"}),
    )


def _when(value) -> str:
    return date_format(localtime(value), "j F Y H:i")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def token_list(request):
    user = request.user
    form = PasswordConfirmForm(request.POST if request.method == "POST" else None)
    new_key = new_token = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            # With the request: the brute-force guard (accounts.throttling) counts a wrong password here too.
            confirmed = authenticate(
                request=request, username=user.get_username(), password=form.cleaned_data["password"]
            )
            if confirmed is not None and confirmed.pk == user.pk:
                new_token, new_key = api_tokens.api_token_create(user=user)
                form, status = PasswordConfirmForm(), 200
            elif throttling.is_locked_out(request):
                # 429 keeps this page (throttling.lockout_response) with the message on the field.
                lockout = throttling.current_lockout(request, {"username": user.get_username()})
                form.add_error("password", throttling.lockout_message(lockout))
                status = 429
            else:
                form.add_error("password", _("Dit wachtwoord klopt niet."))
    return render(
        request,
        "registration/api_tokens.html",
        {
            "title": _("API-sleutels"),
            "tokens": list(api_tokens.api_tokens_of(user)),
            "form": form,
            "new_key": new_key,
            "new_token": new_token,
            "lifetime_days": settings.API_TOKEN_DAYS,
        },
        status=status,
    )


@login_required
@require_POST
def token_revoke(request, prefix: str):
    token = api_tokens.api_token_of(request.user, prefix)
    if token is None:
        raise Http404  # unknown, expired or someone else's
    _count, page = confirm_or_run(
        request,
        lambda: api_tokens.api_token_revoke(user=request.user, prefix=prefix),
        lambda _deleted: Confirmation(
            title=_("API-sleutel intrekken"),
            sentence=_(
                "Na het intrekken werkt de sleutel die begint met %(prefix)s niet meer. "
                "Een programma dat hem gebruikt, krijgt dan geen toegang meer. Dit kan niet ongedaan worden gemaakt."
            )
            % {"prefix": token.token_key},
            rows=[(_("Gemaakt"), _when(token.created)), (_("Verloopt"), _when(token.expiry))],
            back=reverse("api_tokens"),
            button=_("Intrekken"),
        ),
    )
    if page is not None:
        return page
    messages.success(
        request, _("De API-sleutel die begint met %(prefix)s is ingetrokken.") % {"prefix": token.token_key}
    )
    return redirect("api_tokens")
