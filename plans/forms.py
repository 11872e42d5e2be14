from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from plans.models import Office
from plans.parsing.readers import SUPPORTED


class OfficeChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            queryset=Office.objects.order_by("name"),
            required=False,
            label=_("Issuing office"),
            empty_label=_("Read from the document"),
            **kwargs,
        )


class ImportUploadForm(forms.Form):
    document = forms.FileField(
        label=_("Document file"),
        required=False,
        help_text=_(".txt (UTF-8 or GB18030), .docx or a text PDF."),
    )
    text = forms.CharField(
        label=_("Or paste the text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
    )
    office = OfficeChoiceField()

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if upload is None:
            return None
        suffix = PurePath(upload.name).suffix.lower()
        if suffix not in SUPPORTED:
            raise ValidationError(
                _("Unsupported file type %(suffix)s: use .txt, .docx or a text PDF."),
                code="unsupported_format",
                params={"suffix": suffix or "?"},
            )
        if upload.size > settings.IMPORT_MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is larger than %(limit)s."),
                code="too_large",
                params={"limit": filesizeformat(settings.IMPORT_MAX_UPLOAD_BYTES)},
            )
        return upload

    def clean(self):
        cleaned = super().clean()
        has_file = cleaned.get("document") is not None
        has_text = bool((cleaned.get("text") or "").strip())
        if not has_file and not has_text and not self.errors:
            raise ValidationError(_("Choose a file or paste the text of a notice."), code="required")
        if has_file and has_text:
            raise ValidationError(
                _("Choose a file or paste a text, not both."), code="both"
            )
        return cleaned


class ImportConfirmForm(forms.Form):
    text = forms.CharField(widget=forms.HiddenInput, strip=False)
    source_name = forms.CharField(widget=forms.HiddenInput, required=False, max_length=255)
    office = OfficeChoiceField(widget=forms.HiddenInput)
    publish = forms.BooleanField(label=_("Publish the plan right away"), required=False)
    replace = forms.BooleanField(
        label=_("Replace an existing draft of the same document"), required=False
    )
