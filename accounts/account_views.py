"""A person's own account: logging in (by e-mail or username), their name, language and e-mail address."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts import services, throttling
from accounts.models import User
from core.forms import SELECT, TEXTBOX, apply_errors


def _remember_language(response, language: str) -> None:
    """The interface language is the switch's cookie; a person's own language sets it."""
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )


class LoginForm(auth_views.AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = gettext_lazy("E-mailadres of gebruikersnaam")
        self.fields["username"].widget.attrs.update({**TEXTBOX, "autocomplete": "username"})
        self.fields["password"].widget.attrs.update(TEXTBOX)

    def get_invalid_login_error(self):
        # Locked out (accounts.throttling): say so and when it ends, not "wrong password".
        if throttling.is_locked_out(self.request):
            lockout = throttling.current_lockout(self.request, {"username": self.cleaned_data.get("username")})
            return ValidationError(throttling.lockout_message(lockout), code="locked_out")
        return super().get_invalid_login_error()


class LoginView(auth_views.LoginView):
    form_class = LoginForm

    def form_valid(self, form):
        response = super().form_valid(form)
        _remember_language(response, form.get_user().language)
        return response

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if throttling.is_locked_out(self.request):
            # The form says why; axes' middleware keeps a 429 page as it is (throttling.lockout_response).
            response.status_code = 429
        return response


class ProfileForm(forms.Form):
    full_name = forms.CharField(
        label=gettext_lazy("Naam"),
        max_length=200,
        help_text=gettext_lazy("Zo ziet iedereen u op het platform, met uw organisatie."),
        widget=forms.TextInput(attrs={**TEXTBOX, "autocomplete": "name"}),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Taal"),
        choices=settings.LANGUAGES,
        help_text=gettext_lazy("De taal van het platform na het inloggen en van de e-mail die u krijgt."),
        widget=forms.Select(attrs=SELECT),
    )


class EmailChangeForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Nieuw e-mailadres"),
        help_text=gettext_lazy("U krijgt een link op het nieuwe adres; pas als u die volgt, wordt het gewijzigd."),
        widget=forms.EmailInput(attrs={**TEXTBOX, "autocomplete": "email"}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user: User = request.user
    profile_form = ProfileForm(
        initial={"full_name": user.full_name or user.get_full_name(), "language": user.language or "nl"}
    )
    email_form = EmailChangeForm()
    if request.method == "POST" and request.POST.get("form") == "email":
        email_form = EmailChangeForm(request.POST)
        if email_form.is_valid():
            try:
                address = services.email_change_request(user=user, email=email_form.cleaned_data["email"])
            except ValidationError as error:
                apply_errors(email_form, error)
            else:
                messages.success(
                    request,
                    _("We hebben een link gestuurd naar %(email)s. Uw adres wijzigt zodra u die volgt.")
                    % {"email": address},
                )
                return redirect("profile")
    elif request.method == "POST":
        profile_form = ProfileForm(request.POST)
        if profile_form.is_valid():
            try:
                services.profile_update(user=user, **profile_form.cleaned_data)
            except ValidationError as error:
                apply_errors(profile_form, error)
            else:
                translation.activate(user.language)
                messages.success(request, _("Uw gegevens zijn opgeslagen."))
                response = redirect("profile")
                _remember_language(response, user.language)
                return response
    return render(
        request,
        "registration/profile.html",
        {"title": _("Mijn gegevens"), "profile_form": profile_form, "email_form": email_form},
    )


@require_http_methods(["GET", "POST"])
def email_change_confirm(request, token: str):
    """GET shows a button, POST changes the address: a mail scanner that follows links changes nothing."""
    if request.method == "POST":
        try:
            user = services.email_change_confirm(token=token)
        except ValidationError as error:
            return render(
                request,
                "registration/email_change_confirm.html",
                {"title": _("E-mailadres niet gewijzigd"), "error": " ".join(error.messages)},
                status=400,
            )
        messages.success(request, _("Uw e-mailadres is nu %(email)s.") % {"email": user.email})
        return redirect("profile" if request.user.is_authenticated else "login")
    return render(request, "registration/email_change_confirm.html", {"title": _("Nieuw e-mailadres bevestigen")})
