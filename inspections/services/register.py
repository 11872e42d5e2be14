"""Writes to the register, each in one transaction, with one audit event per state change (a
school closed or merged, a zone's inspector or schools changed) beside the field history."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import log_action
from inspections import actions, visits
from inspections.models import Inspector, InspectorZone, School, ZoneAssignment
from organisation.models import Office
from supervision.history import acting_as

error_messages = {
    "not_open": _("Only an open school is closed or merged; this one is %(status)s."),
    "successor_closed": _("A school is merged into an open school."),
    "successor_self": _("A school is not merged into itself."),
    "successor_county": _("A school is merged into a school of the same county."),
    "inspector_county": _("The inspector belongs to another county."),
    "inspector_inactive": _("The inspector is no longer active."),
    "school_county": _("A zone holds schools of its own county only."),
    "school_closed": _("Only open schools are assigned to a zone."),
    "inspector_holds_zones": _("The inspector is responsible for %(zones)s; give those zones another inspector first."),
}


def _error(code: str, field: str | None = None, **params) -> ValidationError:
    error = ValidationError(error_messages[code], code=code, params=params)
    return ValidationError({field: error}) if field else error


def _county_office(county_id: int) -> Office | None:
    """The county's own office: the audit events of its register are its records."""
    return Office.objects.filter(county_id=county_id).order_by("pk").first()


@transaction.atomic
def school_save(*, school: School, acting_user) -> School:
    """Create or change a school's particulars (not its status: see school_close)."""
    school.full_clean()
    with acting_as(acting_user):
        school.save()
    return school


@transaction.atomic
def school_close(
    *, school: School, on: datetime.date | None = None, merged_into: School | None = None, acting_user
) -> School:
    """Close `school` (or merge it into `merged_into`) on the day `on`: it leaves its zone, and
    keeps its record and history."""
    school = School.objects.select_for_update().get(pk=school.pk)
    if school.status != School.Status.OPEN:
        raise _error("not_open", status=school.get_status_display())
    on = on or timezone.localdate()
    if merged_into is not None:
        if merged_into.pk == school.pk:
            raise _error("successor_self", "merged_into")
        if merged_into.county_id != school.county_id:
            raise _error("successor_county", "merged_into")
        if merged_into.status != School.Status.OPEN:
            raise _error("successor_closed", "merged_into")
    school.status = School.Status.MERGED if merged_into else School.Status.CLOSED
    school.status_date = on
    school.merged_into = merged_into
    with acting_as(acting_user):
        school.save(update_fields=["status", "status_date", "merged_into"])
    ended = ZoneAssignment.objects.filter(school=school, ended_on=None).update(ended_on=on)
    withdrawn = visits.visit_obligations_withdraw_closed(school=school, on=on, acting_user=acting_user)
    data = {"on": on.isoformat(), "left_zone": bool(ended), "visits_withdrawn": withdrawn}
    if merged_into:
        data |= {"into": merged_into.pk, "into_name": merged_into.name}
    log_action(
        school,
        actions.SCHOOL_MERGED if merged_into else actions.SCHOOL_CLOSED,
        user=acting_user,
        office=_county_office(school.county_id),
        data=data,
    )
    return school


@transaction.atomic
def inspector_save(*, inspector: Inspector, acting_user) -> Inspector:
    """Create or change an inspector. One who is a zone's 责任督学 stays active and in its county
    while they are (their schools would otherwise count as covered by nobody in the county)."""
    inspector.full_clean()
    if inspector.pk is not None and (not inspector.is_active or inspector.county_id != _saved_county(inspector)):
        zones = list(InspectorZone.objects.filter(inspector=inspector).order_by("name").values_list("name", flat=True))
        if zones:
            raise _error("inspector_holds_zones", zones="、".join(zones))
    linked_before = (
        Inspector.objects.filter(pk=inspector.pk).values_list("user_id", flat=True).first() if inspector.pk else None
    )
    with acting_as(acting_user):
        inspector.save()
    if inspector.user_id != linked_before:
        log_action(
            inspector,
            actions.INSPECTOR_ACCOUNT_LINKED,
            user=acting_user,
            office=_county_office(inspector.county_id),
            data={
                "from": linked_before,
                "to": inspector.user_id,
                "username": inspector.user.get_username() if inspector.user_id else "",
            },
        )
    return inspector


def _saved_county(inspector: Inspector) -> int | None:
    return Inspector.objects.filter(pk=inspector.pk).values_list("county_id", flat=True).first()


def _check_inspector(zone: InspectorZone, inspector: Inspector | None) -> None:
    if inspector is None:
        return
    if inspector.county_id != zone.county_id:
        raise _error("inspector_county", "inspector")
    if not inspector.is_active:
        raise _error("inspector_inactive", "inspector")


