from django import forms
from django.utils.translation import gettext_lazy as _

from bulletins.models import Bulletin
from bulletins.paragraphs import DEFAULTS


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BulletinCreateForm(forms.Form):
    office = forms.ModelChoiceField(label=_("Office"), queryset=None, empty_label=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=Bulletin.Kind.choices)
    period_start = forms.DateField(label=_("Period from"), widget=_date_input())
    period_end = forms.DateField(label=_("Period until"), widget=_date_input())
    counties = forms.ModelMultipleChoiceField(label=_("Counties"), queryset=None, widget=forms.CheckboxSelectMultiple)
    round = forms.ModelChoiceField(
        label=_("Evaluation round"),
        queryset=None,
        required=False,
        help_text=_("Optional: a published round whose results and ranking the bulletin reports."),
    )

    def __init__(self, *args, offices, counties, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        self.fields["counties"].queryset = counties
        self.fields["round"].queryset = rounds

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends on or after the day it starts."))
        round_, office = cleaned.get("round"), cleaned.get("office")
        if round_ is not None and office is not None and round_.office_id != office.pk:
            self.add_error("round", _("Choose a published round of the same office."))
        return cleaned


class ParagraphTemplatesForm(forms.Form):
    """One text per paragraph kind; its help lists the figures it may use."""

    def __init__(self, *args, texts: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for key, (label, names, _default) in DEFAULTS.items():
            self.fields[key] = forms.CharField(
                label=label,
                initial=texts[key],
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=" ".join("{" + name + "}" for name in names) or _("No figures."),
            )
