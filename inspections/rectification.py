"""整改: a finding issued to its county as an item to put right by a deadline, followed until it is
closed (销号).

The county's side is an obligation of kind "rectification" (inspections.kinds): written only by
tracking.services.assignments.obligations_issue, reported on and reviewed through
tracking.services.reports like plan work. What is the item's own is here: issuing it (one or
many findings at once), 催办 through tracking's reminders, the escalation staff choose (约谈,
通报), the follow-up check (整改情况督查) that goes back to it, and that check's verdict. Each
step writes one audit event on the item: the item's page reads its history from them."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import log_action, log_actions
from inspections import actions
from inspections.models import Finding, Inspection, Rectification
from organisation.models import Office
from supervision.history import acting_as
from tracking.models import Assignment, ProgressReport, Reminder
from tracking.services.assignments import obligations_issue
from tracking.services.reminders import reminder_send_to_county
from tracking.services.reports import report_review

RECTIFICATION = Assignment.Kind.RECTIFICATION

error_messages = {
    "issued": _("整改 was already issued for this finding."),
    "requirement_required": _("Say what the county must put right."),
    "deadline_past": _("The deadline %(date)s has passed: choose a later date."),
    "no_findings": _("Choose at least one finding."),
    "office": _("The item is issued in the name of an office over the finding's county."),
    "closed": _("The item is closed (销号): its escalation no longer changes."),
    "not_open": _("The item is closed: there is nothing to remind the county of."),
    "note_required": _("Say why: the note is kept in the item's history."),
    "escalation": _("Choose 约谈, 通报, or no escalation."),
    "unchanged": _("The item is already so flagged."),
    "not_follow_up": _("Only a follow-up check (整改情况督查) checks 整改 items."),
    "follow_up_closed": _("The follow-up check is closed."),
    "other_office": _("Only items issued by the follow-up check's own office are checked by it."),
    "no_items": _("Choose at least one open 整改 item."),
    "item_closed": _("“%(item)s” is closed already."),
    "not_checked": _("This follow-up check does not check this item: add it to the check first."),
    "confirmed": _("The item was confirmed already (%(date)s)."),
    "title_required": _("Give the follow-up check a title."),
    "dates": _("The check ends on or after the day it starts."),
}


def _error(code: str, field: str | None = None, **params) -> ValidationError:
    error = ValidationError(error_messages[code], code=code, params=params)
    return ValidationError({field: error}) if field else error


def rectification_obligation(rectification: Rectification) -> Assignment | None:
    """The county's obligation for the item (one: the item is issued once, to one county)."""
    return (
        Assignment.objects.filter(
            kind=RECTIFICATION,
            subject_type=ContentType.objects.get_for_model(Rectification),
            subject_id=rectification.pk,
        )
        .order_by("pk")
        .first()
    )


def _label(finding: Finding) -> str:
    """What the county's obligation says beside its source (the item's requirement, which the
    portal groups it under): where it was found, and on what."""
    place = finding.school.name if finding.school_id else finding.county.name
    if finding.inspection_id:
        source = finding.inspection.title
    else:
        source = _("School visit of %(date)s") % {"date": finding.visit.visited_on.isoformat()}
    return f"{place} · {source}"


def _issue_one(
    *,
    finding: Finding,
    office: Office,
    requirement: str,
    done_when: str,
    due_date: datetime.date,
    needs_follow_up: bool,
    acting_user,
    now,
) -> Rectification:
    if Rectification.objects.filter(finding=finding).exists():
        raise _error("issued")
    year = finding.inspection.year if finding.inspection_id else finding.visit.visited_on.year
    item = Rectification(
        finding=finding,
        office=office,
        county_id=finding.county_id,
        year=year,
        requirement=requirement,
        done_when=done_when,
        needs_follow_up=needs_follow_up,
        created_by=acting_user,
        created_at=now,
    )
    with acting_as(acting_user):
        item.save()
    [obligation] = obligations_issue(
        kind=RECTIFICATION,
        subject=item,
        office=office,
        year=year,
        counties=[finding.county_id],
        label=_label(finding),
        due_date=due_date,
        acting_user=acting_user,
    )
    item.obligation = obligation
    # The official calendar moves a deadline on a holiday or weekend back to a working day.
    item.deadline_asked = due_date
    item.deadline_moved = obligation.due_date != due_date
    return item


def _check_issue(*, requirement: str, due_date: datetime.date, today: datetime.date) -> str:
    requirement = (requirement or "").strip()
    if due_date < today:
        raise _error("deadline_past", "due_date", date=due_date.isoformat())
    return requirement


def _log_issued(items: list[Rectification], acting_user) -> None:
    log_actions(
        [
            (
                item,
                item.office_id,
                {
                    "finding": item.finding_id,
                    "county": item.county_id,
                    "assignment": item.obligation.pk,
                    "asked": item.deadline_asked.isoformat(),
                    "due": item.obligation.due_date.isoformat(),
                    "needs_follow_up": item.needs_follow_up,
                },
            )
            for item in items
        ],
        actions.RECTIFICATION_ISSUED,
        user=acting_user,
    )


