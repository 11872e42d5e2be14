from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from api.tokens import api_token_authenticate


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer sv_…`: a personal token. An unknown, expired or revoked one is
    refused outright rather than read as anonymous."""

    keyword = "Bearer"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("The Authorization header carries one token."))
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("This token is unknown, expired or revoked.")) from None
        token = api_token_authenticate(secret)
        if token is None:
            raise exceptions.AuthenticationFailed(_("This token is unknown, expired or revoked."))
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword
