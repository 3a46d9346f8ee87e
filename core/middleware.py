from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext

from core.parsers import contains_null_character, file_names


class DutchFirstMiddleware:
    """Serve Dutch unless the visitor chose another language with the switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a
    Dutch civil servant with an English browser would get a half-translated
    interface; the language switch (a cookie) is the only way to change it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class RejectNullCharactersMiddleware:
    """Answer 400 to a NUL character in the path, the query string or a posted form.

    PostgreSQL cannot store or compare text with NUL, so such input would
    otherwise surface as a database error (500) in whichever view, form, filter
    or lookup passes it on; one check here instead of one in each of them. The
    API's request bodies (JSON, and the forms of a PUT or PATCH, which Django
    does not parse) are checked by its parsers (core.parsers).

    A form is read here, before the CSRF check, which reads it as well; a form
    larger than DATA_UPLOAD_MAX_MEMORY_SIZE is Django's own 400.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.has_null_character(request):
            # Before LocaleMiddleware: the visitor's chosen language (the switch's cookie) by hand.
            with translation.override(chosen_language(request)):
                message = gettext("Ongeldig teken (NUL) in het adres of het formulier.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def has_null_character(request) -> bool:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            return True
        if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
            return contains_null_character(request.POST) or contains_null_character(file_names(request.FILES))
        return False


FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def chosen_language(request) -> str:
    """The language DutchFirstMiddleware and LocaleMiddleware will choose: the switch's cookie, else Dutch."""
    try:
        return translation.get_supported_language_variant(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""))
    except LookupError:
        return settings.LANGUAGE_CODE


class PrivateResponsesNotStoredMiddleware:
    """``Cache-Control: no-store, private`` on every response to a signed-in request.

    Whatever a signed-in person sees may hold a draft or a private record, so no browser or
    proxy keeps a copy (the back button after logging out, a shared computer, a caching proxy);
    one rule for all pages instead of each view remembering it. A view that chose its own
    Cache-Control (the exports, the mention suggestions) keeps it. Anonymous visitors only ever
    see public pages, which stay cacheable.

    Checked after the view: Django REST framework authenticates a token inside the view and
    puts that user on the request then. A request carrying an Authorization header counts as
    signed in even when the credentials were refused.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        if signed_in(request):
            has_credentials = "HTTP_AUTHORIZATION" in request.META
            patch_cache_control(response, no_store=True, private=True)
            patch_vary_headers(response, ("Authorization",) if has_credentials else ("Cookie",))
        return response


def signed_in(request) -> bool:
    """A request with credentials: an authenticated user, or an Authorization header (even refused credentials).

    What such a request gets back is never stored (above), shared (core.public_cache) nor compressed
    (core.compression).
    """
    user = getattr(request, "user", None)
    return "HTTP_AUTHORIZATION" in request.META or (user is not None and user.is_authenticated)
