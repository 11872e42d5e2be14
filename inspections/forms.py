"""The register's forms: a county's choices limited to those the user keeps."""

import uuid

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspections.models import (
    VISIT_TOPICS,
    ChecklistAnswer,
    Inspection,
    InspectionMember,
    Inspector,
    InspectorZone,
    School,
)
from inspections.selectors import county_active_inspectors


class SchoolForm(forms.ModelForm):
    class Meta:
        model = School
        fields = ["county", "name", "kind", "ownership", "is_central", "address"]

    def __init__(self, *args, counties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties
        if self.instance.pk:
            # A school stays in its county (a school moving counties is closed and opened anew).
            self.fields["county"].disabled = True


class SchoolCloseForm(forms.Form):
    on = forms.DateField(label=_("On"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    merged_into = forms.ModelChoiceField(
        label=_("Merged into"),
        queryset=School.objects.none(),
        required=False,
        empty_label=_("— closed, not merged —"),
        help_text=_("Leave empty when the school closes; choose its successor when it is merged."),
    )

    def __init__(self, *args, school: School, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        self.fields["merged_into"].queryset = (
            School.objects.filter(county_id=school.county_id, status=School.Status.OPEN)
            .exclude(pk=school.pk)
            .order_by("name")
        )


class SchoolImportForm(forms.Form):
    file = forms.FileField(label=_("Workbook (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))


class InspectorForm(forms.ModelForm):
    user = forms.ModelChoiceField(
        label=_("User account"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("Optional: the user name of the inspector's account."),
        widget=forms.TextInput,
        to_field_name="username",
    )

    class Meta:
        model = Inspector
        fields = ["county", "name", "kind", "unit", "phone", "user", "is_active"]

    def __init__(self, *args, counties, links_accounts: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties
        if not links_accounts:
            # Only an administrator links a 督学 to an account: whoever holds the account signs
            # in as the 督学 of the county's schools.
            del self.fields["user"]
            return
        self.fields["user"].queryset = get_user_model().objects.filter(is_active=True)
        if self.instance.pk and self.instance.user_id:
            self.initial["user"] = self.instance.user.get_username()

    def clean_user(self):
        user = self.cleaned_data.get("user")
        if user is not None:
            taken = Inspector.objects.filter(user=user).exclude(pk=self.instance.pk).first()
            if taken is not None:
                raise forms.ValidationError(
                    _("This account is linked to %(inspector)s already."),
                    code="account_taken",
                    params={"inspector": taken.name},
                )
        return user


class ZoneForm(forms.Form):
    county = forms.ModelChoiceField(label=_("County"), queryset=None)
    name = forms.CharField(label=_("Name"), max_length=64)

    def __init__(self, *args, counties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties


class ZoneRenameForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=64)


class ZoneInspectorForm(forms.Form):
    inspector = forms.ModelChoiceField(
        label=_("Responsible inspector"), queryset=None, required=False, empty_label=_("— nobody —")
    )
    on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, zone: InspectorZone, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspector"].queryset = county_active_inspectors(county_id=zone.county_id)
        self.fields["inspector"].initial = zone.inspector_id
        self.fields["on"].initial = timezone.localdate()


class ZoneSchoolsForm(forms.Form):
    schools = forms.ModelMultipleChoiceField(
        label=_("Schools"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, zone: InspectorZone, candidates, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = candidates
        self.fields["schools"].initial = [school.pk for school in current]
        self.fields["on"].initial = timezone.localdate()


# --- Inspections ---------------------------------------------------------------------------------


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InspectionForm(forms.ModelForm):
    """An inspection's facts and what it concerns. The choices are those of the offices the user
    runs inspections for; the service checks them against the office chosen."""

    class Meta:
        model = Inspection
        fields = [
            "office",
            "kind",
            "title",
            "description",
            "starts_on",
            "ends_on",
            "self_assessment_due",
            "tasks",
            "counties",
            "schools",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "starts_on": _date_input(),
            "ends_on": _date_input(),
            "self_assessment_due": _date_input(),
            "counties": forms.CheckboxSelectMultiple,
            "schools": forms.SelectMultiple(attrs={"size": 8}),
            "tasks": forms.SelectMultiple(attrs={"size": 10}),
        }
        labels = {"kind": _("Kind of inspection")}
        help_texts = {
            "self_assessment_due": _("Leave empty when the counties are not asked for a self-assessment (自查自评)."),
            "tasks": _("Tasks of the office's published plans of the inspection's year; hold Ctrl to choose several."),
            "schools": _("Optional: the schools visited, of the counties chosen."),
        }

    def __init__(self, *args, offices, tasks, counties, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        self.fields["office"].empty_label = None
        if self.instance.pk:
            self.fields["office"].disabled = True
        self.fields["tasks"].queryset = tasks
        self.fields["tasks"].choices = _grouped(
            tasks,
            lambda task: f"{task.plan.plan_year} · {task.plan.title}",
            lambda task: f"{task.number}. {task.title}",
        )
        self.fields["counties"].queryset = counties
        self.fields["schools"].queryset = schools
        self.fields["schools"].choices = _grouped(schools, lambda school: school.county.name, str)

    def clean(self):
        cleaned = super().clean()
        starts, ends, due = cleaned.get("starts_on"), cleaned.get("ends_on"), cleaned.get("self_assessment_due")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The visit ends on or after the day it starts."))
        if starts and due and due > starts:
            self.add_error("self_assessment_due", _("The self-assessment is due before the visit starts."))
        return cleaned


def _grouped(rows, group, label) -> list:
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(group(row), []).append((row.pk, label(row)))
    return list(groups.items())


class MemberForm(forms.Form):
    # An empty row's role is "member": left as it is, the row counts as unchanged and is skipped.
    role = forms.ChoiceField(
        label=_("Role"), choices=InspectionMember.Role.choices, initial=InspectionMember.Role.MEMBER
    )
    name = forms.CharField(label=_("Full name"), max_length=64)
    unit = forms.CharField(label=_("Unit"), max_length=128, required=False)
    inspector = forms.ModelChoiceField(
        label=_("Inspector of the register"), queryset=Inspector.objects.none(), required=False
    )
    user = forms.ModelChoiceField(
        label=_("User account"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.TextInput,
        to_field_name="username",
        help_text=_("Optional: a member with an account records findings."),
    )

    def __init__(self, *args, inspectors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspector"].queryset = inspectors
        self.fields["user"].queryset = get_user_model().objects.filter(is_active=True)


class BaseMemberFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        leaders = [
            form
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form) and form.cleaned_data["role"] == "leader"
        ]
        if len(leaders) > 1:
            raise forms.ValidationError(_("An inspection has one leader."), code="one_leader")


MemberFormSet = forms.formset_factory(MemberForm, formset=BaseMemberFormSet, extra=2, can_delete=True)


class ChecklistItemForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    section = forms.CharField(label=_("Section"), max_length=128, required=False)
    title = forms.CharField(label=_("Item"), widget=forms.Textarea(attrs={"rows": 2}))
    guidance = forms.CharField(label=_("What to look at"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    evidence = forms.CharField(label=_("Evidence to ask for"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


ChecklistFormSet = forms.formset_factory(ChecklistItemForm, extra=3, can_delete=True, can_order=True)


def checklist_formset_items(formset) -> list:
    """The items a valid checklist formset keeps, in the order asked (new ones last unless
    numbered)."""
    from inspections.services.checklists import ItemData

    return [
        ItemData(
            section=form.cleaned_data.get("section", ""),
            title=form.cleaned_data["title"],
            guidance=form.cleaned_data.get("guidance", ""),
            evidence=form.cleaned_data.get("evidence", ""),
            pk=form.cleaned_data.get("id"),
        )
        for form in formset.ordered_forms
        if form.cleaned_data.get("title")
    ]


def checklist_initial(items) -> list[dict]:
    return [
        {
            "id": getattr(item, "pk", None),
            "section": item.section,
            "title": item.title,
            "guidance": item.guidance,
            "evidence": item.evidence,
            "ORDER": number,
        }
        for number, item in enumerate(items, start=1)
    ]


class TemplateNameForm(forms.Form):
    name = forms.CharField(label=_("Name of the template"), max_length=128)


class SelfAssessmentForm(forms.Form):
    """A county's rating and account of each checklist item (an item left unrated is not
    answered yet)."""

    def __init__(self, *args, items, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        choices = [("", _("Not answered yet")), *ChecklistAnswer.Rating.choices]
        for item in self.items:
            answer = answers.get(item.pk)
            self.fields[f"rating_{item.pk}"] = forms.ChoiceField(
                label=_("Self-rating"),
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                initial=answer.rating if answer else "",
            )
            self.fields[f"text_{item.pk}"] = forms.CharField(
                label=_("Account"),
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                initial=answer.text if answer else "",
            )

    def rows(self):
        return [(item, self[f"rating_{item.pk}"], self[f"text_{item.pk}"]) for item in self.items]

    def answers(self) -> dict[int, tuple[str, str]]:
        return {
            item.pk: (self.cleaned_data[f"rating_{item.pk}"], self.cleaned_data[f"text_{item.pk}"])
            for item in self.items
        }


class InspectionMoveForm(forms.Form):
    to = forms.ChoiceField(choices=Inspection.Status.choices)


# --- 挂牌督导 visits -----------------------------------------------------------------------------

MONTH_CHOICES = [(month, f"{month}月") for month in range(1, 13)]


class VisitRhythmForm(forms.Form):
    county = forms.ModelChoiceField(label=_("County"), queryset=None)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())
    period = forms.CharField(
        label=_("Rhythm"),
        max_length=32,
        initial="每月",
        help_text=_("As a plan writes recurring work: 每月, 每月10日前, 每季度, 每半年, 每学期 or 每周."),
    )
    months = forms.TypedMultipleChoiceField(
        label=_("Months in which visits are due"),
        coerce=int,
        choices=MONTH_CHOICES,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-grid"}),
        error_messages={"required": _("Choose at least one month in which visits are due.")},
    )

    def __init__(self, *args, counties, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties
        self.fields["year"].choices = [(year, f"{year}年") for year in years]

    def clean_period(self):
        from inspections.visits import visit_period_check

        try:
            return visit_period_check(self.cleaned_data["period"])
        except ValidationError as error:
            raise forms.ValidationError(error.error_dict["period"]) from None


class VisitForm(forms.Form):
    """A visit, on a phone: one column, native date input and checkboxes, no script."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput)
    visited_on = forms.DateField(
        label=_("Visited on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    topics = forms.MultipleChoiceField(
        label=_("Matters looked at"),
        choices=VISIT_TOPICS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    record = forms.CharField(
        label=_("Record of the visit (督导记录)"),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Write the record of the visit.")},
    )
    opinion = forms.CharField(
        label=_("Opinion for the school (督导意见)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["visited_on"].initial = today
        self.fields["visited_on"].widget.attrs["max"] = today.isoformat()
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4())

    def clean_visited_on(self):
        day = self.cleaned_data["visited_on"]
        if day > self.today:
            raise forms.ValidationError(
                _("A visit is recorded once it has taken place: the date is after today."), code="future"
            )
        return day
