from dataclasses import dataclass
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from organisation.access import is_admin, offices_edited_by, offices_edited_list
from organisation.models import County, Office, Region
from plans.filters import SUGGEST_OFFICES
from plans.parsing import ParseError
from plans.parsing.archive import ArchiveLimits, read_archive
from plans.parsing.readers import SUPPORTED
from plans.services import office_resolve
from supervision.choices import choices_in_hand


def _office_field(user, *, bound: bool) -> forms.Field:
    """The offices a user may import for: their own (as an editor or reviewer), read once for
    an empty form's page; an admin types any office's name, or leaves it to the document."""
    if is_admin.test(user):
        return forms.CharField(
            label=_("Issuing office"),
            required=False,
            help_text=_("Leave empty to take the office the notice names (created if it is new)."),
            widget=forms.TextInput(attrs={"data-suggest": SUGGEST_OFFICES, "autocomplete": "off"}),
        )
    field = forms.ModelChoiceField(
        label=_("Issuing office"),
        queryset=offices_edited_by(user),
        empty_label=None,
        help_text=_("The plan belongs to this office; the notice must be one it issued."),
    )
    if not bound:
        choices_in_hand(field, offices_edited_list(user))
    return field


def _clean_office(form, value):
    """The Office the form's office field means (None: the document decides)."""
    if isinstance(value, Office) or value is None:
        return value
    name = value.strip()
    if not name:
        return None
    office = office_resolve(name)
    if office is None:
        raise ValidationError(_("There is no office named “%(name)s”."), code="no_office", params={"name": name})
    return office