def _office_for(finding: Finding, office: Office | None) -> Office:
    if finding.inspection_id is not None:
        return finding.inspection.office
    county = finding.county
    if office is None or not (
        office.county_id == county.pk or (office.region_id == county.city_id and not office.county_id)
    ):
        raise _error("office")
    return office


@transaction.atomic
def rectification_issue(
    *,
    finding: Finding,
    requirement: str,
    due_date: datetime.date,
    acting_user,
    done_when: str = "",
    needs_follow_up: bool = False,
    office: Office | None = None,
) -> Rectification:
    """Issue `finding` to its county as a 整改 item due by `due_date` (moved back to a working day
    on the official calendar: `deadline_moved` says so). An inspection's finding is issued in the
    inspection office's name; a visit's in `office`'s, an office over the school's county. Once
    per finding."""
    requirement = _check_issue(requirement=requirement, due_date=due_date, today=timezone.localdate())
    if not requirement:
        raise _error("requirement_required", "requirement")
    finding = (
        Finding.objects.select_for_update(of=("self",))
        .select_related("inspection", "visit", "county", "school")
        .get(pk=finding.pk)
    )
    item = _issue_one(
        finding=finding,
        office=_office_for(finding, office),
        requirement=requirement,
        done_when=(done_when or "").strip(),
        due_date=due_date,
        needs_follow_up=needs_follow_up,
        acting_user=acting_user,
        now=timezone.now(),
    )
    _log_issued([item], acting_user)
    return item


@transaction.atomic
def rectifications_issue(
    *,
    inspection: Inspection,
    findings,
    due_date: datetime.date,
    acting_user,
    requirement: str = "",
    done_when: str = "",
    needs_follow_up: bool = False,
) -> list[Rectification]:
    """Issue 整改 for each of an inspection's `findings` at once, with one deadline: each item
    requires `requirement`, or, left empty, that what was found be put right. All or none: a
    finding already issued refuses the lot."""
    requirement = _check_issue(requirement=requirement, due_date=due_date, today=timezone.localdate())
    locked = list(
        Finding.objects.select_for_update(of=("self",))
        .filter(pk__in=[f.pk for f in findings], inspection=inspection)
        .select_related("inspection__office", "county", "school")
        .order_by("county_id", "pk")
    )
    if not locked:
        raise _error("no_findings", "findings")
    now = timezone.now()
    items = [
        _issue_one(
            finding=finding,
            office=inspection.office,
            requirement=requirement or str(_("Put right what was found: %(text)s") % {"text": finding.text}),
            done_when=(done_when or "").strip(),
            due_date=due_date,
            needs_follow_up=needs_follow_up,
            acting_user=acting_user,
            now=now,
        )
        for finding in locked
    ]
    _log_issued(items, acting_user)
    return items


def _locked(rectification: Rectification) -> tuple[Rectification, Assignment | None]:
    item = Rectification.objects.select_for_update().get(pk=rectification.pk)
    obligation = rectification_obligation(item)
    return item, obligation


def rectification_remind(*, rectification: Rectification, acting_user) -> Reminder:
    """催办: remind the item's county of it, through tracking's reminders (the e-mail names the
    county's other work due soon or overdue as well). Refused, saying why, when the item is
    closed, nothing is due, or the county has no address."""
    with transaction.atomic():
        item, obligation = _locked(rectification)
        if obligation is None or not obligation.is_open:
            raise _error("not_open")
        reminder = reminder_send_to_county(county=item.county, acting_user=acting_user)
        log_action(
            item,
            actions.RECTIFICATION_REMINDED,
            user=acting_user,
            office=item.office,
            data={"reminder": reminder.pk, "assignment": obligation.pk, "due": obligation.due_date.isoformat()},
        )
    return reminder


@transaction.atomic
def rectification_escalate(*, rectification: Rectification, escalation: str, note: str, acting_user) -> Rectification:
    """Flag the item for 约谈 or 通报 (or take the flag back), saying why."""
    item, obligation = _locked(rectification)
    if escalation not in Rectification.Escalation.values:
        raise _error("escalation", "escalation")
    if obligation is not None and not obligation.is_open:
        raise _error("closed")
    note = (note or "").strip()
    if not note:
        raise _error("note_required", "note")
    if escalation == item.escalation:
        raise _error("unchanged", "escalation")
    previous = item.escalation
    item.escalation = escalation
    item.escalated_at = timezone.now() if escalation else None
    item.escalation_note = note
    with acting_as(acting_user):
        item.save(update_fields=["escalation", "escalated_at", "escalation_note"])
    log_action(
        item,
        actions.RECTIFICATION_ESCALATED,
        user=acting_user,
        office=item.office,
        data={"from": previous, "to": escalation, "comment": note},
    )
    return item


# --- The follow-up check (整改情况督查) ----------------------------------------------------------


def _check_follow_up(inspection: Inspection) -> None:
    if inspection.kind != Inspection.Kind.FOLLOW_UP:
        raise _error("not_follow_up", "inspection")
    if inspection.status == Inspection.Status.CLOSED:
        raise _error("follow_up_closed", "inspection")


