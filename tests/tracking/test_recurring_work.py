"""Recurring work: a 每月 line gives each county twelve obligations, each due on its own month's
working day; 每月5日前 the 5th (the next working day when the 5th is a day off); a revision from
每月 to 每季度 withdraws what no longer falls due and keeps every report."""

import datetime

import pytest
from django.urls import reverse

from organisation.models import Membership
from plans.models import WorkPlan
from plans.services import plan_snapshot, work_plan_publish, work_plan_revise, work_plan_submit
from plans.services.content import plan_content_write
from schedule.recurrence import Recurrence, occurrences, recurrence_of
from tests.factories import (
    CountyFactory,
    OfficeFactory,
    RegionFactory,
    ScheduleEntryFactory,
    TaskFactory,
    WorkPlanFactory,
    county_user_create,
    staff_user_create,
)
from tracking.models import Assignment
from tracking.services.assignments import is_working_day
from tracking.services.reports import report_review, report_submit

D = datetime.date
State = Assignment.State


# --- The rules (no database) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "period, kind, count, first, last",
    [
        ("每月", "monthly", 12, D(2028, 1, 31), D(2028, 12, 31)),
        ("每季度", "quarterly", 4, D(2028, 3, 31), D(2028, 12, 31)),
        ("每季度末", "quarterly", 4, D(2028, 3, 31), D(2028, 12, 31)),
        ("每半年", "half_yearly", 2, D(2028, 6, 30), D(2028, 12, 31)),
        ("每学期", "termly", 2, D(2028, 6, 30), D(2028, 12, 31)),
        ("每周", "weekly", 53, D(2028, 1, 2), D(2028, 12, 31)),
    ],
)
def test_each_kind_of_recurring_work_falls_due_through_the_year(period, kind, count, first, last):
    recurrence = recurrence_of(period)
    times = occurrences(recurrence, year=2028)

    assert recurrence.kind == kind
    assert (len(times), times[0].due, times[-1].due) == (count, first, last)
    assert [t.number for t in times] == list(range(1, count + 1))
    assert len({t.key for t in times}) == count


def test_a_monthly_deadline_day_is_kept_each_month_and_february_ends_on_its_last_day():
    by_fifth = occurrences(Recurrence("monthly", 5), year=2027)
    by_thirtieth = occurrences(Recurrence("monthly", 30), year=2028)

    assert [t.due.day for t in by_fifth] == [5] * 12 and all(t.roll_forward for t in by_fifth)
    assert by_thirtieth[1].due == D(2028, 2, 29)
    assert [t.label for t in by_fifth[:2]] == ["1月", "2月"]


def test_recurring_work_limited_to_some_months_falls_due_only_in_them():
    times = occurrences(Recurrence("monthly"), year=2027, months=(3, 4, 5, 6))

    assert [(t.key, t.number, t.count) for t in times] == [("M03", 1, 4), ("M04", 2, 4), ("M05", 3, 4), ("M06", 4, 4)]


def test_a_single_period_is_not_recurring():
    assert recurrence_of("3月") is None and recurrence_of("全年") is None and recurrence_of("年底前") is None


# --- Publishing, revising, the county's side ----------------------------------------------------


@pytest.fixture
def setting(db):
    region = RegionFactory(name="测试市")
    office = OfficeFactory(region=region)
    counties = [CountyFactory(city=region, name=f"测试{n}区") for n in range(2)]
    editor = staff_user_create(office=office)
    reviewer = staff_user_create(office=office, role=Membership.Role.REVIEWER)
    return office, counties, editor, reviewer


def publish(plan, editor, reviewer):
    work_plan_submit(plan=plan, acting_user=editor)
    return work_plan_publish(plan=plan, acting_user=reviewer)


def monthly_plan(office, counties, *, period="每月", deadline_day=None):
    plan = WorkPlanFactory(office=office, status=WorkPlan.Status.DRAFT, plan_year=2024)
    task = TaskFactory(plan=plan, number=1, counties=counties, title="规范办学行为督导")
    ScheduleEntryFactory(
        plan=plan,
        task=task,
        position=1,
        period=period,
        month_set=tuple(range(1, 13)),
        deadline_day=deadline_day,
        text="报送责任督学挂牌督导工作月报",
    )
    return plan


def test_a_monthly_line_gives_each_county_twelve_obligations_due_on_working_days(setting):
    office, counties, editor, reviewer = setting
    plan = publish(monthly_plan(office, counties), editor, reviewer)

    mine = list(Assignment.objects.filter(plan=plan, county=counties[0]).order_by("due_date"))

    assert len(mine) == 12 and Assignment.objects.filter(plan=plan).count() == 24
    assert [a.due_date.month for a in mine] == list(range(1, 13))
    assert all(is_working_day(a.due_date) == (True, True) for a in mine)
    assert mine[2].due_date == D(2024, 3, 29)  # the 31st is a Sunday
    assert (mine[2].occurrence, mine[2].occurrence_number, mine[2].occurrence_count) == ("M03", 3, 12)
    assert mine[2].label.endswith("每月：报送责任督学挂牌督导工作月报 · 3月")


