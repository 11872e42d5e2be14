from django.contrib import admin

from jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Read-only: a job's state is its worker's to write."""

    list_display = ("title", "kind", "state", "user", "created_at", "finished_at")
    list_filter = ("state", "kind")
    search_fields = ("title", "user__username")
    readonly_fields = [field.name for field in Job._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