def _open_items(*, office_id: int, rectifications) -> list[Rectification]:
    items = list(
        Rectification.objects.select_for_update()
        .filter(pk__in=[r.pk for r in rectifications])
        .order_by("county_id", "pk")
    )
    if not items:
        raise _error("no_items", "items")
    open_ids = set(
        Assignment.objects.filter(
            kind=RECTIFICATION,
            subject_type=ContentType.objects.get_for_model(Rectification),
            subject_id__in=[i.pk for i in items],
            state__in=Assignment.OPEN,
        ).values_list("subject_id", flat=True)
    )
    for item in items:
        if item.office_id != office_id:
            raise _error("other_office", "items")
        if item.pk not in open_ids:
            raise _error("item_closed", "items", item=str(item))
    return items


def _log_follow_up(inspection: Inspection, items: list[Rectification], acting_user) -> None:
    log_actions(
        [(item, item.office_id, {"inspection": inspection.pk, "title": inspection.title}) for item in items],
        actions.RECTIFICATION_FOLLOW_UP,
        user=acting_user,
    )


@transaction.atomic
def follow_up_add(*, inspection: Inspection, rectifications, acting_user) -> int:
    """Put open items of the check's office on a follow-up check; its counties (and the items'
    schools) become the check's. Returns how many were new to it."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    _check_follow_up(inspection)
    items = _open_items(office_id=inspection.office_id, rectifications=rectifications)
    already = set(inspection.follows_up.values_list("pk", flat=True))
    new = [item for item in items if item.pk not in already]
    if new:
        with acting_as(acting_user):
            inspection.follows_up.add(*new)
            inspection.counties.add(*{item.county_id for item in new})
            schools = set(
                Finding.objects.filter(rectification__in=new, school__isnull=False).values_list("school_id", flat=True)
            )
            if schools:
                inspection.schools.add(*schools)
        _log_follow_up(inspection, new, acting_user)
    return len(new)


@transaction.atomic
def follow_up_create(
    *,
    office: Office,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    rectifications,
    acting_user,
) -> Inspection:
    """A follow-up check (整改情况督查) of `office` for the open items given, with the fewest
    particulars (title, dates); the rest is edited on the inspection's own pages."""
    title = (title or "").strip()
    if not title:
        raise _error("title_required", "title")
    if ends_on < starts_on:
        raise _error("dates", "ends_on")
    items = _open_items(office_id=office.pk, rectifications=rectifications)
    with acting_as(acting_user):
        inspection = Inspection.objects.create(
            office=office,
            year=starts_on.year,
            kind=Inspection.Kind.FOLLOW_UP,
            title=title,
            status=Inspection.Status.PREPARING,
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=acting_user,
        )
    log_action(
        inspection,
        actions.FOLLOW_UP_CREATED,
        user=acting_user,
        office=office,
        data={"items": [item.pk for item in items]},
    )
    follow_up_add(inspection=inspection, rectifications=items, acting_user=acting_user)
    return inspection


def _check_verdict(item: Rectification, inspection: Inspection) -> None:
    if inspection.kind != Inspection.Kind.FOLLOW_UP:
        raise _error("not_follow_up")
    if not inspection.follows_up.filter(pk=item.pk).exists():
        raise _error("not_checked")
    if item.confirmed_by_id is not None:
        raise _error("confirmed", date=timezone.localtime(item.confirmed_at).strftime("%Y-%m-%d"))


@transaction.atomic
def rectification_confirm(
    *, rectification: Rectification, inspection: Inspection, acting_user, note: str = ""
) -> Rectification:
    """The follow-up check found the item put right on site: staff may now close it (销号)."""
    item, _obligation = _locked(rectification)
    _check_verdict(item, inspection)
    item.confirmed_by = inspection
    item.confirmed_at = timezone.now()
    with acting_as(acting_user):
        item.save(update_fields=["confirmed_by", "confirmed_at"])
    log_action(
        item,
        actions.RECTIFICATION_CONFIRMED,
        user=acting_user,
        office=item.office,
        data={"inspection": inspection.pk, "title": inspection.title, "comment": (note or "").strip()},
    )
    return item


@transaction.atomic
def rectification_not_confirmed(
    *, rectification: Rectification, inspection: Inspection, note: str, acting_user
) -> list[ProgressReport]:
    """The follow-up check found the item not yet put right: the note goes in its history, and
    the county's reports still awaiting review are returned with it. Returns those reports."""
    item, obligation = _locked(rectification)
    _check_verdict(item, inspection)
    note = (note or "").strip()
    if not note:
        raise _error("note_required", "note")
    log_action(
        item,
        actions.RECTIFICATION_NOT_CONFIRMED,
        user=acting_user,
        office=item.office,
        data={"inspection": inspection.pk, "title": inspection.title, "comment": note},
    )
    returned = []
    if obligation is not None and obligation.is_open:
        pending = obligation.reports.filter(review=ProgressReport.Review.PENDING).order_by("created_at", "pk")
        for report in pending:
            returned.append(report_review(report=report, acting_user=acting_user, accept=False, comment=note))
    return returned