def test_a_monthly_deadline_day_moves_forward_to_the_next_working_day(setting):
    office, counties, editor, reviewer = setting
    plan = publish(monthly_plan(office, counties[:1], period="每月5日前", deadline_day=5), editor, reviewer)

    due = dict(Assignment.objects.filter(plan=plan).values_list("occurrence", "due_date"))

    assert due["M03"] == D(2024, 3, 5)
    assert due["M05"] == D(2024, 5, 6)  # 1–5 May 2024 are days off: the next working day
    assert due["M10"] == D(2024, 10, 8)  # National Day runs to the 7th
    assert due["M01"] == D(2024, 1, 5)


def test_a_revision_from_monthly_to_quarterly_withdraws_the_surplus_and_keeps_every_report(setting):
    office, counties, editor, reviewer = setting
    plan = publish(monthly_plan(office, counties), editor, reviewer)
    county_user = county_user_create(county=counties[0])
    january = Assignment.objects.get(plan=plan, county=counties[0], occurrence="M01")
    accepted = report_submit(assignment=january, acting_user=county_user, progress="done", text="1月已报送")
    report_review(report=accepted, accept=True, comment="", acting_user=reviewer)
    february = Assignment.objects.get(plan=plan, county=counties[0], occurrence="M02")
    pending = report_submit(assignment=february, acting_user=county_user, progress="in_progress", text="2月")

    draft = work_plan_revise(plan=plan, acting_user=editor)
    content = plan_snapshot(draft)
    content["entries"][0].update(period="每季度", granularity="quarter")
    plan_content_write(plan=draft, content=content, match_by="key", acting_user=editor)
    publish(draft, editor, reviewer)

    january.refresh_from_db()
    february.refresh_from_db()
    assert january.state == State.ACCEPTED and january.reports.get() == accepted
    assert february.state == State.WITHDRAWN and february.reports.get() == pending
    open_work = Assignment.objects.filter(plan=plan, county=counties[0]).exclude(
        state__in=[State.WITHDRAWN, State.ACCEPTED]
    )
    assert sorted(open_work.values_list("occurrence", flat=True)) == ["Q1", "Q2", "Q3", "Q4"]
    assert Assignment.objects.filter(plan=plan, state=State.WITHDRAWN).count() == 2 * 12 - 1


def test_the_county_sees_which_time_of_the_year_each_obligation_is(setting, client):
    office, counties, editor, reviewer = setting
    publish(monthly_plan(office, counties), editor, reviewer)
    client.force_login(county_user_create(county=counties[0]))

    page = client.get(reverse("tracking:portal")).content.decode()

    assert "第 3/12 次" in page and "第 12/12 次" in page


def _publishing_queries(setting, how_many: int) -> tuple[int, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    office, _counties, editor, reviewer = setting
    province = RegionFactory(name=f"省{how_many}", level="province")
    cities = [RegionFactory(name=f"省{how_many}市{n}", parent=province) for n in range(4)]
    counties = [CountyFactory(city=cities[n % 4], name=f"省{how_many}县{n}") for n in range(how_many)]
    plan = monthly_plan(office, counties)
    work_plan_submit(plan=plan, acting_user=editor)
    with CaptureQueriesContext(connection) as queries:
        work_plan_publish(plan=plan, acting_user=reviewer)
    batches = sum('INSERT INTO "tracking_' in q["sql"] for q in queries.captured_queries)
    return len(queries) - batches, batches, Assignment.objects.filter(plan=plan).count()


def test_sending_monthly_work_to_every_county_of_a_province_costs_the_same_queries_as_to_two(setting):
    # The bulk path: assignments and their history rows are written in batches, so a province's
    # hundred counties (1,200 obligations) cost what two counties cost, but for the batches.
    import math

    from django.db import connection

    two, two_batches, made_for_two = _publishing_queries(setting, 2)
    province, batches, made_for_province = _publishing_queries(setting, 100)

    def batches_for(model) -> int:
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        return math.ceil(1_200 / min(500, connection.ops.bulk_batch_size(fields, [None] * 1_200)))

    assert (made_for_two, made_for_province) == (24, 1_200)
    assert province == two
    if connection.vendor == "postgresql":
        # One statement a batch of 500 writes the assignments and their history rows.
        assert (two_batches, batches) == (1, math.ceil(1_200 / 500))
    else:
        # One batch each for the assignments, as many as the database takes, and their history
        # rows, copied from them 500 at a time.
        assert two_batches == 2
        assert batches == batches_for(Assignment) + math.ceil(1_200 / 500)