class ImportUploadForm(forms.Form):
    document = forms.FileField(
        label=_("Document file"),
        required=False,
        help_text=_(
            ".txt (UTF-8 or GB18030), Word (.docx, .doc), WPS (.wps), OFD or PDF (a scan is read by text "
            "recognition); at most %(limit)s."
        ),
    )
    text = forms.CharField(
        label=_("Or paste the text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"] = _office_field(user, bound=self.is_bound)
        limit = filesizeformat(settings.IMPORT_MAX_UPLOAD_BYTES)
        self.fields["document"].help_text = self.fields["document"].help_text % {"limit": limit}

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if upload is None:
            return None
        suffix = PurePath(upload.name).suffix.lower()
        if suffix not in SUPPORTED:
            raise ValidationError(
                _("Unsupported file type %(suffix)s: use .txt, .docx, .doc, .wps, .ofd or a PDF."),
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

    def clean_office(self):
        return _clean_office(self, self.cleaned_data.get("office"))

    def clean(self):
        cleaned = super().clean()
        has_file = cleaned.get("document") is not None
        has_text = bool((cleaned.get("text") or "").strip())
        if not has_file and not has_text and not self.errors:
            raise ValidationError(_("Choose a file or paste the text of a notice."), code="required")
        if has_file and has_text:
            raise ValidationError(_("Choose a file or paste a text, not both."), code="both")
        return cleaned


class _MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class _MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented recipe): a list, empty when none."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", _MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(_MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


@dataclass(frozen=True)
class BatchNotice:
    name: str
    data: bytes


class ImportBatchForm(forms.Form):
    """Many notices at once, as files or one .zip: bounded in count and size, the .zip read by
    the bounded archive reader (plans.parsing.archive) before anything is kept."""

    files = _MultipleFileField(
        label=_("Notice files"),
        required=False,
        # An empty file is one of the archive's files the job reports as refused, as in a .zip.
        allow_empty_file=True,
        help_text=_(".txt, Word (.docx, .doc), WPS (.wps), OFD or text PDF; at most %(count)d files, %(limit)s each."),
    )
    archive = forms.FileField(
        label=_("Or a .zip of them"),
        required=False,
        help_text=_("Folders in it are read; an archive inside it is not. At most %(limit)s unpacked."),
    )
    publish = forms.BooleanField(
        label=_("Import as issued (published)"),
        required=False,
        help_text=_(
            "For notices the office has already issued: each plan is published at once, as its reviewer "
            "would, and its work goes to the counties. Otherwise each becomes a draft."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["office"] = _office_field(user, bound=self.is_bound)
        self.order_fields(["office", "files", "archive", "publish"])
        self.fields["files"].help_text %= {
            "count": settings.IMPORT_BATCH_MAX_FILES,
            "limit": filesizeformat(settings.IMPORT_MAX_UPLOAD_BYTES),
        }
        self.fields["archive"].help_text %= {"limit": filesizeformat(settings.IMPORT_BATCH_MAX_BYTES)}

    def clean_office(self):
        return _clean_office(self, self.cleaned_data.get("office"))

    def clean_files(self):
        uploads = self.cleaned_data.get("files") or []
        _check_count(len(uploads))
        # Sizes first, from what was received: nothing is read into memory past the bound.
        _check_total(sum(upload.size for upload in uploads))
        notices = []
        for upload in uploads:
            name = PurePath(upload.name).name
            if PurePath(name).suffix.lower() not in SUPPORTED:
                raise ValidationError(
                    _("“%(name)s”: unsupported file type; use .txt, .docx, .doc, .wps, .ofd or a PDF."),
                    code="unsupported_format",
                    params={"name": name},
                )
            if upload.size > settings.IMPORT_MAX_UPLOAD_BYTES:
                raise ValidationError(
                    _("“%(name)s” is larger than %(limit)s."),
                    code="too_large",
                    params={"name": name, "limit": filesizeformat(settings.IMPORT_MAX_UPLOAD_BYTES)},
                )
            notices.append(BatchNotice(name, upload.read()))
        return notices

    def clean_archive(self):
        upload = self.cleaned_data.get("archive")
        if upload is None:
            return []
        if PurePath(upload.name).suffix.lower() != ".zip":
            raise ValidationError(_("Choose a .zip file here."), code="not_zip")
        if upload.size > settings.IMPORT_BATCH_MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(limit)s."),
                code="too_large",
                params={"limit": filesizeformat(settings.IMPORT_BATCH_MAX_BYTES)},
            )
        limits = ArchiveLimits(
            members=settings.IMPORT_BATCH_MAX_FILES,
            member_bytes=settings.IMPORT_MAX_UPLOAD_BYTES,
            total_bytes=settings.IMPORT_BATCH_MAX_BYTES,
        )
        try:
            members = read_archive(upload.read(), limits)
        except ParseError as exc:
            raise ValidationError(exc.render(gettext), code=exc.code) from None
        return [BatchNotice(member.name, member.data) for member in members]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        notices = [*cleaned.get("files", []), *cleaned.get("archive", [])]
        if not notices:
            raise ValidationError(_("Choose the notices' files or a .zip of them."), code="required")
        _check_count(len(notices))
        _check_total(sum(len(notice.data) for notice in notices))
        office = cleaned.get("office")
        # An administrator who leaves the office to each notice publishes for any office.
        if cleaned.get("publish") and not self.user.has_perm("plans.import_published_for_office", office):
            self.add_error(
                "publish", ValidationError(_("Only the office's reviewers publish its plans."), code="publish")
            )
        cleaned["notices"] = notices
        return cleaned


def _check_count(count: int) -> None:
    if count > settings.IMPORT_BATCH_MAX_FILES:
        raise ValidationError(
            _("At most %(limit)d files are imported at once; you chose %(count)d."),
            code="too_many",
            params={"limit": settings.IMPORT_BATCH_MAX_FILES, "count": count},
        )


def _check_total(size: int) -> None:
    if size > settings.IMPORT_BATCH_MAX_BYTES:
        raise ValidationError(
            _("The files are larger than %(limit)s together; import them in several batches."),
            code="too_large",
            params={"limit": filesizeformat(settings.IMPORT_BATCH_MAX_BYTES)},
        )


IMPORT_SALT = "plans.import.preview"
# A preview older than this is refused: its file may be gone, its checks out of date.
IMPORT_MAX_AGE = 24 * 3600


def import_token(*, user, pending_name: str, sha256: str, source_name: str, office: Office | None) -> str:
    return signing.dumps(
        {"u": user.pk, "f": pending_name, "s": sha256, "n": source_name, "o": office.pk if office else None},
        salt=IMPORT_SALT,
    )


def import_token_read(token: str, *, user) -> dict:
    """The preview a token names, if this server signed it for `user`; ValidationError else."""
    try:
        payload = signing.loads(token, salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError(_("The preview has expired; upload the document again."), code="expired") from None
    except signing.BadSignature:
        raise ValidationError(_("The preview was altered; upload the document again."), code="altered") from None
    if payload.get("u") != user.pk:
        raise ValidationError(_("The preview was altered; upload the document again."), code="altered")
    office = None
    if payload.get("o") is not None:
        office = Office.objects.select_related("region", "county").filter(pk=payload["o"]).first()
        if office is None or not user.has_perm("plans.import_for_office", office):
            raise ValidationError(_("You may not import plans for this office."), code="office_forbidden")
    return {**payload, "office": office}


PLACE_KEEP, PLACE_NEW = "", "new"


class ImportConfirmForm(forms.Form):
    """The preview's confirmation: what the preview could not settle by itself."""

    token = forms.CharField(widget=forms.HiddenInput)
    plan_year = forms.IntegerField(
        label=_("Plan year"),
        required=False,
        min_value=1949,
        max_value=2100,
        help_text=_("The notice states no year; enter the year the plan is for."),
    )
    replace = forms.BooleanField(label=_("Replace the existing draft of this document with this text"), required=False)
    # The version of the draft the preview showed, which a replacement overwrites.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    alias = forms.BooleanField(
        label=_("Record the name the notice gives its office as another name of this office"),
        required=False,
        initial=True,
    )
    submit = forms.BooleanField(label=_("Submit the plan for review right away"), required=False)

    def __init__(self, *args, user, places=(), ocr=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.places = list(places)
        if ocr:
            # Text read off a scan may be misread: it is imported only once someone has checked it.
            self.fields["ocr_checked"] = forms.BooleanField(
                label=_("I have checked the text read by text recognition against the scan"),
                required=True,
                error_messages={"required": _("Check the text read by text recognition, then tick the box.")},
            )
        for index, place in enumerate(self.places):
            self.fields[f"place_{index}"] = forms.ChoiceField(
                label=place.name, required=False, choices=_place_choices(place)
            )

    def place_choices(self) -> list[tuple]:
        """(place, choice) for each place staff settled: PLACE_NEW or a County."""
        settled = []
        for index, place in enumerate(self.places):
            choice = self.cleaned_data.get(f"place_{index}") or PLACE_KEEP
            if choice == PLACE_KEEP:
                continue
            settled.append((place, PLACE_NEW if choice == PLACE_NEW else County.objects.get(pk=int(choice))))
        return settled


def _place_choices(place) -> list[tuple[str, str]]:
    """Keep it unconfirmed, add it as a zone of its city, or link it to a zone or county there."""
    choices = [(PLACE_KEEP, _("Keep it as an unconfirmed target"))]
    city = Region.objects.filter(code=place.region_code, level=Region.Level.CITY).first()
    if city is not None:
        choices.append((PLACE_NEW, _("Add it to the zone table as a zone of %(city)s") % {"city": city.name}))
    known = County.objects.filter(Q(city__code=place.region_code) | Q(city__parent__code=place.region_code)).order_by(
        "-kind", "code", "name"
    )
    choices += [(str(county.pk), _("It is %(name)s") % {"name": county.name}) for county in known]
    return choices


class TermForm(forms.Form):
    """What the search fields' suggestions (static/js/suggest.js) and the period check are asked:
    a term, cut to `max_chars`. CharField refuses a NUL character, which PostgreSQL cannot
    compare text with."""

    q = forms.CharField(required=False)

    def __init__(self, *args, max_chars: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_chars = max_chars

    def clean_q(self) -> str:
        return self.cleaned_data["q"][: self.max_chars]

    def refusal(self) -> str:
        return " ".join(error for errors in self.errors.values() for error in errors)


class TransitionForm(forms.Form):
    """A lifecycle step from the plan page: the version the user saw, and a comment."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RevisionCompareForm(forms.Form):
    a = forms.ChoiceField(label=_("Compare"))
    b = forms.ChoiceField(label=_("with"))

    def __init__(self, *args, revisions, draft=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(r.number), _("Revision %(number)s") % {"number": r.number}) for r in revisions]
        if draft is not None:
            choices.insert(0, ("draft", _("Draft revision %(number)s") % {"number": draft.revision}))
        self.fields["a"].choices = choices
        self.fields["b"].choices = choices

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("a") and cleaned.get("a") == cleaned.get("b"):
            raise ValidationError(_("Choose two different revisions."), code="same")
        return cleaned


class PlanHistoryFilterForm(forms.Form):
    """The history page's filters: whose changes, and of what kind."""

    user = forms.TypedChoiceField(label=_("Changed by"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind of change"), required=False)

    def __init__(self, *args, users, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [
            ("", _("Everyone")),
            *((str(u.pk), u.get_full_name() or u.get_username()) for u in users),
        ]
        self.fields["kind"].choices = [("", _("Every kind")), *kinds.items()]
