from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from inspections.models import Inspector, InspectorZone, School, ZoneAssignment
from inspections.services import inspector_save


@admin.register(School)
class SchoolAdmin(SimpleHistoryAdmin):
    """Status (closed, merged) changes through the school's page, which logs it."""

    list_display = ["name", "county", "kind", "ownership", "is_central", "status"]
    list_filter = ["kind", "ownership", "status", "is_central"]
    list_select_related = ["county"]
    search_fields = ["name", "address"]
    raw_id_fields = ["county", "merged_into"]
    readonly_fields = ["status", "status_date", "merged_into"]


@admin.register(Inspector)
class InspectorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "county", "kind", "unit", "phone", "is_active"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["county"]
    search_fields = ["name", "unit", "phone", "user__username"]
    raw_id_fields = ["county", "user"]

    def save_model(self, request, obj, form, change):
        # Through the service: linking an account is logged like on the register's page.
        inspector_save(inspector=obj, acting_user=request.user)


class ZoneAssignmentInline(admin.TabularInline):
    model = ZoneAssignment
    fields = ["school", "inspector", "started_on", "ended_on"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(InspectorZone)
class InspectorZoneAdmin(SimpleHistoryAdmin):
    """The inspector and the schools change through the zone's page (dated, logged)."""

    list_display = ["name", "county", "inspector"]
    list_select_related = ["county", "inspector"]
    search_fields = ["name"]
    raw_id_fields = ["county"]
    readonly_fields = ["inspector"]
    inlines = [ZoneAssignmentInline]