@transaction.atomic
def zone_create(*, county, name: str, inspector: Inspector | None = None, acting_user) -> InspectorZone:
    zone = InspectorZone(county=county, name=name)
    zone.full_clean()
    _check_inspector(zone, inspector)
    zone.save()
    if inspector is not None:
        zone_inspector_change(zone=zone, inspector=inspector, acting_user=acting_user)
        zone.refresh_from_db()
    return zone


@transaction.atomic
def zone_rename(*, zone: InspectorZone, name: str, acting_user) -> InspectorZone:
    zone.name = name
    zone.full_clean()
    with acting_as(acting_user):
        zone.save(update_fields=["name"])
    return zone


@transaction.atomic
def zone_inspector_change(
    *, zone: InspectorZone, inspector: Inspector | None, on: datetime.date | None = None, acting_user
) -> InspectorZone:
    """Make `inspector` (None: nobody) the zone's 责任督学 from `on`: each of its schools' present
    assignment ends and one under the new inspector begins, so that each school's history says
    who was responsible for it when."""
    zone = InspectorZone.objects.select_for_update().get(pk=zone.pk)
    _check_inspector(zone, inspector)
    previous = zone.inspector_id
    new = inspector.pk if inspector else None
    if previous == new:
        return zone
    on = on or timezone.localdate()
    zone.inspector_id = new
    with acting_as(acting_user):
        zone.save(update_fields=["inspector"])
    open_rows = ZoneAssignment.objects.filter(zone=zone, ended_on=None)
    schools = list(open_rows.values_list("school_id", flat=True))
    # A row begun today is corrected in place: a day's mistake leaves no history of a day.
    open_rows.filter(started_on__gte=on).update(inspector_id=new)
    moved = [pk for pk in open_rows.filter(started_on__lt=on).values_list("school_id", flat=True)]
    open_rows.filter(started_on__lt=on).update(ended_on=on)
    ZoneAssignment.objects.bulk_create(
        [ZoneAssignment(school_id=pk, zone=zone, inspector_id=new, started_on=on) for pk in moved], batch_size=500
    )
    if previous is None and new is not None:
        # The zone's schools have a 责任督学 again: they owe the county's visits from now on.
        visits.visit_obligations_refresh(county_id=zone.county_id, schools=schools, acting_user=acting_user)
    log_action(
        zone,
        actions.ZONE_INSPECTOR_ASSIGNED,
        user=acting_user,
        office=_county_office(zone.county_id),
        data={
            "from": previous,
            "to": new,
            "to_name": inspector.name if inspector else "",
            "on": on.isoformat(),
            "schools": len(schools),
        },
    )
    return zone


@transaction.atomic
def zone_schools_set(*, zone: InspectorZone, schools, on: datetime.date | None = None, acting_user) -> tuple[int, int]:
    """Make `schools` the zone's schools from `on`: those leaving it end their assignment, those
    joining it leave their former zone (one responsible inspector at a time). Returns (added,
    removed)."""
    zone = InspectorZone.objects.select_for_update().get(pk=zone.pk)
    on = on or timezone.localdate()
    wanted = {school.pk: school for school in schools}
    for school in wanted.values():
        if school.county_id != zone.county_id:
            raise _error("school_county", "schools")
        if school.status != School.Status.OPEN:
            raise _error("school_closed", "schools")
    current = set(ZoneAssignment.objects.filter(zone=zone, ended_on=None).values_list("school_id", flat=True))
    added = sorted(set(wanted) - current)
    removed = sorted(current - set(wanted))
    if not added and not removed:
        return 0, 0
    leaving = ZoneAssignment.objects.filter(ended_on=None).filter(school_id__in=[*added, *removed])
    # Rows begun today are undone rather than ended (the partial unique index allows one open row).
    leaving.filter(started_on__gte=on).delete()
    leaving.filter(started_on__lt=on).update(ended_on=on)
    ZoneAssignment.objects.bulk_create(
        [ZoneAssignment(school_id=pk, zone=zone, inspector_id=zone.inspector_id, started_on=on) for pk in added],
        batch_size=500,
    )
    if added and zone.inspector_id is not None:
        visits.visit_obligations_refresh(county_id=zone.county_id, schools=added, acting_user=acting_user)
    log_action(
        zone,
        actions.ZONE_SCHOOLS_CHANGED,
        user=acting_user,
        office=_county_office(zone.county_id),
        data={"added": added, "removed": removed, "on": on.isoformat()},
    )
    return len(added), len(removed)
