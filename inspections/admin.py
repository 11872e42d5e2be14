from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from inspections.documents import template_check, template_kind_choices
from inspections.models import (
    DocumentSeries,
    DocumentTemplate,
    Finding,
    Inspector,
    InspectorZone,
    IssuedDocument,
    Rectification,
    School,
    ZoneAssignment,
)
from inspections.services.register import inspector_save


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


# --- Documents ----------------------------------------------------------------------------------


@admin.register(DocumentSeries)
class DocumentSeriesAdmin(admin.ModelAdmin):
    """An office's 文号 prefix: what its inspection documents are numbered with."""

    list_display = ["office", "prefix"]
    list_select_related = ["office"]
    search_fields = ["office__name", "prefix"]
    raw_id_fields = ["office"]


class DocumentTemplateForm(forms.ModelForm):
    kind = forms.ChoiceField(label=_("kind"), choices=template_kind_choices)

    class Meta:
        model = DocumentTemplate
        fields = ["office", "kind", "file"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        # A new upload is checked as evidence is (a real .docx, no zip bomb) and filled in once
        # with sample content, so that a broken template is refused here, not when printing.
        if upload is not None and getattr(upload, "content_type", None) is not None:
            template_check(upload)
        return upload


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    form = DocumentTemplateForm
    list_display = ["kind", "office", "uploaded_at"]
    list_filter = ["kind"]
    list_select_related = ["office"]
    raw_id_fields = ["office"]
    readonly_fields = ["uploaded_at"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields["file"].help_text = _(
            "A .docx in which {{ office }}, {{ doc_number }}, {{ title }}, {{ recipient }}, {{ date }} and the "
            "loop over {{ sections }} (heading, paragraphs, table) are filled in; start from the default "
            "template of its kind (inspections/docx/)."
        )
        return form

    def save_model(self, request, obj, form, change):
        if "file" in form.changed_data:
            obj.uploaded_at = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(admin.ModelAdmin):
    """Issued documents are read here, never changed: their number and text are as issued."""

    list_display = ["doc_number", "title", "kind", "county", "issued_at"]
    list_filter = ["kind", "year"]
    list_select_related = ["county"]
    search_fields = ["doc_number", "title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
