"""Forms of findings and 整改: choices limited to the inspection's own counties, schools and items,
and to the office's own open items."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspections.models import Finding, Inspection, Rectification
from tracking.forms import MultipleFileField, MultipleFileInput

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SchoolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class FindingForm(forms.Form):
    county = forms.ModelChoiceField(label=_("County"), queryset=None)
    school = SchoolChoiceField(label=_("School"), queryset=None, required=False, empty_label=_("— the county itself —"))
    item = forms.ModelChoiceField(label=_("Checklist item"), queryset=None, required=False, empty_label=_("— none —"))
    text = forms.CharField(
        label=_("What was found"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What was seen, where, and what rule or checklist item it falls short of."),
    )
    severity = forms.ChoiceField(
        label=_("Severity"),
        choices=Finding.Severity.choices,
        initial=Finding.Severity.GENERAL,
        widget=forms.RadioSelect,
    )
    photos = MultipleFileField(
        label=_("Photos"),
        required=False,
        # On a phone: the camera, or the photos already taken.
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png", "capture": "environment"}),
    )
    files = MultipleFileField(
        label=_("Files"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx,image/*"}),
    )
    # Made when the form is shown, kept with the draft: a form sent twice makes one finding.
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, inspection: Inspection | None = None, schools=None, visit=None, **kwargs):
        super().__init__(*args, **kwargs)
        if visit is not None:
            # A visit's finding is the visited school's: no place to choose, no checklist.
            for name in ("county", "school", "item"):
                del self.fields[name]
        else:
            counties = list(inspection.counties.order_by("code", "name"))
            self.fields["county"].queryset = inspection.counties.order_by("code", "name")
            if len(counties) == 1:
                self.fields["county"].initial = counties[0].pk
            self.fields["school"].queryset = schools
            self.fields["item"].queryset = inspection.checklist.order_by("position", "pk")
            if not self.fields["item"].queryset.exists():
                del self.fields["item"]
        limits = _("JPEG or PNG photos, PDF, Word or Excel files; at most %(file)s a file and %(total)s in all.") % {
            "file": filesizeformat(settings.EVIDENCE_MAX_FILE_BYTES),
            "total": filesizeformat(settings.EVIDENCE_MAX_REPORT_BYTES),
        }
        self.fields["files"].help_text = limits

    def clean(self):
        cleaned = super().clean()
        county, school = cleaned.get("county"), cleaned.get("school")
        if county is not None and school is not None and school.county_id != county.pk:
            self.add_error("school", _("The school is not of the county chosen."))
        return cleaned

    @property
    def all_files(self) -> list:
        return [*self.cleaned_data.get("photos", []), *self.cleaned_data.get("files", [])]


class RectificationForm(forms.Form):
    requirement = forms.CharField(
        label=_("What is required"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The measure the county takes, and who at the county answers for it."),
    )
    done_when = forms.CharField(
        label=_("What counts as done"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The evidence the county sends to have it closed (销号)."),
    )
    due_date = forms.DateField(
        label=_("Deadline"),
        widget=DATE,
        help_text=_("On a holiday or weekend it moves back to the working day before (the official calendar)."),
    )
    needs_follow_up = forms.BooleanField(
        label=_("Closes only after a follow-up check (整改情况督查) confirms it on site"), required=False
    )
    office = forms.ModelChoiceField(label=_("Issued by"), queryset=None, required=False)

    def __init__(self, *args, offices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if offices is None:
            del self.fields["office"]
        else:
            self.fields["office"].queryset = offices
            self.fields["office"].required = True
            self.fields["office"].empty_label = None


class BulkRectificationForm(forms.Form):
    findings = forms.ModelMultipleChoiceField(
        label=_("Findings"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one finding.")},
    )
    requirement = forms.CharField(
        label=_("What is required"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Left empty: each item requires that what was found be put right."),
    )
    done_when = forms.CharField(
        label=_("What counts as done"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    due_date = forms.DateField(label=_("Deadline"), widget=DATE)
    needs_follow_up = forms.BooleanField(
        label=_("Closes only after a follow-up check (整改情况督查) confirms it on site"), required=False
    )

    def __init__(self, *args, findings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["findings"].queryset = findings


class EscalationForm(forms.Form):
    prefix = "escalation"
    escalation = forms.ChoiceField(label=_("Escalation"), choices=Rectification.Escalation.choices, required=False)
    note = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}))


class VerdictForm(forms.Form):
    # Beside the escalation and follow-up forms on the item's page: names of its own.
    prefix = "verdict"
    inspection = forms.ModelChoiceField(label=_("Follow-up check"), queryset=None, empty_label=None)
    decision = forms.ChoiceField(
        label=_("Verdict"),
        choices=[("confirm", _("Put right: confirmed on site")), ("not_confirmed", _("Not yet put right"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when it is not yet put right: the county reads it with its returned report."),
    )

    def __init__(self, *args, inspections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspection"].queryset = inspections


class FollowUpForm(forms.Form):
    """Put the chosen items on a follow-up check: an existing one, or a new one."""

    items = forms.ModelMultipleChoiceField(
        label=_("整改 items"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one open 整改 item.")},
    )
    inspection = forms.ModelChoiceField(
        label=_("Follow-up check"), queryset=None, required=False, empty_label=_("— a new follow-up check —")
    )
    title = forms.CharField(label=_("Title of the new check"), max_length=255, required=False)
    starts_on = forms.DateField(label=_("On site from"), widget=DATE, required=False)
    ends_on = forms.DateField(label=_("On site until"), widget=DATE, required=False)

    def __init__(self, *args, items, inspections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = items
        self.fields["inspection"].queryset = inspections
        self.fields["starts_on"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("inspection") is None:
            for name in ("title", "starts_on", "ends_on"):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("Needed for a new follow-up check."))
        return cleaned
