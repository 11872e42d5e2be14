"""Admin for the plans app.

Counties number in the thousands and plans carry dozens of tasks, so every foreign key to a
county, office or plan is an autocomplete or raw-id field, never a full select.
"""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from plans.models import (
    County,
    CountyAlias,
    Membership,
    Office,
    Project,
    Region,
    ScheduleEntry,
    Section,
    Task,
    WorkPlan,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]


class CountyAliasInline(admin.TabularInline):
    model = CountyAlias
    extra = 0


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "city", "code"]
    list_filter = ["kind", ("city__parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "code", "city__name", "aliases__name"]
    autocomplete_fields = ["city"]
    list_select_related = ["city"]
    inlines = [CountyAliasInline]


@admin.register(CountyAlias)
class CountyAliasAdmin(admin.ModelAdmin):
    list_display = ["name", "county"]
    search_fields = ["name", "county__name"]
    autocomplete_fields = ["county"]
    list_select_related = ["county"]


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "region", "county", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "region__name", "county__name"]
    autocomplete_fields = ["parent", "region", "county"]
    list_select_related = ["region", "county", "parent"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "office", "role"]
    list_filter = ["role", "office__level"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "office__name"]
    autocomplete_fields = ["user", "office"]
    list_select_related = ["user", "office"]


class SectionInline(admin.TabularInline):
    model = Section
    fields = ["position", "level", "label", "heading", "parent"]
    raw_id_fields = ["parent"]
    extra = 0
    show_change_link = True


class TaskInline(admin.TabularInline):
    model = Task
    fields = ["number", "label", "title", "section", "lead_unit"]
    raw_id_fields = ["section"]
    extra = 0
    show_change_link = True


class ProjectInline(admin.TabularInline):
    model = Project
    fields = ["number", "label", "name"]
    extra = 0
    show_change_link = True


class ScheduleEntryInline(admin.TabularInline):
    model = ScheduleEntry
    fields = ["position", "period", "start_month", "end_month", "months", "granularity", "task"]
    raw_id_fields = ["task"]
    extra = 0
    show_change_link = True


@admin.register(WorkPlan)
class WorkPlanAdmin(admin.ModelAdmin):
    list_display = ["title", "doc_number", "office", "plan_year", "issue_date", "status"]
    list_filter = ["status", "plan_year", "office__level", "office"]
    search_fields = ["title", "notice_title", "doc_number", "office__name"]
    autocomplete_fields = ["office", "created_by"]
    list_select_related = ["office"]
    date_hierarchy = "issue_date"
    readonly_fields = ["source_sha256", "created_at", "updated_at", "published_at"]
    fieldsets = [
        (
            None,
            {"fields": ["office", "title", "plan_year", "status", "doc_number", "issue_date"]},
        ),
        (
            _("Notice"),
            {
                "fields": [
                    "notice_title",
                    "recipients",
                    "notice_text",
                    "preamble",
                    "cc",
                    "imprint",
                    "notes",
                ]
            },
        ),
        (
            _("Import"),
            {
                "classes": ["collapse"],
                "fields": [
                    "source_name",
                    "source_sha256",
                    "import_warnings",
                    "source_text",
                    "created_by",
                    "created_at",
                    "updated_at",
                    "published_at",
                ],
            },
        ),
    ]
    inlines = [SectionInline, TaskInline, ProjectInline, ScheduleEntryInline]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "plan", "level", "position"]
    list_filter = ["level", "plan__plan_year"]
    search_fields = ["heading", "label", "plan__title"]
    autocomplete_fields = ["plan"]
    raw_id_fields = ["parent"]
    list_select_related = ["plan"]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "plan", "section", "lead_unit"]
    list_filter = ["plan__plan_year", "plan__status", "plan__office"]
    search_fields = ["title", "text", "lead_unit", "plan__title", "plan__doc_number"]
    autocomplete_fields = ["plan", "lead_office", "counties"]
    raw_id_fields = ["section"]
    list_select_related = ["plan", "section"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "plan"]
    list_filter = ["plan__plan_year", "plan__office"]
    search_fields = ["name", "goal", "annual_target", "plan__title"]
    autocomplete_fields = ["plan"]
    list_select_related = ["plan"]


@admin.register(ScheduleEntry)
class ScheduleEntryAdmin(admin.ModelAdmin):
    list_display = ["position", "period", "start_month", "end_month", "granularity", "plan", "task"]
    list_filter = ["granularity", "plan__plan_year", "plan__office"]
    search_fields = ["period", "text", "plan__title"]
    autocomplete_fields = ["plan", "counties"]
    raw_id_fields = ["task"]
    list_select_related = ["plan", "task"]
