"""The Django admin only for a session verified with a second factor.

A superuser sees everything in the admin, so a password alone must not be
enough. ``VerifiedAdminSite`` is django-otp's ``OTPAdminSite`` (the admin
treats a staff member whose session is not verified as if they were not
staff), with our pages for logging in and for the code instead of the
admin's own login form:

- not logged in: the site's login page, back to the admin afterwards;
- logged in, staff, not verified (``two_factor.is_verified``, which also
  lets the verification expire): the code page, or setting up an
  authenticator app when there is none, back to the admin afterwards;
- logged in but not staff: the admin's usual "not authorised" page.

``kansenagenda.apps`` makes ``django.contrib.admin.site`` one of these
(django-otp's documented ``admin.site.__class__ = OTPAdminSite``).
"""

from __future__ import annotations

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.admin import OTPAdminSite

from accounts.two_factor import has_device, is_verified, url_with_next


class VerifiedAdminSite(OTPAdminSite):
    def has_permission(self, request):
        # OTPAdminSite asks django-otp's user.is_verified(); is_verified(request) also checks
        # that the verification has not expired (accounts.two_factor).
        return super().has_permission(request) and is_verified(request)

    def login(self, request, extra_context=None):
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = ""
        next_url = next_url or reverse("admin:index", current_app=self.name)
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(next_url)
        if user.is_active and user.is_staff and not is_verified(request):
            target = "two_factor:verify" if has_device(user) else "two_factor:setup"
            return redirect(url_with_next(target, next_url))
        return super().login(request, extra_context)
