"""责任督学挂牌督导: the rhythm a county sets for its inspectors' visits, the visit obligations it
issues (one per school and occurrence, owed to the county's own office, written by
tracking.services.assignments with the schedule package's rules), and a visit recorded.

- Saving a rhythm issues, to each open school with a responsible inspector, the occurrences of
  the year from the current month on (a rhythm set in May does not make March overdue), and
  withdraws the open ones not yet due that the new rhythm no longer has.
- A school that gains a responsible inspector later (a zone's schools or inspector change) gets
  its occurrences from that month on; a school that closes loses those not yet due.
- A visit fulfils the open obligation of the occurrence its date falls in (schedule.recurrence:
  M03 is March, Q2 April to June, …); a visit outside every occurrence is recorded all the same.
"""

import datetime
import uuid

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.services import log_action
from inspections import actions
from inspections.models import VISIT_TOPICS, Inspector, School, Visit, VisitRhythm, ZoneAssignment
from organisation.models import Office
from schedule.periods import parse_period
from schedule.recurrence import occurrence_span, occurrences, recurrence_of
from supervision.history import acting_as
from supervision.localtime import site_today
from supervision.lookups import InArray
from tracking.models import Assignment
from tracking.services.assignments import Owed, obligation_fulfil, obligations_issue_many, obligations_withdraw

VISIT = Assignment.Kind.VISIT
# The term months: no visit is owed in the winter and summer holidays unless the county says so.
DEFAULT_MONTHS = (3, 4, 5, 6, 9, 10, 11, 12)
TOPICS = dict(VISIT_TOPICS)

error_messages = {
    "period_unknown": _(
        "“%(period)s” is not a rhythm the calendar reads: write 每月, 每月10日前, 每季度, 每半年, 每学期 or 每周."
    ),
    "months_required": _("Choose at least one month in which visits are due."),
    "months_invalid": _("Months are numbered 1 to 12."),
    "year_invalid": _("Choose a year between %(first)d and %(last)d."),
    "no_office": _(
        "%(county)s has no supervision office of its own on record, to which its visits are owed: "
        "ask an administrator to add it."
    ),
    "future": _("A visit is recorded once it has taken place: the date is after today."),
    "not_responsible": _("%(inspector)s is not the present responsible inspector of %(school)s."),
    "school_not_open": _("%(school)s is no longer open."),
    "record_required": _("Write the record of the visit."),
    "topic_unknown": _("“%(topic)s” is not one of the matters a visit looks at."),
}


def _error(code: str, field: str | None = None, **params) -> ValidationError:
    error = ValidationError(error_messages[code], code=code, params=params)
    return ValidationError({field: error}) if field else error


def county_office_get(county_id: int) -> Office | None:
    """The county's own office: the visits are owed to it, and its audit events are its records."""
    return Office.objects.filter(county_id=county_id).order_by("pk").first()


def visit_period_check(period: str) -> str:
    """The rhythm as written, if the schedule package reads it as recurring work (每月, 每月10日前,
    每季度, 每半年, 每学期, 每周) and as nothing but a period; a ValidationError otherwise."""
    period = (period or "").strip()
    if recurrence_of(period) is None or parse_period(period) is None:
        raise _error("period_unknown", "period", period=period)
    return period


def _months_check(months) -> list[int]:
    try:
        values = sorted({int(month) for month in months})
    except (TypeError, ValueError):
        raise _error("months_invalid", "months") from None
    if not values:
        raise _error("months_required", "months")
    if values[0] < 1 or values[-1] > 12:
        raise _error("months_invalid", "months")
    return values


def _months_from(months, *, year: int, today: datetime.date) -> tuple[int, ...]:
    """The rhythm's months still ahead: all of them in a later year, none in a past one."""
    if year < today.year:
        return ()
    return tuple(month for month in months if (year, month) >= (today.year, today.month))


def _occurrence_keys(rhythm: VisitRhythm) -> set[str]:
    recurrence = recurrence_of(rhythm.period)
    return {o.key for o in occurrences(recurrence, year=rhythm.year, months=tuple(rhythm.months))}


def school_type_id() -> int:
    """The content type of School, which a visit obligation is about."""
    return ContentType.objects.get_for_model(School).pk


def visit_obligations_q(*, schools=None, county=None, type_id: int | None = None):
    """The visit obligations of some schools (or of a county's schools), as a filter on
    Assignment. `type_id`: school_type_id(), when read already (a prepared read takes it as a
    value: content types are rows, numbered by the database)."""
    where = Q(kind=VISIT, subject_type_id=school_type_id() if type_id is None else type_id)
    if schools is not None:
        where &= Q(InArray(F("subject_id"), [getattr(school, "pk", school) for school in schools]))
    if county is not None:
        where &= Q(county_id=getattr(county, "pk", county))
    return where


