"""Invitation pages: following the link (accept, with a new or an existing account), and managing invitations."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from accounts.services import account_create
from core.forms import apply_errors
from invitations import roles, selectors, services
from invitations.forms import RoleInvitationForm, SignupForm
from invitations.models import Invitation


def invite_from_form(request, form, *, kind: str, payload: dict) -> bool:
    """Send the invitation a valid form with the invitee's fields (``forms.InviteeFields``) describes.

    True when it was sent (a message says so); else the service's errors are on the form.
    """
    data = form.cleaned_data
    try:
        invitation = services.invitation_create(
            actor=request.user,
            kind=kind,
            email=data["email"],
            name=data["name"],
            message=data["message"],
            payload=payload,
        )
    except ValidationError as error:
        apply_errors(form, error)
        return False
    messages.success(request, _("Uitnodiging verstuurd naar %(email)s.") % {"email": invitation.email})
    return True


def _problem(request, problem: services.LinkProblem):
    return render(
        request,
        "invitations/link_problem.html",
        {"title": problem.title, "message": problem.message},
        status=410 if problem.invitation else 404,
    )


@require_http_methods(["GET", "POST"])
def accept(request, token: str):
    """Follow an invitation link: accept as the signed-in person, log in first, or create an account."""
    try:
        invitation = services.invitation_from_token(token)
    except services.LinkProblem as problem:
        return _problem(request, problem)
    info = services.described(invitation)
    has_account = User.objects.filter(email__iexact=invitation.email, is_active=True).exists()
    signup = None
    error = ""
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                services.invitation_accept(user=request.user, token=token)
            except services.LinkProblem as problem:
                return _problem(request, problem)
            except ValidationError as invalid:
                error = " ".join(invalid.messages)
            else:
                messages.success(request, _("Welkom! U bent nu %(what)s.") % {"what": info.what})
                return redirect(resolve_url(settings.LOGIN_REDIRECT_URL))
    elif not has_account:
        signup = SignupForm(
            request.POST or None, initial={"full_name": invitation.name, "language": invitation.language}
        )
        if request.method == "POST" and signup.is_valid():
            try:
                with transaction.atomic():
                    user = account_create(
                        email=invitation.email,
                        full_name=signup.cleaned_data["full_name"],
                        password=signup.cleaned_data["password1"],
                        language=signup.cleaned_data["language"],
                    )
                    services.invitation_accept(user=user, token=token)
            except services.LinkProblem as problem:
                return _problem(request, problem)
            except ValidationError as invalid:
                apply_errors(signup, invalid)
            else:
                login(request, user, backend="accounts.backends.EmailOrUsernameBackend")
                messages.success(
                    request, _("Welkom! Uw account is aangemaakt en u bent nu %(what)s.") % {"what": info.what}
                )
                return redirect(resolve_url(settings.LOGIN_REDIRECT_URL))
    elif request.method == "POST":
        return redirect(f"{reverse('login')}?next={request.path}")
    return render(
        request,
        "invitations/accept.html",
        {
            "title": _("Uitnodiging voor Kansenagenda"),
            "info": info,
            "invitation": invitation,
            "has_account": has_account,
            "signup": signup,
            "error": error,
            "email_matches": request.user.is_authenticated and request.user.email.lower() == invitation.email.lower(),
        },
    )


def _back(request, invitation: Invitation) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return services.manage_url(invitation)


def _manage(request, pk: int, action, done: str):
    """Resend or revoke: the same checks, then back to the page the button was on (if it is on this site)."""
    invitation = Invitation.objects.filter(pk=pk).first()
    # 404 for someone who may not manage it: outsiders do not learn who was invited.
    if invitation is None or not services.may_manage(request.user, invitation):
        raise Http404
    try:
        action(actor=request.user, invitation_id=invitation.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done % {"email": invitation.email})
    return redirect(_back(request, invitation))


@login_required
@require_POST
def resend(request, pk: int):
    return _manage(
        request,
        pk,
        services.invitation_resend,
        _("De uitnodiging is opnieuw gestuurd naar %(email)s; de oude link werkt niet meer."),
    )


@login_required
@require_POST
def revoke(request, pk: int):
    return _manage(request, pk, services.invitation_revoke, _("De uitnodiging van %(email)s is ingetrokken."))


@login_required
@require_http_methods(["GET", "POST"])
def invitation_list(request):
    """The platform administrator's page: invite anyone to a platform role, and every invitation."""
    if not services.is_platform_admin(request.user):
        raise PermissionDenied
    form = RoleInvitationForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and invite_from_form(request, form, kind=roles.KIND, payload={"role": form.cleaned_data["role"]})
    ):
        return redirect("invitations:list")
    status = request.GET.get("status", "open")
    return render(
        request,
        "invitations/invitation_list.html",
        {
            "title": _("Uitnodigingen"),
            "form": form,
            "status": status,
            "invitations": selectors.invitations_for_admin(status=status),
        },
    )
