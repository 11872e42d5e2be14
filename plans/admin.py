"""Admin for the plans app: a tool for administrators, not a back door.

Only superusers get in (organisation.apps sets the site's permission check). A plan's status and
lifecycle dates are read-only here: the actions call the same services as the plan page. Its
parts are editable inline only while it is a draft.

Counties number in the thousands and plans carry dozens of tasks, so every foreign key to a
county, office or plan is an autocomplete or raw-id field, never a full select.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from audit.services import log_action
from plans import actions, services
from plans.models import PlanRevision, PlanSource, Project, ScheduleEntry, Section, Task, WorkPlan
from plans.services.content import stale_error
from plans.services.drafts import draft_write
from plans.services.drafts import error_messages as draft_errors
from plans.transitions import TRANSITIONS


class _DraftOnlyInline(admin.TabularInline):
    """Parts of a plan change only while it is a draft (later, through a revision)."""

    extra = 0
    show_change_link = True

    def _editable(self, obj) -> bool:
        return obj is not None and obj.status == WorkPlan.Status.DRAFT

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


class SectionInline(_DraftOnlyInline):
    model = Section
    fields = ["position", "level", "label", "heading", "parent"]
    raw_id_fields = ["parent"]


class TaskInline(_DraftOnlyInline):
    model = Task
    fields = ["number", "label", "title", "section", "lead_unit", "addresses_all_counties"]
    raw_id_fields = ["section"]


class ProjectInline(_DraftOnlyInline):
    model = Project
    fields = ["number", "label", "name"]


class ScheduleEntryInline(_DraftOnlyInline):
    model = ScheduleEntry
    fields = ["position", "period", "start_month", "end_month", "months", "granularity", "deadline_day", "task"]
    raw_id_fields = ["task"]


class _PlanVersionForm(forms.ModelForm):
    """Carries the plan's version as the page was opened: saving over a later one is refused,
    as the edit page refuses it."""

    plan_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plan = self.plan_of(self.instance)
        if plan is not None:
            self.fields["plan_version"].initial = plan.version

    @staticmethod
    def plan_of(instance):
        if isinstance(instance, WorkPlan):
            return instance if instance.pk else None
        return instance.plan if getattr(instance, "plan_id", None) else None

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("plan")
        if isinstance(chosen, WorkPlan) and chosen.status not in WorkPlan.EDITABLE:
            # A part is added to or moved into a draft only; a published plan changes by revision.
            raise ValidationError(
                draft_errors["not_draft"], code="not_draft", params={"status": chosen.get_status_display()}
            )
        plan = self.plan_of(self.instance)
        expected = cleaned.get("plan_version")
        if plan is not None and expected is not None:
            current = WorkPlan.objects.get(pk=plan.pk)
            if current.version != expected:
                raise stale_error(current, yours=expected, acting_user=None)
        return cleaned


def _lifecycle_action(transition):
    def action(modeladmin, request, queryset):
        done = 0
        for plan in queryset:
            try:
                transition.service(plan=plan, acting_user=request.user)
            except ValidationError as exc:
                modeladmin.message_user(request, f"{plan}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                done += 1
        if done:
            modeladmin.message_user(request, _("%(count)d plan(s) done.") % {"count": done}, messages.SUCCESS)

    action.__name__ = transition.service.__name__
    action.short_description = transition.admin_label
    return action


@admin.register(WorkPlan)
class WorkPlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "doc_number", "office", "plan_year", "issue_date", "status", "revision"]
    list_filter = ["status", "plan_year", "office__level"]
    search_fields = ["title", "notice_title", "doc_number", "office__name"]
    autocomplete_fields = ["office", "created_by"]
    list_select_related = ["office"]
    date_hierarchy = "issue_date"
    # The lifecycle is the services' business: submit, publish, revise… are actions below.
    readonly_fields = [
        "status",
        "version",
        "revision",
        "revision_of",
        "created_at",
        "updated_at",
        "submitted_at",
        "published_at",
        "archived_at",
    ]
    fieldsets = [
        (None, {"fields": ["office", "title", "plan_year", "doc_number", "issue_date", "plan_version"]}),
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
                    "projects_first",
                ]
            },
        ),
        (
            _("Lifecycle"),
            {
                "fields": [
                    "status",
                    "version",
                    "revision",
                    "revision_of",
                    "created_by",
                    "created_at",
                    "updated_at",
                    "submitted_at",
                    "published_at",
                    "archived_at",
                ]
            },
        ),
    ]
    inlines = [SectionInline, TaskInline, ProjectInline, ScheduleEntryInline]
    form = _PlanVersionForm
    # The transitions that need no comment from the user (plans.transitions).
    actions = [_lifecycle_action(transition) for transition in TRANSITIONS.values() if transition.admin_label]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status != WorkPlan.Status.DRAFT:
            # A plan in review or issued changes only through the lifecycle.
            fields += [f.name for f in WorkPlan._meta.concrete_fields if f.name not in fields and f.name != "id"]
        return fields

    def has_delete_permission(self, request, obj=None):
        # Published plans are never deleted; drafts go through "discard".
        return obj is not None and obj.status == WorkPlan.Status.DRAFT and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            log_action(obj, actions.PLAN_CREATED, user=request.user, office=obj.office, data={"source": "admin"})
            return
        if obj.status not in WorkPlan.EDITABLE:
            return  # every field is read-only: nothing was saved
        # The header as the form changed it, written through the guarded write.
        changed = [f.name for f in WorkPlan._meta.concrete_fields if f.name in form.changed_data]
        with draft_write(
            plan=obj,
            expected_version=form.cleaned_data.get("plan_version"),
            acting_user=request.user,
            action=actions.PLAN_EDITED,
            data={"source": "admin", "fields": changed},
        ) as write:
            for name in changed:
                setattr(write.plan, name, getattr(obj, name))
            write.fields += changed
        obj.version = write.plan.version

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.plan_county_index_refresh(plan=form.instance)


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PlanRevision)
class PlanRevisionAdmin(_ReadOnlyAdmin):
    list_display = ["plan", "number", "doc_number", "published_at", "published_by"]
    list_select_related = ["plan", "published_by"]
    search_fields = ["plan__title", "doc_number", "note"]
    exclude = ["snapshot"]


@admin.register(PlanSource)
class PlanSourceAdmin(_ReadOnlyAdmin):
    list_display = ["plan", "name", "created_at", "created_by"]
    list_select_related = ["plan", "created_by"]
    search_fields = ["plan__title", "name", "sha256"]
    exclude = ["text"]


class _PlanPartAdmin(SimpleHistoryAdmin):
    """A part of a plan changes here only while its plan is a draft."""

    def _editable(self, obj) -> bool:
        return obj is None or obj.plan.status == WorkPlan.Status.DRAFT

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)

    form = _PlanVersionForm

    def _write(self, request, obj, *, expected_version=None, what: str):
        # A changed part is a changed plan: one guarded write moves its version (and so its
        # cached notice goes), keeps its county index, and logs the edit.
        return draft_write(
            plan=obj.plan,
            expected_version=expected_version,
            acting_user=request.user,
            action=actions.PLAN_EDITED,
            data={"source": "admin", "part": obj._meta.model_name, "what": what},
        )

    def save_model(self, request, obj, form, change):
        with self._write(
            request, obj, expected_version=form.cleaned_data.get("plan_version"), what="changed" if change else "added"
        ):
            super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        with self._write(request, obj, what="deleted"):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        # "Delete selected" too: one guarded write per part, as on its own page.
        for obj in queryset.select_related("plan"):
            self.delete_model(request, obj)


@admin.register(Section)
class SectionAdmin(_PlanPartAdmin):
    list_display = ["__str__", "plan", "level", "position"]
    list_filter = ["level", "plan__plan_year"]
    search_fields = ["heading", "label", "plan__title"]
    autocomplete_fields = ["plan"]
    raw_id_fields = ["parent"]
    list_select_related = ["plan"]


@admin.register(Task)
class TaskAdmin(_PlanPartAdmin):
    list_display = ["number", "title", "plan", "section", "lead_unit"]
    list_filter = ["plan__plan_year", "plan__status"]
    search_fields = ["title", "text", "lead_unit", "plan__title", "plan__doc_number"]
    autocomplete_fields = ["plan", "lead_office"]
    raw_id_fields = ["section"]
    list_select_related = ["plan", "section"]


@admin.register(Project)
class ProjectAdmin(_PlanPartAdmin):
    list_display = ["number", "name", "plan"]
    list_filter = ["plan__plan_year"]
    search_fields = ["name", "goal", "annual_target", "plan__title"]
    autocomplete_fields = ["plan"]
    list_select_related = ["plan"]


@admin.register(ScheduleEntry)
class ScheduleEntryAdmin(_PlanPartAdmin):
    list_display = ["position", "period", "start_month", "end_month", "granularity", "plan", "task"]
    list_filter = ["granularity", "plan__plan_year"]
    search_fields = ["period", "text", "plan__title"]
    autocomplete_fields = ["plan"]
    raw_id_fields = ["task"]
    list_select_related = ["plan", "task"]


# --- The official calendar ---------------------------------------------------------------------
