from django.contrib import admin

from audit.models import ActionLog


@admin.register(ActionLog)
class ActionLogAdmin(admin.ModelAdmin):
    """The audit log is read, never written, here."""

    list_display = ["datetime", "action_type", "content_type", "object_id", "user", "office"]
    list_filter = ["action_type", "content_type"]
    list_select_related = ["content_type", "user", "office"]
    search_fields = ["action_type", "user__username", "object_id"]
    raw_id_fields = ["user", "office"]
    date_hierarchy = "datetime"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
