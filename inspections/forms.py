"""The register's forms: a county's choices limited to those the user keeps."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspections.models import Inspector, InspectorZone, School


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

    def __init__(self, *args, counties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties
        self.fields["user"].queryset = get_user_model().objects.filter(is_active=True)
        if self.instance.pk and self.instance.user_id:
            self.initial["user"] = self.instance.user.get_username()


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
