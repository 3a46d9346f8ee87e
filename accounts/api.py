"""API keys through the API: get one with a password, list and revoke your own (see accounts/api_tokens.py).

- ``POST /api/v1/auth/token/`` ``{"username", "password"}`` -> ``{"token", "expires"}``: the key is in
  this answer only.
- ``GET /api/v1/auth/tokens/``: your keys that still work (prefix, created, expires), never a key.
- ``DELETE /api/v1/auth/tokens/<prefix>/``: revoke one of yours; an unknown prefix or someone
  else's is 404.
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import api_tokens
from accounts.models import ApiToken
from core.api import bind


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the schema (/api/v1/docs/) describes ``Authorization: Token <key>``."""

    target_class = "accounts.api_tokens.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Token")


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=254, trim_whitespace=False)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})


class IssuedTokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="De API-sleutel. Alleen in dit antwoord: bewaar hem nu.")
    expires = serializers.DateTimeField()


class ApiTokenSerializer(serializers.Serializer):
    prefix = serializers.CharField(source="token_key")
    created = serializers.DateTimeField()
    expires = serializers.DateTimeField(source="expiry")


class ObtainTokenView(APIView):
    """A new API key for a username (or e-mail address) and password. Send it as ``Authorization: Token <key>``."""

    # The password is the credential: no session or key is looked at (and a
    # browser's session cannot be used to mint a key without it).
    authentication_classes: list = []
    permission_classes: list = []

    @extend_schema(
        request=CredentialsSerializer,
        responses={200: IssuedTokenSerializer, 400: OpenApiResponse(description="Wrong username or password.")},
    )
    def post(self, request):
        credentials = bind(CredentialsSerializer, request)
        # With the request: the brute-force guard (accounts.throttling, an authentication
        # backend) counts failures per account and client; while locked out its middleware
        # answers 429 instead of the 400 below.
        user = authenticate(request=request, username=credentials["username"], password=credentials["password"])
        if user is None:
            raise exceptions.ValidationError(
                {"non_field_errors": [_("Inloggen met deze gebruikersnaam en dit wachtwoord lukt niet.")]}
            )
        # No user_logged_in signal (as DRF's obtain_auth_token): its receivers are about a
        # session (accounts.middleware), and a key is no session.
        auth_token, key = api_tokens.api_token_create(user=user)
        data = IssuedTokenSerializer({"token": key, "expires": auth_token.expiry}).data
        return Response(data, headers={"Cache-Control": "no-store"})


class ApiTokenListView(generics.ListAPIView):
    """Your API keys that still work, newest first: their prefix (the first characters of the key) and dates."""

    permission_classes = [IsAuthenticated]
    serializer_class = ApiTokenSerializer
    filter_backends: list = []

    def get_queryset(self):
        if not self.request.user.is_authenticated:  # the schema generator
            return ApiToken.objects.none()
        return api_tokens.api_tokens_of(self.request.user)


class ApiTokenRevokeView(APIView):
    """Revoke one of your API keys by its prefix; it stops working at once."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None, 404: OpenApiResponse(description="Not found, or not yours.")})
    def delete(self, request, prefix: str):
        if not api_tokens.api_token_revoke(user=request.user, prefix=prefix):
            raise Http404
        return Response(status=status.HTTP_204_NO_CONTENT)
