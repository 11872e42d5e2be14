from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from inspections.models import Finding, Inspector, InspectorZone, Rectification, School, ZoneAssignment


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
    search_fields = ["name", "unit", "phone"]
    raw_id_fields = ["county", "user"]


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


# --- Findings and rectification ----------------------------------------------------------------
# Read-only: a finding is recorded, and a 整改 item issued, escalated and confirmed, through their
# pages (each step audited, the county's obligation written with it); the admin only looks.


class _ReadOnly(SimpleHistoryAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Finding)
class FindingAdmin(_ReadOnly):
    list_display = ["__str__", "county", "school", "severity", "inspection", "visit", "created_at"]
    list_filter = ["severity"]
    list_select_related = ["county", "school", "inspection", "visit__school"]
    search_fields = ["text"]


@admin.register(Rectification)
class RectificationAdmin(_ReadOnly):
    list_display = ["__str__", "county", "office", "year", "needs_follow_up", "confirmed_by", "escalation"]
    list_filter = ["year", "needs_follow_up", "escalation"]
    list_select_related = ["county", "office", "confirmed_by"]
    search_fields = ["requirement"]
