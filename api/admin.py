"""API tokens in the admin: read, and revoked through the service (an administrator stops a
leaked token); never made here, since a secret is shown only to its owner."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from api.models import ApiToken
from api.tokens import api_token_revoke


@admin.action(description=_("Revoke the selected tokens"))
def revoke_tokens(modeladmin, request, queryset):
    revoked = 0
    for token in queryset.filter(revoked_at=None):
        try:
            api_token_revoke(token=token, acting_user=request.user)
        except ValidationError:
            continue  # revoked meanwhile
        revoked += 1
    modeladmin.message_user(request, _("%(count)d tokens were revoked.") % {"count": revoked}, messages.SUCCESS)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "scope", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["scope"]
    search_fields = ["name", "prefix", "user__username"]
    list_select_related = ["user"]
    exclude = ["key_hash"]
    actions = [revoke_tokens]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, not deleted: its events keep pointing at it
