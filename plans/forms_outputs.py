"""Forms of the output pages: the Excel upload, its signed confirmation, the feed settings."""

from pathlib import PurePath

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from plans.outputs.excel_import import LIMITS

EXCEL_IMPORT_SALT = "plans.excel_import"
EXCEL_IMPORT_MAX_AGE = 2 * 3600


class ExcelUploadForm(forms.Form):
    workbook = forms.FileField(
        label=_("Edited workbook (.xlsx)"),
        help_text=_("The file exported from this plan, edited in Excel or WPS; at most %(limit)s."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["workbook"]
        field.help_text = field.help_text % {"limit": filesizeformat(LIMITS.file_bytes)}

    def clean_workbook(self):
        upload = self.cleaned_data["workbook"]
        if PurePath(upload.name).suffix.lower() != ".xlsx":
            raise ValidationError(
                _("Upload an Excel workbook (.xlsx); save an .xls or .et file as .xlsx first."),
                code="suffix",
            )
        if upload.size > LIMITS.file_bytes:
            raise ValidationError(
                _("The file is larger than %(limit)s; an exported plan is far smaller."),
                code="too_large",
                params={"limit": filesizeformat(LIMITS.file_bytes)},
            )
        return upload


def excel_import_token(*, user, plan, version: int, pending_name: str, sha256: str) -> str:
    """What the preview showed, signed: the stored file, whose upload, for which plan and
    version. The confirmation reads all of it from here, nothing from the browser."""
    return signing.dumps(
        {"u": user.pk, "p": plan.pk, "v": version, "f": pending_name, "s": sha256},
        salt=EXCEL_IMPORT_SALT,
    )


def excel_import_token_read(token: str, *, user, plan) -> dict:
    try:
        payload = signing.loads(token, salt=EXCEL_IMPORT_SALT, max_age=EXCEL_IMPORT_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError(_("The preview has expired; upload the workbook again."), code="expired") from None
    except signing.BadSignature:
        raise ValidationError(_("The preview was altered; upload the workbook again."), code="altered") from None
    if payload.get("u") != user.pk or payload.get("p") != plan.pk:
        raise ValidationError(_("The preview was altered; upload the workbook again."), code="altered")
    return payload


class FeedTokenForm(forms.Form):
    action = forms.ChoiceField(choices=[("renew", "renew"), ("revoke", "revoke")])
