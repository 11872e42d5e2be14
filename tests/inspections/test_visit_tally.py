"""The visit tally: per county and due date, the 挂牌督导 visits owed and made, kept by the
database whatever writes the obligations (services, bulk writes, deletes), and what the
province dashboard and the evaluation's coverage figure read."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Q

from inspections.models import VisitTally
from inspections.services.register import school_close
from inspections.tally import TRIGGERS, counted, triggers_missing
from inspections.visit_selectors import visits_owed
from inspections.visits import visit_record, visit_rhythm_set
from supervision.history import bulk_update_with_history
from tracking.models import Assignment
from tracking.services.assignments import assignment_due_date_set, obligations_withdraw

pytestmark = pytest.mark.django_db

State = Assignment.State
JAN = datetime.date(2026, 1, 5)


def _tally() -> dict:
    rows = VisitTally.objects.values_list("county_id", "year", "due_date", "owed", "made")
    return {(c, y, d): (owed, made) for c, y, d, owed, made in rows if owed or made}


def _rhythm(county, months=(3, 4, 5, 6)):
    return visit_rhythm_set(county=county, year=2026, period="每月", months=months, acting_user=None, today=JAN)


def _visit(school, inspector, day):
    return visit_record(
        school=school,
        inspector=inspector,
        visited_on=day,
        topics=["safety"],
        record="查看了校门口交通秩序。",
        opinion="",
        acting_user=inspector.user,
        today=datetime.date(2026, 12, 31),
    )


def test_issued_visits_are_owed_per_due_date_and_a_recorded_visit_is_made(county, zone):
    _rhythm(county)
    school = zone.assignments.first().school
    _visit(school, zone.inspector, datetime.date(2026, 3, 12))

    assert _tally() == counted()
    march = VisitTally.objects.get(county=county, due_date__month=3)
    assert (march.owed, march.made) == (3, 1)
    assert sorted(VisitTally.objects.filter(county=county).values_list("owed", flat=True)) == [3, 3, 3, 3]


def test_withdrawn_moved_and_deleted_obligations_leave_their_counts(county, zone):
    _rhythm(county)
    school = zone.assignments.first().school
    _visit(school, zone.inspector, datetime.date(2026, 3, 12))
    owed = Assignment.objects.filter(kind=Assignment.Kind.VISIT, subject_id=school.pk).order_by("due_date")

    # A closed school's visits still to come are withdrawn; a deadline moved moves its count.
    school_close(school=school, on=datetime.date(2026, 5, 15), acting_user=None)
    other = Assignment.objects.filter(kind=Assignment.Kind.VISIT, state=State.ASSIGNED).order_by("pk").first()
    assignment_due_date_set(
        assignment=other, due_date=datetime.date(2026, 7, 10), reason="暑期前补做", acting_user=None
    )
    assert _tally() == counted()
    assert VisitTally.objects.get(county=county, due_date=datetime.date(2026, 7, 10)).owed == 1

    owed.filter(state=State.ACCEPTED).delete()
    assert _tally() == counted()


def test_bulk_writes_count_like_single_ones(county, zone):
    _rhythm(county, months=(3, 4, 5, 6, 9, 10))
    obligations = list(Assignment.objects.filter(kind=Assignment.Kind.VISIT).order_by("pk"))
    for obligation in obligations[::2]:
        obligation.state = State.ACKNOWLEDGED
        obligation.acknowledged_at = obligation.created_at
    for obligation in obligations[1::4]:
        obligation.state, obligation.closed_at = State.ACCEPTED, obligation.created_at
        obligation.acknowledged_at = obligation.created_at
    bulk_update_with_history(obligations, Assignment, ["state", "acknowledged_at", "closed_at"], acting_user=None)
    obligations_withdraw(assignments=obligations[3::5], acting_user=None, note="学校撤并")

    assert _tally() == counted()
    assert sum(made for _owed, made in _tally().values()) == len(obligations[1::4])


def test_plan_work_and_other_kinds_are_not_counted(county, zone):
    _rhythm(county, months=(3,))
    Assignment.objects.filter(kind=Assignment.Kind.VISIT).update(kind=Assignment.Kind.SELF_ASSESSMENT)

    assert _tally() == {} == counted()


def test_the_coverage_read_sums_the_counties_due_by_a_day(county, zone):
    _rhythm(county)
    school = zone.assignments.first().school
    _visit(school, zone.inspector, datetime.date(2026, 3, 12))
    _visit(school, zone.inspector, datetime.date(2026, 4, 8))

    counties = Q(county=county)
    by_county = visits_owed(counties=counties, year=2026, as_of=datetime.date(2026, 4, 30))
    assert by_county == {county.pk: (6, 2)}
    assert visits_owed(counties=counties, year=2026, as_of=datetime.date(2026, 3, 1)) == {}
    by_city = visits_owed(counties=counties, year=2026, as_of=datetime.date(2026, 12, 31), by="county__city_id")
    assert by_city == {county.city_id: (12, 2)}


def test_obligations_deleted_after_their_tally_do_not_bring_it_back(county, zone):
    # A flush (SQLite deletes table by table, in no fixed order) or a county's cascade can
    # remove the tally first; its obligations' deletion then has nothing left to take from.
    _rhythm(county)
    _visit(zone.assignments.first().school, zone.inspector, datetime.date(2026, 3, 12))
    VisitTally.objects.all().delete()

    Assignment.objects.filter(kind=Assignment.Kind.VISIT).delete()

    assert not VisitTally.objects.exists()


def test_the_migrated_database_carries_the_three_triggers():
    # A later migration that changes tracking_assignment on SQLite makes the table anew, and
    # SQLite drops a table's triggers with it: such a migration must create them again.
    assert triggers_missing() == ()


def test_a_rebuild_counts_the_tally_again_and_a_check_says_what_is_wrong(county, zone):
    _rhythm(county)
    _visit(zone.assignments.first().school, zone.inspector, datetime.date(2026, 3, 12))
    april = VisitTally.objects.get(county=county, due_date__month=4)
    VisitTally.objects.filter(pk=april.pk).update(owed=9, made=9)
    VisitTally.objects.filter(county=county, due_date__month=5).delete()
    VisitTally.objects.create(county=county, year=2026, due_date=datetime.date(2026, 8, 3), owed=2)

    with pytest.raises(CommandError, match="不一致"):
        call_command("visit_tally_rebuild", "--check", stdout=io.StringIO())
    out = io.StringIO()
    call_command("visit_tally_rebuild", stdout=out)

    assert "已新增 1 行，已更正 1 行，已删除 1 行" in out.getvalue()
    assert _tally() == counted()
    assert VisitTally.objects.get(pk=april.pk).owed == 3
    # A row at zero, as the triggers leave one when a day's obligations go, is no fault.
    VisitTally.objects.create(county=county, year=2026, due_date=datetime.date(2026, 9, 7), owed=0)
    call_command("visit_tally_rebuild", "--check", stdout=io.StringIO())


def test_a_rebuild_puts_back_a_lost_trigger_and_counts_what_was_written_without_it(county, zone):
    with connection.cursor() as cursor:
        cursor.execute(
            f"DROP TRIGGER {TRIGGERS[0]}" + (" ON tracking_assignment" if connection.vendor == "postgresql" else "")
        )
    _rhythm(county, months=(3,))
    assert triggers_missing() == (TRIGGERS[0],) and _tally() == {}

    out = io.StringIO()
    call_command("visit_tally_rebuild", stdout=out)

    assert TRIGGERS[0] in out.getvalue() and triggers_missing() == ()
    assert _tally() == counted() and list(_tally().values()) == [(3, 0)]
    _visit(zone.assignments.first().school, zone.inspector, datetime.date(2026, 3, 12))
    assert sum(made for _owed, made in _tally().values()) == 1
