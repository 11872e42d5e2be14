"""A county's side of an assignment, and staff's review of it.

签收: the county acknowledges new assignments. 报送: it reports progress with an account and
evidence files, as often as it needs; every report is kept. 审核: staff accept a report (a
report of done work closes the assignment) or return it with a comment the county reads.
"""

import hashlib
import io
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import log_actions
from plans.parsing.messages import ParseError
from plans.parsing.readers import DAMAGED_ZIP, ReadLimits, check_office_zip
from supervision.history import acting_as, bulk_update_with_history
from tracking import actions
from tracking.kinds import kind_of
from tracking.models import Assignment, EvidenceFile, ProgressReport

State = Assignment.State

error_messages = {
    "closed": _("This assignment is %(state)s: nothing more is reported on it."),
    "text_required": _("Write what was done: a report needs an account."),
    "too_many_files": _("Attach at most %(limit)d files to one report."),
    "too_large": _("“%(name)s” is larger than %(limit)s."),
    "too_large_total": _("The files together are larger than %(limit)s."),
    "bad_type": _(
        "“%(name)s” is not a PDF, an image (JPEG, PNG), a Word or an Excel file; its content "
        "says otherwise, whatever its name."
    ),
    "office_too_large": _("“%(name)s” unpacks to more than %(limit)s; it was refused."),
    "office_unsafe": _(
        "“%(name)s” contains XML declarations (a DTD or entities) that Word and Excel never write; it was refused."
    ),
    "office_damaged": _(
        "“%(name)s” is damaged: what it unpacks to does not match its zip directory. Save it again "
        "from Word or Excel and upload it again."
    ),
    "progress_not_taken": _("This kind of work takes no report of “%(progress)s”."),
    "evidence_required": _("Attach the evidence: this kind of work is reported with files."),
    "not_pending": _("This report was already reviewed."),
    "own_report": _("You sent this report yourself: someone else of the issuing office reviews it."),
    "comment_required": _("Say what is missing: a report is returned with a comment."),
}


# --- Evidence files, checked by what they contain --------------------------------------------

EVIDENCE_MAX_FILES = 10
# What an Office file (a zip) may unpack to: documents with photos stay far below.
EVIDENCE_MAX_MEMBERS = 5000
EVIDENCE_MAX_UNPACKED = 500 * 1024 * 1024
# Staff open these files on their desktops: each member is unpacked as the notice reader does
# (real bytes counted, no DTDs), within these limits.
EVIDENCE_OFFICE_LIMITS = ReadLimits(
    docx_parts=EVIDENCE_MAX_MEMBERS,
    docx_part_bytes=EVIDENCE_MAX_UNPACKED,
    docx_unpacked_bytes=EVIDENCE_MAX_UNPACKED,
)


@dataclass(frozen=True)
class Kind:
    content_type: str
    suffix: str


