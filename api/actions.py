"""The action types the API area writes to the audit log: a personal token made or revoked."""

from django.utils.translation import gettext_lazy as _

from audit.registry import action_type_register as _register

TOKEN_CREATED = _register("api.token.created", _("API token created"))
TOKEN_REVOKED = _register("api.token.revoked", _("API token revoked"))
