"""The register's forms: a county's choices limited to those the user keeps."""

import uuid

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspections.models import VISIT_TOPICS, Inspector, InspectorZone, School


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
        self.fields["inspector"].queryset = Inspector.objects.filter(county_id=zone.county_id, is_active=True).order_by(
            "name"
        )
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
