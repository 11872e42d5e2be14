"""Closing and merging schools, zones' inspectors and schools: dated, kept, logged."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from audit.models import ActionLog
from inspections import actions
from inspections.models import School, ZoneAssignment
from inspections.services.register import school_close, zone_inspector_change, zone_schools_set
from tests.factories import CountyFactory, UserFactory
from tests.inspections.builders import DAY, inspector_make, open_assignment, school_make, zone_make

pytestmark = pytest.mark.django_db
LATER = DAY + datetime.timedelta(days=30)


def test_closing_a_school_keeps_it_and_takes_it_out_of_its_zone():
    county, user = CountyFactory(), UserFactory()
    school = school_make(county, "村小")
    zone_make(county, inspector=inspector_make(county), schools=[school])
    school_close(school=school, on=LATER, acting_user=user)
    school.refresh_from_db()
    assert (school.status, school.status_date) == (School.Status.CLOSED, LATER)
    assert open_assignment(school) is None
    assert ZoneAssignment.objects.get(school=school).ended_on == LATER
    event = ActionLog.objects.get(object_id=school.pk, action_type=str(actions.SCHOOL_CLOSED))
    assert event.user == user


def test_merging_a_school_names_its_successor_and_logs_once():
    county = CountyFactory()
    old, new = school_make(county, "旧校"), school_make(county, "新校")
    school_close(school=old, on=LATER, merged_into=new, acting_user=UserFactory())
    old.refresh_from_db()
    assert (old.status, old.merged_into) == (School.Status.MERGED, new)
    assert ActionLog.objects.filter(action_type=str(actions.SCHOOL_MERGED)).count() == 1
    assert old.history.count() == 2


def test_a_school_is_not_merged_into_another_countys_school():
    old, elsewhere = school_make(CountyFactory(), "旧校"), school_make(CountyFactory(), "新校")
    with pytest.raises(ValidationError):
        school_close(school=old, merged_into=elsewhere, acting_user=None)


def test_a_closed_school_is_not_closed_again():
    school = school_make(CountyFactory(), "旧校")
    school_close(school=school, on=DAY, acting_user=None)
    with pytest.raises(ValidationError):
        school_close(school=school, on=LATER, acting_user=None)


def test_a_new_inspector_for_a_zone_keeps_who_was_responsible_before():
    county = CountyFactory()
    first, second = inspector_make(county, "甲"), inspector_make(county, "乙")
    school = school_make(county, "城关小学")
    zone = zone_make(county, inspector=first, schools=[school])
    zone_inspector_change(zone=zone, inspector=second, on=LATER, acting_user=None)
    rows = list(ZoneAssignment.objects.filter(school=school).order_by("started_on"))
    assert [(r.inspector, r.started_on, r.ended_on) for r in rows] == [(first, DAY, LATER), (second, LATER, None)]
    assert ActionLog.objects.filter(action_type=str(actions.ZONE_INSPECTOR_ASSIGNED)).count() == 2


def test_an_inspector_of_another_county_is_refused():
    county = CountyFactory()
    zone = zone_make(county)
    with pytest.raises(ValidationError):
        zone_inspector_change(zone=zone, inspector=inspector_make(CountyFactory()), acting_user=None)


def test_a_school_joining_a_zone_leaves_its_former_one():
    county = CountyFactory()
    school = school_make(county, "城关小学")
    first = zone_make(county, "一区", inspector=inspector_make(county, "甲"), schools=[school])
    second = zone_make(county, "二区", inspector=inspector_make(county, "乙"))
    added, removed = zone_schools_set(zone=second, schools=[school], on=LATER, acting_user=None)
    assert (added, removed) == (1, 0)
    assert open_assignment(school).zone == second
    assert ZoneAssignment.objects.get(school=school, zone=first).ended_on == LATER


def test_a_zone_takes_only_its_own_countys_open_schools():
    county = CountyFactory()
    zone = zone_make(county)
    with pytest.raises(ValidationError):
        zone_schools_set(zone=zone, schools=[school_make(CountyFactory(), "外县校")], acting_user=None)
    closed = school_make(county, "旧校", status=School.Status.CLOSED, status_date=DAY)
    with pytest.raises(ValidationError):
        zone_schools_set(zone=zone, schools=[closed], acting_user=None)


def test_an_inspector_responsible_for_a_zone_stays_active_until_it_has_another():
    from inspections.services.register import inspector_save

    county = CountyFactory()
    inspector = inspector_make(county)
    zone = zone_make(county, "城关责任区", inspector=inspector)
    inspector.is_active = False
    with pytest.raises(ValidationError) as refused:
        inspector_save(inspector=inspector, acting_user=None)
    assert "城关责任区" in refused.value.messages[0]
    zone_inspector_change(zone=zone, inspector=None, acting_user=None)
    inspector_save(inspector=inspector, acting_user=None)
    inspector.refresh_from_db()
    assert not inspector.is_active
