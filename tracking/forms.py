"""Forms of supervised work: a county's report, staff's review, a moved due date."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from tracking.models import ProgressReport


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ReportForm(forms.Form):
    progress = forms.ChoiceField(label=_("Progress"), choices=ProgressReport.Progress.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What was done, by whom and when; what remains."),
    )
    files = MultipleFileField(label=_("Evidence"), required=False)
    # Made when the form is shown: the same form sent twice (a retry) makes one report.
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, kind=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kind is not None:
            # The reports its kind of obligation takes (tracking.kinds).
            self.fields["progress"].choices = kind.progress_choices()
            self.fields["files"].required = kind.evidence_required
        self.fields["files"].help_text = _(
            "PDF, JPEG or PNG images, Word or Excel; at most %(file)s a file and %(total)s in all."
        ) % {
            "file": filesizeformat(settings.EVIDENCE_MAX_FILE_BYTES),
            "total": filesizeformat(settings.EVIDENCE_MAX_REPORT_BYTES),
        }


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("return", _("Return with a comment"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DueDateForm(forms.Form):
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class CountyContactForm(forms.Form):
    name = forms.CharField(label=_("Contact person"), max_length=64, required=False)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("Reminders (催办) are sent to this address."),
    )
    phone = forms.RegexField(
        label=_("Phone"),
        max_length=32,
        required=False,
        regex=r"^[0-9+\-() 转]*$",
        error_messages={"invalid": _("Write a phone number: digits, spaces, + - ( ) and 转 only.")},
    )