PDF = Kind("application/pdf", ".pdf")
JPEG = Kind("image/jpeg", ".jpg")
PNG = Kind("image/png", ".png")
DOCX = Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx")
XLSX = Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
DOC = Kind("application/msword", ".doc")
XLS = Kind("application/vnd.ms-excel", ".xls")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def evidence_kind(head: bytes, data: bytes, name: str) -> Kind | None:
    """What a file is by its content: a renamed program is not a PDF because it says .pdf."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(_OLE2):
        # Old Word and Excel files share the OLE2 container; the name tells them apart.
        return XLS if PurePath(name).suffix.lower() in (".xls", ".et") else DOC
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                members = archive.infolist()
        except DAMAGED_ZIP:
            return None
        names = {m.filename for m in members}
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return _office_checked(DOCX, data, name)
            if any(n.startswith("xl/") for n in names):
                return _office_checked(XLSX, data, name)
    return None


def _office_checked(kind: Kind, data: bytes, name: str) -> Kind:
    """An Office file is kept only if unpacking it is harmless: a zip bomb dressed as a Word file
    (whatever its directory says) or entities that expand are refused."""
    try:
        check_office_zip(data, EVIDENCE_OFFICE_LIMITS)
    except ParseError as error:
        if error.code in ("too_large", "too_many_parts"):
            raise ValidationError(
                error_messages["office_too_large"],
                code="office_too_large",
                params={"name": name, "limit": filesizeformat(EVIDENCE_MAX_UNPACKED)},
            ) from None
        code = "office_unsafe" if error.code == "unsafe_docx" else "office_damaged"
        raise ValidationError(error_messages[code], code=code, params={"name": name}) from None
    return kind


@dataclass
class CheckedFile:
    name: str
    data: bytes
    kind: Kind


def evidence_check(files) -> list[CheckedFile]:
    """Refuse what is too many, too large or not of an accepted kind, before anything is kept."""
    files = list(files)
    if len(files) > EVIDENCE_MAX_FILES:
        raise ValidationError(
            error_messages["too_many_files"], code="too_many_files", params={"limit": EVIDENCE_MAX_FILES}
        )
    per_file, total = settings.EVIDENCE_MAX_FILE_BYTES, settings.EVIDENCE_MAX_REPORT_BYTES
    checked, seen = [], 0
    for upload in files:
        # The name is the user's: only its last part is kept, and only as a label.
        name = PurePath(str(upload.name).replace("\\", "/")).name[:200] or "file"
        if upload.size > per_file:
            raise ValidationError(
                error_messages["too_large"],
                code="too_large",
                params={"name": name, "limit": filesizeformat(per_file)},
            )
        seen += upload.size
        if seen > total:
            raise ValidationError(
                error_messages["too_large_total"],
                code="too_large_total",
                params={"limit": filesizeformat(total)},
            )
        data = upload.read(per_file + 1)
        kind = evidence_kind(data[:16], data, name)
        if kind is None:
            raise ValidationError(error_messages["bad_type"], code="bad_type", params={"name": name})
        checked.append(CheckedFile(name, data, kind))
    return checked


# --- The county's side -----------------------------------------------------------------------


def _state_error(assignment) -> ValidationError:
    return ValidationError(error_messages["closed"], code="closed", params={"state": assignment.get_state_display()})


@transaction.atomic
def assignments_acknowledge(*, assignments, acting_user) -> int:
    """签收: the county has seen these assignments. Returns how many were new to it."""
    now = timezone.now()
    pending = list(
        Assignment.objects.select_for_update().filter(pk__in=[a.pk for a in assignments], state=State.ASSIGNED)
    )
    for assignment in pending:
        assignment.state = State.ACKNOWLEDGED
        assignment.acknowledged_at = now
        assignment.acknowledged_by = acting_user
    if pending:
        bulk_update_with_history(
            pending, Assignment, ["state", "acknowledged_at", "acknowledged_by"], acting_user=acting_user
        )
        log_actions(
            [(a, a.office_id, {"plan": a.plan_id, "county": a.county_id}) for a in pending],
            actions.ASSIGNMENT_ACKNOWLEDGED,
            user=acting_user,
        )
    return len(pending)


def submission_key_scoped(key: uuid.UUID, *, assignment: Assignment, user) -> uuid.UUID:
    """The key a report is stored under: the form's key, bound to the assignment and the user.
    A form's key sent to another assignment (or by another user) is another key there, so it
    neither answers with, nor reveals, nor blocks a report it does not belong to."""
    return uuid.uuid5(key, f"{assignment.pk}:{getattr(user, 'pk', '')}")


def _repeat(report: ProgressReport) -> ProgressReport:
    report.is_repeat = True
    return report


def _same_as_latest(locked: Assignment, acting_user, progress: str, text: str, checked) -> ProgressReport | None:
    """The user's latest report on the assignment if this one says the same, with the same
    files, and it still awaits review: Back then 报送 sends the form again under a new key (the
    browser fetches the page again, and restores the text and the files, not the hidden key)."""
    latest = (
        ProgressReport.objects.filter(assignment=locked, author=acting_user)
        .order_by("-created_at", "-pk")
        .prefetch_related("evidence")
        .first()
    )
    if latest is None or latest.review != ProgressReport.Review.PENDING:
        return None
    if (latest.progress, latest.text) != (progress, text):
        return None
    sent = sorted(hashlib.sha256(item.data).hexdigest() for item in checked)
    return latest if sorted(e.sha256 for e in latest.evidence.all()) == sent else None


def report_submit(
    *, assignment: Assignment, acting_user, progress: str, text: str, files=(), submission_key=None
) -> ProgressReport:
    """报送: a report on an open assignment, with its evidence. The form's key is single-use:
    sent again by the same user on the same assignment (a double-click, a retry after a lost
    answer, Back then 报送) it answers with the report already stored, marked `is_repeat`, and
    stores nothing; so does the same report with the same files while the last one still
    awaits review. Files are checked by content and size before anything is written; all of
    it is kept, or none."""
    key = submission_key_scoped(submission_key or uuid.uuid4(), assignment=assignment, user=acting_user)
    same = ProgressReport.objects.filter(submission_key=key, assignment=assignment, author=acting_user).first()
    if same is not None:
        return _repeat(same)
    text = (text or "").strip()
    if not text:
        raise ValidationError(error_messages["text_required"], code="text_required")
    kind = kind_of(assignment)
    if progress not in kind.progress:
        raise ValidationError(
            error_messages["progress_not_taken"],
            code="progress_not_taken",
            params={"progress": dict(ProgressReport.Progress.choices).get(progress, progress)},
        )
    checked = evidence_check(files)
    if kind.evidence_required and not checked:
        raise ValidationError(error_messages["evidence_required"], code="evidence_required")
    stored = []
    try:
        with transaction.atomic():
            locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
            if not locked.is_open:
                raise _state_error(locked)
            same = _same_as_latest(locked, acting_user, progress, text, checked)
            if same is not None:
                return _repeat(same)
            now = timezone.now()
            with acting_as(acting_user):
                report = ProgressReport.objects.create(
                    assignment=locked,
                    office_id=locked.office_id,
                    progress=progress,
                    text=text,
                    author=acting_user,
                    created_at=now,
                    submission_key=key,
                )
                for item in checked:
                    evidence = EvidenceFile(
                        report=report,
                        name=item.name,
                        content_type=item.kind.content_type,
                        size=len(item.data),
                        sha256=hashlib.sha256(item.data).hexdigest(),
                    )
                    evidence.file.save(item.kind.suffix, ContentFile(item.data), save=False)
                    stored.append(evidence.file)
                    evidence.save()
                locked.state = State.REPORTED
                locked.progress = progress
                fields = ["state", "progress"]
                if locked.acknowledged_at is None:
                    # Reporting on an assignment acknowledges it.
                    locked.acknowledged_at, locked.acknowledged_by = now, acting_user
                    fields += ["acknowledged_at", "acknowledged_by"]
                locked.save(update_fields=fields)
            _log(report, actions.REPORT_SUBMITTED, locked, acting_user, progress=progress, files=len(checked))
    except IntegrityError:
        # The same submission, committed by a concurrent request a moment ago.
        for file in stored:
            file.storage.delete(file.name)
        same = ProgressReport.objects.filter(submission_key=key, assignment=assignment, author=acting_user).first()
        if same is None:
            raise
        return _repeat(same)
    except BaseException:
        for file in stored:
            file.storage.delete(file.name)
        raise
    report.is_repeat = False
    return report


# --- Staff's review --------------------------------------------------------------------------


@transaction.atomic
def report_review(*, report: ProgressReport, acting_user, accept: bool, comment: str = "") -> ProgressReport:
    """审核: accept a report (done work closes the assignment; a report of work under way is
    noted and the assignment stays open) or return it with a comment for the county."""
    report = ProgressReport.objects.select_for_update().select_related("assignment").get(pk=report.pk)
    if report.review != ProgressReport.Review.PENDING:
        raise ValidationError(error_messages["not_pending"], code="not_pending")
    if acting_user is not None and report.author_id == acting_user.pk:
        # Someone with a county role and an editing role in the issuing office: the four-eyes
        # rule holds whatever their roles (the rule review_report says the same to the pages).
        raise ValidationError(error_messages["own_report"], code="own_report")
    assignment = Assignment.objects.select_for_update().get(pk=report.assignment_id)
    comment = (comment or "").strip()
    if not accept and not comment:
        raise ValidationError(error_messages["comment_required"], code="comment_required")
    if accept and report.progress == ProgressReport.Progress.DONE and assignment.is_open:
        close_check = kind_of(assignment).close_check
        reason = close_check(assignment) if close_check is not None else None
        if reason:
            raise ValidationError(reason, code="not_closable")
    now = timezone.now()
    report.review = ProgressReport.Review.ACCEPTED if accept else ProgressReport.Review.RETURNED
    report.reviewed_by, report.reviewed_at, report.review_comment = acting_user, now, comment
    with acting_as(acting_user):
        report.save(update_fields=["review", "reviewed_by", "reviewed_at", "review_comment"])
        if assignment.is_open:
            _after_review(assignment, report, accept=accept, now=now)
    action = actions.REPORT_ACCEPTED if accept else actions.REPORT_RETURNED
    _log(report, action, assignment, acting_user, comment=comment, state=assignment.state)
    return report


def _log(report: ProgressReport, action, assignment: Assignment, acting_user, **data) -> None:
    log_actions(
        [(report, assignment.office_id, {"plan": assignment.plan_id, "assignment": assignment.pk, **data})],
        action,
        user=acting_user,
    )


def _after_review(assignment: Assignment, report: ProgressReport, *, accept: bool, now) -> None:
    fields = ["state"]
    if accept and report.progress == ProgressReport.Progress.DONE:
        assignment.state = State.ACCEPTED
        assignment.closed_at = now
        fields.append("closed_at")
    elif assignment.reports.filter(review=ProgressReport.Review.PENDING).exists():
        assignment.state = State.REPORTED  # a later report still waits for its review
    else:
        assignment.state = State.ACKNOWLEDGED if accept else State.RETURNED
    assignment.save(update_fields=fields)