# --- The rhythm -------------------------------------------------------------------------------------


@transaction.atomic
def visit_rhythm_set(
    *, county, year: int, period: str, months, acting_user, today: datetime.date | None = None
) -> tuple[VisitRhythm, int, int]:
    """Set how often the county's 责任督学 visit each of their schools in `year`, and bring the
    visit obligations up to it. Returns the rhythm, how many obligations were issued and how
    many withdrawn."""
    today = today or site_today()
    if not (today.year - 1 <= year <= today.year + 1):
        raise _error("year_invalid", "year", first=today.year - 1, last=today.year + 1)
    period = visit_period_check(period)
    months = _months_check(months)
    office = county_office_get(county.pk)
    if office is None:
        raise _error("no_office", county=county.name)
    rhythm = VisitRhythm.objects.select_for_update().filter(county=county, year=year).first()
    before = (rhythm.period, list(rhythm.months)) if rhythm else None
    if rhythm is None:
        rhythm = VisitRhythm(county=county, year=year)
    rhythm.period, rhythm.months, rhythm.set_by = period, months, acting_user
    rhythm.set_at = timezone.now()
    rhythm.full_clean(exclude=["set_by"])  # None when a command or the system sets it
    with acting_as(acting_user):
        rhythm.save()
    # Occurrences the rhythm no longer has, not yet due, are no longer owed; past ones stay as
    # they were (changing the rhythm does not erase a missed visit).
    keys = _occurrence_keys(rhythm)
    dropped = list(
        Assignment.objects.filter(
            visit_obligations_q(county=county), year=year, state__in=Assignment.OPEN, due_date__gte=today
        ).exclude(occurrence__in=keys)
    )
    withdrawn = obligations_withdraw(
        assignments=dropped,
        acting_user=acting_user,
        note=gettext("The county's visit rhythm for %(year)d changed to %(period)s.")
        % {"year": year, "period": period},
    )
    issued = _issue(rhythm, office=office, schools=None, acting_user=acting_user, today=today)
    log_action(
        rhythm,
        actions.VISIT_RHYTHM_SET,
        user=acting_user,
        office=office,
        data={
            "year": year,
            "period": period,
            "months": months,
            "before": {"period": before[0], "months": before[1]} if before else None,
            "issued": issued,
            "withdrawn": withdrawn,
        },
    )
    return rhythm, issued, withdrawn


def _schools_owing(county_id: int, schools=None):
    """The county's open schools with a responsible inspector now."""
    assigned = ZoneAssignment.objects.filter(ended_on=None, inspector__isnull=False, school__county_id=county_id)
    if schools is not None:
        assigned = assigned.filter(school_id__in=[getattr(school, "pk", school) for school in schools])
    return School.objects.filter(
        pk__in=assigned.values("school_id"), county_id=county_id, status=School.Status.OPEN
    ).order_by("pk")


def _issue(rhythm: VisitRhythm, *, office: Office, schools, acting_user, today: datetime.date) -> int:
    months = _months_from(rhythm.months, year=rhythm.year, today=today)
    if not months:
        return 0
    owed = [
        Owed(school, (school.county_id,), gettext("School visit: %(school)s") % {"school": school.name})
        for school in _schools_owing(rhythm.county_id, schools).only("pk", "name", "county_id")
    ]
    issued = obligations_issue_many(
        kind=VISIT,
        owed=owed,
        office=office,
        year=rhythm.year,
        acting_user=acting_user,
        period=rhythm.period,
        months=months,
    )
    return len(issued)


@transaction.atomic
def visit_obligations_refresh(*, county_id: int, schools, acting_user, today: datetime.date | None = None) -> int:
    """Schools that now have a responsible inspector (a zone's schools or inspector changed) get
    the visits of their county's rhythms from this month on. Returns how many were issued."""
    today = today or site_today()
    rhythms = list(VisitRhythm.objects.filter(county_id=county_id, year__gte=today.year).order_by("year"))
    if not rhythms or not schools:
        return 0
    office = county_office_get(county_id)
    if office is None:
        return 0
    return sum(_issue(r, office=office, schools=schools, acting_user=acting_user, today=today) for r in rhythms)


