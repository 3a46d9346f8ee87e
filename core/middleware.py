from django.http import HttpResponseBadRequest


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
    """Answer 400 to a NUL character in the path or query string.

    PostgreSQL cannot store or compare text with NUL, so such input would
    otherwise surface as a database error (500) in whichever view or filter
    passes it on.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            "\x00" in request.path
            or "%00" in request.META.get("QUERY_STRING", "")
            or "\x00" in request.META.get("QUERY_STRING", "")
        ):
            return HttpResponseBadRequest("Ongeldig teken in het adres.")
        return self.get_response(request)
