"""Findings written on site, on an inspection or on a 挂牌督导 visit, with their photos and files.

The form is filled in on a phone where the connection comes and goes: its key makes a form sent
twice (a retry after a lost answer, a restored draft sent again) one finding, and its files are
checked as evidence is (tracking.services.reports.evidence_check) before anything is written."""

import hashlib
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import log_action
from inspections import actions
from inspections.models import ChecklistItem, Finding, FindingFile, Inspection, School, Visit
from organisation.models import County, Office
from supervision.history import acting_as
from tracking.services.reports import evidence_check

error_messages = {
    "one_source": _("A finding is recorded on an inspection or on a visit, not both."),
    "closed": _("The inspection is closed: no more findings are recorded on it."),
    "county": _("Choose one of the counties the inspection visits."),
    "school": _("The school is not of the county chosen."),
    "item": _("The checklist item is not of this inspection."),
    "text_required": _("Write what was found."),
    "severity": _("Choose a severity."),
}


def _error(code: str, field: str | None = None, **params) -> ValidationError:
    error = ValidationError(error_messages[code], code=code, params=params)
    return ValidationError({field: error}) if field else error


def finding_key_scoped(key: uuid.UUID, *, inspection: Inspection | None, visit: Visit | None, user) -> uuid.UUID:
    """The key a finding is stored under: the form's key bound to its source and its author,
    so that a key sent elsewhere (or by someone else) neither answers with nor blocks a finding
    it does not belong to (as tracking binds a report's key)."""
    source = f"i{inspection.pk}" if inspection is not None else f"v{visit.pk}"
    return uuid.uuid5(key, f"finding:{source}:{getattr(user, 'pk', '')}")


def _same(key: uuid.UUID, acting_user) -> Finding | None:
    found = Finding.objects.filter(submission_key=key, created_by=acting_user).first()
    if found is not None:
        found.is_repeat = True
    return found


def _check_place(
    *, inspection: Inspection | None, visit: Visit | None, county, school, item
) -> tuple[County, School | None]:
    if (inspection is None) == (visit is None):
        raise _error("one_source")
    if visit is not None:
        # A visit is to one school: the finding is that school's, in its county.
        return visit.school.county, visit.school
    if inspection.status == Inspection.Status.CLOSED:
        raise _error("closed")
    if county is None or not inspection.counties.filter(pk=county.pk).exists():
        raise _error("county", "county")
    if school is not None and school.county_id != county.pk:
        raise _error("school", "school")
    if item is not None and item.inspection_id != inspection.pk:
        raise _error("item", "item")
    return county, school


def finding_record(
    *,
    acting_user,
    text: str,
    severity: str = Finding.Severity.GENERAL,
    inspection: Inspection | None = None,
    visit: Visit | None = None,
    county: County | None = None,
    school: School | None = None,
    item: ChecklistItem | None = None,
    files=(),
    submission_key: uuid.UUID | None = None,
) -> Finding:
    """Record a finding at a county (or one of its schools) on `inspection`, or at the school of
    `visit` (whose county and school it takes). Sent again under the same key by the same user
    it answers with the finding already stored, marked `is_repeat`, and stores nothing. Files
    are refused as hostile evidence is; all of it is kept, or none."""
    county, school = _check_place(inspection=inspection, visit=visit, county=county, school=school, item=item)
    if visit is not None:
        item = None
    key = finding_key_scoped(submission_key or uuid.uuid4(), inspection=inspection, visit=visit, user=acting_user)
    same = _same(key, acting_user)
    if same is not None:
        return same
    text = (text or "").strip()
    if not text:
        raise _error("text_required", "text")
    if severity not in Finding.Severity.values:
        raise _error("severity", "severity")
    checked = evidence_check(files)
    stored = []
    try:
        with transaction.atomic():
            with acting_as(acting_user):
                finding = Finding.objects.create(
                    inspection=inspection,
                    visit=visit,
                    county=county,
                    school=school,
                    item=item,
                    text=text,
                    severity=severity,
                    created_by=acting_user,
                    created_at=timezone.now(),
                    submission_key=key,
                )
            for upload in checked:
                kept = FindingFile(
                    finding=finding,
                    name=upload.name,
                    content_type=upload.kind.content_type,
                    size=len(upload.data),
                    sha256=hashlib.sha256(upload.data).hexdigest(),
                )
                kept.file.save(upload.kind.suffix, ContentFile(upload.data), save=False)
                stored.append(kept.file)
                kept.save()
            log_action(
                finding,
                actions.FINDING_RECORDED,
                user=acting_user,
                office=_finding_office(finding),
                data={
                    "inspection": finding.inspection_id,
                    "visit": finding.visit_id,
                    "county": county.pk,
                    "severity": severity,
                    "files": len(checked),
                },
            )
    except IntegrityError:
        # The same form, committed by a concurrent request a moment ago.
        for file in stored:
            file.storage.delete(file.name)
        same = _same(key, acting_user)
        if same is None:
            raise
        return same
    except BaseException:
        for file in stored:
            file.storage.delete(file.name)
        raise
    finding.is_repeat = False
    return finding


def _finding_office(finding: Finding) -> Office | None:
    """Whose records the finding is: the inspection's office, or the county office of the
    visited school."""
    if finding.inspection_id is not None:
        return finding.inspection.office
    return Office.objects.filter(county_id=finding.county_id).order_by("pk").first()
