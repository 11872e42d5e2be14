"""What a request may do through the API before the areas' own rules decide about each record:
be signed in, and write only with a read-write token."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from api.models import ApiToken


class TokenScope(permissions.IsAuthenticated):
    message = _("This token reads only: it may not write.")

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        # A session (the docs page) writes as the pages do; a token only with its write scope.
        return not isinstance(request.auth, ApiToken) or request.auth.writes
