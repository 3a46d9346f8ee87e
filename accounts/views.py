"""Second-factor pages: set up an authenticator app, verify the session with a code.

See accounts/two_factor.py for what "verified" means and who needs it.
Codes are checked with django-otp's ``TOTPDevice.verify_token``, which applies
its throttling (after n wrong codes the next try waits 2^(n-1) seconds) and
refuses a code that was already used. The device rows are locked while a code
is checked, so parallel guesses are throttled too.
"""

from __future__ import annotations

import math
import re
from base64 import b32encode

import qrcode
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathFillImage

from accounts.two_factor import has_device, is_verified, url_with_next, verify_session

DEVICE_NAME = "Authenticator-app"
CODE_DIGITS = 6


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        help_text=gettext_lazy("De zes cijfers die uw authenticator-app nu toont. Spaties mogen."),
        max_length=20,
        error_messages={"required": gettext_lazy("Vul de code uit uw authenticator-app in.")},
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                "size": 8,
            }
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not re.fullmatch(rf"[0-9]{{{CODE_DIGITS}}}", code):
            raise forms.ValidationError(_("Een code bestaat uit zes cijfers."), code="format")
        return code


def _safe_next(request, value: str | None) -> str | None:
    """``value`` when it is a URL on this site, else None."""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return None


def _next_from(request) -> str | None:
    return _safe_next(request, request.POST.get("next") if request.method == "POST" else request.GET.get("next"))


def _seconds_blocked(device: TOTPDevice) -> int | None:
    """Seconds before ``device`` accepts another try, or None when it does now."""
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    locked_until = (data or {}).get("locked_until")
    if locked_until is None:
        return 1
    return max(1, math.ceil((locked_until - timezone.now()).total_seconds()))


def _throttled_message(seconds: int) -> str:
    return ngettext(
        "Te veel onjuiste codes. Wacht %(seconds)d seconde en probeer het opnieuw.",
        "Te veel onjuiste codes. Wacht %(seconds)d seconden en probeer het opnieuw.",
        seconds,
    ) % {"seconds": seconds}


def _check_code(devices: list[TOTPDevice], code: str) -> tuple[TOTPDevice | None, int | None]:
    """(the device that accepted ``code``, seconds to wait when throttled).

    Call inside a transaction with ``devices`` locked (select_for_update).
    While any of them is throttled no code is tried. Each device that
    rejects the code counts a failure (``verify_token``).
    """
    waits = [seconds for device in devices if (seconds := _seconds_blocked(device)) is not None]
    if waits:
        return None, max(waits)
    for device in devices:
        if device.verify_token(code):
            return device, None
    return None, None


def _verify_session(request, device: TOTPDevice) -> None:
    """Mark the session as verified by ``device``, from now on (under a new session key)."""
    request.session.cycle_key()
    verify_session(request, device)


def _done(request, next_url: str | None) -> HttpResponseRedirect:
    return HttpResponseRedirect(next_url or reverse("home"))


def _qr_svg(data: str) -> str:
    """``data`` as an inline SVG QR code with an accessible name."""
    image = qrcode.make(data, image_factory=SvgPathFillImage, box_size=10, border=4)
    svg = image.get_image()
    for name, value in (
        ("width", "232"),
        ("height", "232"),
        ("class", "ka-totp-qr"),
        ("role", "img"),
        ("aria-labelledby", "ka-totp-qr-title"),
        ("focusable", "false"),
    ):
        svg.set(name, value)
    title = svg.makeelement("title", {"id": "ka-totp-qr-title"})
    title.text = _("QR-code met de sleutel voor uw authenticator-app")
    svg.insert(0, title)
    return image.to_string(encoding="unicode")


def _grouped(secret: str, size: int = 4) -> str:
    return " ".join(secret[i : i + size] for i in range(0, len(secret), size))


@login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    """Link an authenticator app: show a new secret, confirm it with a first code."""
    next_url = _next_from(request)
    user = request.user
    with transaction.atomic():
        # One set-up at a time per user: no two pending secrets, no two confirmations.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if has_device(user):
            if request.method == "POST":
                return redirect(url_with_next("two_factor:setup", next_url))
            return render(
                request,
                "two_factor/setup_done.html",
                {
                    "title": _("Tweestapsverificatie is ingesteld"),
                    "verified": is_verified(request),
                    "verify_url": url_with_next("two_factor:verify", next_url),
                },
            )
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)

        status = 200
        if request.method == "POST":
            form = CodeForm(request.POST)
            if form.is_valid():
                accepted, wait = _check_code([device], form.cleaned_data["code"])
                if accepted is not None:
                    device.confirmed = True
                    device.save(update_fields=["confirmed"])
                    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
                    _verify_session(request, device)
                    messages.success(request, _("Tweestapsverificatie is ingesteld. Deze sessie is bevestigd."))
                    return _done(request, next_url)
                if wait is not None:
                    form.add_error("code", _throttled_message(wait))
                    status = 429
                else:
                    form.add_error(
                        "code", _("Deze code klopt niet. Controleer de tijd op uw telefoon en probeer het opnieuw.")
                    )
                    status = 400
            else:
                status = 400
        else:
            form = CodeForm()

    return render(
        request,
        "two_factor/setup.html",
        {
            "title": _("Tweestapsverificatie instellen"),
            "form": form,
            "next": next_url or "",
            # Generated here from our own data; the SVG's text is escaped by ElementTree.
            "qr_svg": mark_safe(_qr_svg(device.config_url)),  # noqa: S308
            "secret": _grouped(b32encode(device.bin_key).decode().rstrip("=")),
            "otpauth_uri": device.config_url,
            "digits": device.digits,
            "step": device.step,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """Verify this session with a code from the user's authenticator app."""
    next_url = _next_from(request)
    if not has_device(request.user):
        return redirect(url_with_next("two_factor:setup", next_url))
    if request.method == "GET" and is_verified(request):
        return _done(request, next_url)

    status = 200
    if request.method == "POST":
        form = CodeForm(request.POST)
        if form.is_valid():
            with transaction.atomic():
                devices = list(
                    TOTPDevice.objects.select_for_update().filter(user=request.user, confirmed=True).order_by("pk")
                )
                accepted, wait = _check_code(devices, form.cleaned_data["code"])
            if accepted is not None:
                _verify_session(request, accepted)
                messages.success(request, _("De code klopt. Deze sessie is bevestigd."))
                return _done(request, next_url)
            if wait is not None:
                form.add_error("code", _throttled_message(wait))
                status = 429
            else:
                form.add_error("code", _("Deze code klopt niet. Gebruik de code die uw app nu toont."))
                status = 400
        else:
            status = 400
    else:
        form = CodeForm()

    return render(
        request,
        "two_factor/verify.html",
        {
            "title": _("Bevestig met een code"),
            "form": form,
            "next": next_url or "",
            "setup_url": url_with_next("two_factor:setup", next_url),
        },
        status=status,
    )
