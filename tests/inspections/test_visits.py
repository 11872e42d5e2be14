"""挂牌督导 visits: the county's rhythm issues each school's visit obligations, a visit fulfils the
occurrence it falls in, the zone's changes and a closing school keep them right."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError

from audit.models import ActionLog
from inspections import actions
from inspections.models import School, Visit, VisitRhythm, ZoneAssignment
from inspections.services.register import school_close, zone_inspector_change, zone_schools_set
from inspections.visits import visit_obligations_q, visit_record, visit_rhythm_set
from tests.factories import CountyOfficeFactory, UserFactory
from tests.inspections.builders import inspector_make, school_make, world, zone_make
from tracking import actions as tracking_actions
from tracking.models import Assignment

pytestmark = pytest.mark.django_db

JAN = datetime.date(2026, 1, 5)
State = Assignment.State


def _owed(school=None, county=None):
    return Assignment.objects.filter(visit_obligations_q(schools=[school] if school else None, county=county)).order_by(
        "subject_id", "due_date"
    )


def _set(county, *, today=JAN, period="每月", months=(3, 4, 5, 6, 9, 10, 11, 12), year=2026, user=None):
    return visit_rhythm_set(county=county, year=year, period=period, months=months, acting_user=user, today=today)


def _visit(school, inspector, day, *, today=datetime.date(2026, 12, 31), key=None, **fields):
    return visit_record(
        school=school,
        inspector=inspector,
        visited_on=day,
        topics=fields.get("topics", ["safety"]),
        record=fields.get("record", "查看了校门口交通秩序。"),
        opinion=fields.get("opinion", ""),
        acting_user=inspector.user,
        submission_key=key,
        today=today,
    )


# --- The rhythm -----------------------------------------------------------------------------------


def test_setting_the_rhythm_issues_each_schools_visits_once_per_month(county, zone):
    rhythm, issued, withdrawn = _set(county)

    assert (issued, withdrawn) == (24, 0)
    school = zone.assignments.first().school
    owed = list(_owed(school))
    assert [a.occurrence for a in owed] == ["M03", "M04", "M05", "M06", "M09", "M10", "M11", "M12"]
    assert {a.office.county_id for a in owed} == {county.pk}
    assert owed[0].county_id == county.pk and owed[0].year == 2026
    # Due on the last working day of the month (31 March 2026 is a Tuesday).
    assert owed[0].due_date == datetime.date(2026, 3, 31)
    assert "第0小学" in owed[0].label or school.name in owed[0].label
    assert ActionLog.objects.filter(action_type=actions.VISIT_RHYTHM_SET, object_id=rhythm.pk).count() == 1


def test_saving_the_rhythm_again_adds_only_what_is_missing(county, zone):
    _set(county)
    school_make(county, "新学校")  # in no zone: owes nothing
    # A school in the zone that owes nothing yet (put there before the rhythm was kept).
    newcomer = school_make(county, "新入区学校")
    ZoneAssignment.objects.create(school=newcomer, zone=zone, inspector=zone.inspector, started_on=JAN)
    before = set(_owed(county=county).values_list("pk", flat=True))

    _rhythm, issued, _withdrawn = _set(county)

    assert issued == 8
    assert set(_owed(county=county).exclude(subject_id=newcomer.pk).values_list("pk", flat=True)) == before
    assert not _owed(school=School.objects.get(name="新学校")).exists()
    assert _set(county)[1] == 0


def test_a_rhythm_set_in_the_year_issues_no_month_already_past(county, zone):
    _rhythm, issued, _withdrawn = _set(county, today=datetime.date(2026, 5, 20))

    assert issued == 3 * 6  # May, June and four autumn months
    assert not _owed(county=county).filter(occurrence__in=["M03", "M04"]).exists()


def test_the_rhythm_reads_a_deadline_day(county, zone):
    _set(county, period="每月10日前", months=[3])

    # 10 March 2026 is a Tuesday.
    assert _owed(county=county).first().due_date == datetime.date(2026, 3, 10)


def test_a_rhythm_the_calendar_does_not_read_is_refused_in_chinese(county, zone):
    with pytest.raises(ValidationError) as error:
        _set(county, period="每两月")

    assert "每月" in str(error.value) and "每季度" in str(error.value)
    assert not VisitRhythm.objects.exists()
    assert not _owed(county=county).exists()


def test_a_rhythm_without_months_is_refused(county, zone):
    with pytest.raises(ValidationError):
        _set(county, months=[])
    with pytest.raises(ValidationError):
        _set(county, months=[0, 13])


def test_changing_the_rhythm_withdraws_the_occurrences_not_yet_due_it_no_longer_has(county, zone):
    _set(county, months=range(1, 13))
    school = zone.assignments.first().school

    _rhythm, issued, withdrawn = _set(county, months=(3, 4, 5, 6, 9, 10, 11, 12), today=datetime.date(2026, 2, 10))

    assert (issued, withdrawn) == (0, 3 * 3)  # February, July and August; January is past and stays
    states = dict(_owed(school).values_list("occurrence", "state"))
    assert states["M02"] == states["M07"] == states["M08"] == State.WITHDRAWN
    assert states["M01"] == State.ASSIGNED
    assert ActionLog.objects.filter(action_type=tracking_actions.ASSIGNMENT_WITHDRAWN).count() == 9


def test_a_county_without_an_office_of_its_own_gets_a_clear_message():
    people = world()
    with pytest.raises(ValidationError) as error:
        _set(people["b1"])
    assert people["b1"].name in str(error.value)


# --- The zone's changes and a closing school ------------------------------------------------------


def test_a_school_joining_a_zone_later_owes_the_visits_from_then_on(county, zone):
    _set(county, year=2026, today=JAN)
    newcomer = school_make(county, "新入区学校")

    zone_schools_set(
        zone=zone,
        schools=[*School.objects.filter(assignments__zone=zone, assignments__ended_on=None), newcomer],
        acting_user=None,
    )

    keys = list(_owed(newcomer).values_list("occurrence", flat=True))
    assert keys and set(keys) <= {"M03", "M04", "M05", "M06", "M09", "M10", "M11", "M12"}


def test_a_zone_that_gets_an_inspector_brings_its_schools_visits(county):
    school = school_make(county, "无督学学校")
    empty = zone_make(county, "第二责任区", schools=[school])
    _set(county)
    assert not _owed(school).exists()

    zone_inspector_change(zone=empty, inspector=inspector_make(county, "李督学"), acting_user=None)

    assert _owed(school).exists()


def test_a_schools_new_inspector_inherits_its_visits(county, zone):
    _set(county)
    school = zone.assignments.first().school
    owed = set(_owed(school).values_list("pk", flat=True))
    successor = inspector_make(county, "赵督学", user=UserFactory(username="zhao"))

    zone_inspector_change(zone=zone, inspector=successor, on=datetime.date(2026, 2, 1), acting_user=None)
    visit = _visit(school, successor, datetime.date(2026, 3, 12))

    assert set(_owed(school).values_list("pk", flat=True)) == owed
    assert visit.obligation_id in owed
    with pytest.raises(ValidationError):
        _visit(school, zone.inspector, datetime.date(2026, 3, 13))


def test_a_closed_school_withdraws_its_visits_still_to_come(county, zone):
    _set(county)
    school = zone.assignments.first().school

    school_close(school=school, on=datetime.date(2026, 5, 15), acting_user=None)

    states = dict(_owed(school).values_list("occurrence", "state"))
    assert states["M03"] == states["M04"] == State.ASSIGNED  # past due: the record stays
    assert {states[k] for k in ("M05", "M06", "M09", "M12")} == {State.WITHDRAWN}


# --- A visit --------------------------------------------------------------------------------------------


def test_a_visit_fulfils_the_occurrence_of_its_month(county, zone):
    _set(county)
    school = zone.assignments.first().school

    visit = _visit(school, zone.inspector, datetime.date(2026, 4, 8), topics=["teaching", "safety", "safety"])

    april = _owed(school).get(occurrence="M04")
    assert visit.obligation == april
    assert april.state == State.ACCEPTED and april.closed_at is not None and april.acknowledged_at is not None
    assert _owed(school).get(occurrence="M03").state == State.ASSIGNED
    assert visit.zone == zone and visit.topics == ["teaching", "safety"]
    assert ActionLog.objects.filter(action_type=actions.VISIT_RECORDED, object_id=visit.pk).count() == 1
    assert ActionLog.objects.filter(action_type=tracking_actions.ASSIGNMENT_FULFILLED, object_id=april.pk).count() == 1


def test_a_second_visit_in_the_month_fulfils_nothing_more(county, zone):
    _set(county)
    school = zone.assignments.first().school
    _visit(school, zone.inspector, datetime.date(2026, 4, 8))

    second = _visit(school, zone.inspector, datetime.date(2026, 4, 20))

    assert second.obligation is None
    assert _owed(school).filter(state=State.ACCEPTED).count() == 1


def test_a_visit_outside_every_occurrence_is_recorded_all_the_same(county, zone):
    _set(county)
    school = zone.assignments.first().school

    visit = _visit(school, zone.inspector, datetime.date(2026, 7, 15))

    assert visit.pk and visit.obligation is None
    assert not _owed(school).filter(state=State.ACCEPTED).exists()


def test_a_quarterly_rhythm_is_fulfilled_by_a_visit_in_the_quarter(county, zone):
    _set(county, period="每季度", months=range(1, 13))
    school = zone.assignments.first().school

    visit = _visit(school, zone.inspector, datetime.date(2026, 5, 6))

    assert visit.obligation.occurrence == "Q2"


def test_a_double_submit_is_one_visit(county, zone):
    _set(county)
    school = zone.assignments.first().school
    key = uuid.uuid4()

    first = _visit(school, zone.inspector, datetime.date(2026, 4, 8), key=key)
    again = _visit(school, zone.inspector, datetime.date(2026, 4, 8), key=key)

    assert again.pk == first.pk and again.is_repeat and not first.is_repeat
    assert Visit.objects.count() == 1


def test_a_visit_in_the_future_is_refused_and_nothing_is_written(county, zone):
    _set(county)
    school = zone.assignments.first().school

    with pytest.raises(ValidationError) as error:
        _visit(school, zone.inspector, datetime.date(2026, 4, 9), today=datetime.date(2026, 4, 8))

    assert "visited_on" in error.value.error_dict
    assert not Visit.objects.exists()
    assert not _owed(school).filter(state=State.ACCEPTED).exists()


def test_only_the_schools_present_inspector_records_a_visit(county, zone):
    other = inspector_make(county, "外区督学", user=UserFactory(username="other"))
    school = zone.assignments.first().school

    with pytest.raises(ValidationError):
        _visit(school, other, datetime.date(2026, 4, 8))
    assert not Visit.objects.exists()


def test_an_unknown_matter_is_refused(county, zone):
    school = zone.assignments.first().school
    with pytest.raises(ValidationError):
        _visit(school, zone.inspector, datetime.date(2026, 4, 8), topics=["gossip"])


def _queries_to_set(county, schools: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    zone = zone_make(county, f"责任区{schools}", inspector=inspector_make(county, f"督学{schools}"))
    zone_schools_set(
        zone=zone, schools=[school_make(county, f"{schools}校{n}") for n in range(schools)], acting_user=None
    )
    with CaptureQueriesContext(connection) as queries:
        _set(county, months=(3, 4, 5, 6))  # rows few enough for one insert on SQLite too
    return len(queries)


def test_setting_the_rhythm_takes_the_same_queries_for_more_schools():
    # A county of 500 schools is issued its 4,000 visits in 34 queries (about 3 s); one
    # obligations_issue per school took 3,500 queries and 14 s.
    people = world()
    for name in ("a1", "a2", "b1"):
        CountyOfficeFactory(county=people[name])
    _queries_to_set(people["b1"], 1)  # the content types and the official calendar, read once

    assert _queries_to_set(people["a1"], 2) == _queries_to_set(people["a2"], 6)