@transaction.atomic
def visit_obligations_withdraw_closed(*, school: School, on: datetime.date, acting_user) -> int:
    """A school closed (or merged) on `on`: its open visits due from then on are withdrawn."""
    owed = list(
        Assignment.objects.filter(visit_obligations_q(schools=[school]), state__in=Assignment.OPEN, due_date__gte=on)
    )
    note = gettext("The school closed on %(day)s.") % {"day": on.isoformat()}
    return obligations_withdraw(assignments=owed, acting_user=acting_user, note=note)


# --- A visit ------------------------------------------------------------------------------------------


def _occurrence_of(school: School, day: datetime.date) -> Assignment | None:
    """The visit obligation of the occurrence `day` falls in: an open one first (the earliest
    due), else None: the occurrence was met already, or `day` falls in none."""
    candidates = (
        Assignment.objects.select_for_update()
        .filter(visit_obligations_q(schools=[school]), year=day.year, state__in=Assignment.OPEN)
        .exclude(occurrence="")
        .order_by("due_date", "pk")
    )
    for assignment in candidates:
        span = occurrence_span(assignment.occurrence, assignment.year)
        if span is not None and span[0] <= day <= span[1]:
            return assignment
    return None


def submission_key_scoped(key: uuid.UUID, *, school: School, user) -> uuid.UUID:
    """The form's key bound to the school and the user: a key sent for another school (or by
    another user) is another key, so it neither answers with nor blocks a visit not its own."""
    return uuid.uuid5(key, f"visit:{school.pk}:{getattr(user, 'pk', '')}")


def _repeat(visit: Visit) -> Visit:
    visit.is_repeat = True
    return visit


def visit_record(
    *,
    school: School,
    inspector: Inspector,
    visited_on: datetime.date,
    topics,
    record: str,
    opinion: str = "",
    acting_user,
    submission_key: uuid.UUID | None = None,
    today: datetime.date | None = None,
) -> Visit:
    """Record `inspector`'s visit to `school` on `visited_on`, and with it fulfil the open visit
    obligation of the occurrence the day falls in (closed as accepted). The form's key is
    single-use: sent again (a double tap, a retry after a lost answer) it answers with the
    visit already stored, marked `is_repeat`, and stores nothing."""
    key = submission_key_scoped(submission_key or uuid.uuid4(), school=school, user=acting_user)
    same = Visit.objects.filter(submission_key=key).first()
    if same is not None:
        return _repeat(same)
    today = today or site_today()
    if visited_on > today:
        raise _error("future", "visited_on")
    record = (record or "").strip()
    if not record:
        raise _error("record_required", "record")
    topics = list(dict.fromkeys(topics or ()))
    for topic in topics:
        if topic not in TOPICS:
            raise _error("topic_unknown", "topics", topic=topic)
    try:
        with transaction.atomic():
            locked = School.objects.select_for_update().get(pk=school.pk)
            if locked.status != School.Status.OPEN:
                raise _error("school_not_open", school=locked.name)
            assignment = (
                ZoneAssignment.objects.filter(school=locked, ended_on=None, inspector=inspector)
                .select_related("zone")
                .first()
            )
            if assignment is None:
                raise _error("not_responsible", inspector=inspector.name, school=locked.name)
            obligation = _occurrence_of(locked, visited_on)
            with acting_as(acting_user):
                visit = Visit.objects.create(
                    school=locked,
                    inspector=inspector,
                    zone=assignment.zone,
                    visited_on=visited_on,
                    topics=[t for t, _label in VISIT_TOPICS if t in topics],
                    record=record,
                    opinion=(opinion or "").strip(),
                    obligation=obligation,
                    created_by=acting_user,
                    submission_key=key,
                )
            if obligation is not None:
                obligation_fulfil(
                    assignment=obligation,
                    acting_user=acting_user,
                    note=gettext("Visited on %(day)s by %(inspector)s.")
                    % {"day": visited_on.isoformat(), "inspector": inspector.name},
                )
            log_action(
                visit,
                actions.VISIT_RECORDED,
                user=acting_user,
                office=county_office_get(locked.county_id),
                data={
                    "school": locked.pk,
                    "inspector": inspector.pk,
                    "visited_on": visited_on.isoformat(),
                    "obligation": obligation.pk if obligation else None,
                    "occurrence": obligation.occurrence if obligation else "",
                },
            )
    except IntegrityError:
        # The same submission, committed by a concurrent request a moment ago.
        same = Visit.objects.filter(submission_key=key).first()
        if same is None:
            raise
        return _repeat(same)
    visit.is_repeat = False
    return visit
