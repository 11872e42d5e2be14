"""The official calendar as data: the State Council's notices read into days off and working
days, a year without data flagged wherever its due dates are computed, and its due dates moved
when the year's notice is loaded (a date staff moved keeps its date and reason)."""

import datetime
import io
from pathlib import Path

import chinese_calendar
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from organisation.models import Membership, OfficialCalendarDay, OfficialCalendarYear
from organisation.services import calendar as official
from plans.models import WorkPlan
from plans.services import work_plan_publish, work_plan_submit
from schedule.holidays import HolidayNoticeError, parse_holiday_notice
from tests.factories import (
    CountyFactory,
    OfficeFactory,
    RegionFactory,
    ScheduleEntryFactory,
    TaskFactory,
    UserFactory,
    WorkPlanFactory,
    staff_user_create,
)
from tracking.models import Assignment
from tracking.services.assignments import assignment_due_date_set, due_date_for, is_working_day

D = datetime.date
NOTICES = Path(__file__).resolve().parents[1] / "schedule" / "holidays"


@pytest.fixture
def calendar_kept():
    """A test that loads a year leaves the process's copy of the calendar as it found it."""
    kept = dict(official._kept)
    yield
    official._kept.update(kept)


# --- Reading the notice (no database) ------------------------------------------------------------


def test_the_2026_notice_gives_the_days_the_package_has():
    notice = parse_holiday_notice((NOTICES / "notice_2026.txt").read_text(encoding="utf-8"))

    assert notice.year == 2026
    assert set(notice.days_off) == {d for d in chinese_calendar.holidays if d.year == 2026}
    assert set(notice.working_days) == {d for d in chinese_calendar.workdays if d.year == 2026}
    assert notice.days_off[D(2026, 2, 15)] == "春节"
    assert notice.working_days[D(2026, 9, 20)] == "国庆节"
    assert notice.unread == []


def test_a_new_year_break_across_two_years_is_read_with_its_years():
    notice = parse_holiday_notice((NOTICES / "notice_2023.txt").read_text(encoding="utf-8"))

    assert {D(2022, 12, 31), D(2023, 1, 1), D(2023, 1, 2)} <= set(notice.days_off)
    assert notice.days_off[D(2023, 10, 6)] == "中秋节、国庆节"
    package = {d for d in chinese_calendar.holidays if d.year == 2023 and d.month < 12}
    assert {d for d in notice.days_off if d.year == 2023} == package


def test_full_width_digits_and_an_older_wording_are_read():
    text = "２０１５年部分节假日安排\n一、元旦：１月１日至３日放假调休，共３天。１月４日（星期日）上班。\n二、清明节：4月5日放假，4月6日（星期一）补休。"

    notice = parse_holiday_notice(text)

    # 补休: the Monday after a Sunday holiday is off too.
    assert sorted(notice.days_off) == [D(2015, 1, 1), D(2015, 1, 2), D(2015, 1, 3), D(2015, 4, 5), D(2015, 4, 6)]
    assert list(notice.working_days) == [D(2015, 1, 4)]
    assert {d for d in chinese_calendar.holidays if d.year == 2015 and d.month in (1, 4)} == set(notice.days_off)


@pytest.mark.parametrize(
    "text, year, message",
    [
        ("关于做好节日期间安全工作的通知", 2027, "No numbered holiday item"),
        ("一、元旦：1月1日放假。", None, "does not state its year"),
        ("2027年部分节假日安排\n一、春节：2月13日至2月6日放假。", None, "does not read as a holiday"),
        ("2027年部分节假日安排\n一、元旦：1月1日放假。1月1日上班。", None, "both as a day off"),
    ],
)
def test_a_text_that_is_not_a_holiday_notice_is_refused_with_the_reason(text, year, message):
    with pytest.raises(HolidayNoticeError, match=message):
        parse_holiday_notice(text, year=year)


# --- The calendar in the database ----------------------------------------------------------------


@pytest.fixture
def plan_2027(db):
    """A published 2027 plan: one county, calendar lines due at the end of January, April and
    October (31 Jan and 31 Oct 2027 are Sundays)."""
    region = RegionFactory(name="测试市")
    office = OfficeFactory(region=region)
    county = CountyFactory(city=region, name="测试区")
    editor = staff_user_create(office=office)
    reviewer = staff_user_create(office=office, role=Membership.Role.REVIEWER)
    plan = WorkPlanFactory(office=office, status=WorkPlan.Status.DRAFT, plan_year=2027)
    task = TaskFactory(plan=plan, number=1, counties=[county])
    for position, month in enumerate((1, 4, 10), start=1):
        ScheduleEntryFactory(plan=plan, task=task, position=position, period=f"{month}月", month_set=(month,))
    work_plan_submit(plan=plan, acting_user=editor)
    work_plan_publish(plan=plan, acting_user=reviewer)
    return plan, reviewer


def due_dates(plan):
    return {
        a.entry.end_month: (a.due_date, a.due_date_approximate)
        for a in Assignment.objects.filter(plan=plan).select_related("entry")
    }


def test_the_migrated_calendar_holds_the_years_the_package_knows(db):
    years = set(OfficialCalendarYear.objects.values_list("year", flat=True))

    assert set(range(2004, 2027)) <= years
    # 元旦 2024 began on 30 December 2023: that day belongs to the 2024 notice.
    assert OfficialCalendarDay.objects.get(date=D(2023, 12, 30)).calendar_year.year == 2024
    assert is_working_day(D(2026, 9, 20)) == (True, True)  # a Sunday made a working day
    assert is_working_day(D(2026, 10, 5)) == (False, True)
    assert is_working_day(D(2027, 1, 4)) == (True, False)


def test_2027_due_dates_are_flagged_until_its_notice_is_loaded_then_move(
    plan_2027, calendar_kept, django_capture_on_commit_callbacks
):
    plan, reviewer = plan_2027
    april = Assignment.objects.get(plan=plan, entry__end_month=4)
    assignment_due_date_set(assignment=april, due_date=D(2027, 5, 10), reason="与省评估检查错开", acting_user=reviewer)
    assert due_dates(plan) == {
        1: (D(2027, 1, 29), True),  # weekdays only: Friday before the Sunday
        4: (D(2027, 5, 10), True),
        10: (D(2027, 10, 29), True),
    }

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_official_calendar", str(NOTICES / "notice_2027_test.txt"), stdout=out)

    assert due_dates(plan) == {
        1: (D(2027, 1, 30), False),  # Saturday 30 January is a working day in the notice
        4: (D(2027, 5, 10), False),  # moved by staff: kept, with its reason
        10: (D(2027, 10, 29), False),  # the same day, now on the official calendar
    }
    april.refresh_from_db()
    # By the rules it would now be 29 April (30 April starts 劳动节); undoing the move gives that.
    assert (april.due_date_reason, april.due_date_rule) == ("与省评估检查错开", D(2027, 4, 29))
    assert "1 个截止日期随之调整，1 个经人工调整的保持不变，3 个不再仅按周末推算" in out.getvalue()
    assert due_date_for(plan_year=2027, entry=None).approximate is False
    assert OfficialCalendarYear.objects.get(year=2027).source == OfficialCalendarYear.Source.NOTICE


def test_a_dry_run_writes_nothing_and_a_bad_notice_is_refused(db, tmp_path):
    out = io.StringIO()
    call_command("load_official_calendar", str(NOTICES / "notice_2027_test.txt"), "--dry-run", stdout=out)
    assert "2027-04-30" in out.getvalue()
    assert not OfficialCalendarYear.objects.filter(year=2027).exists()

    bad = tmp_path / "bad.txt"
    bad.write_text("关于做好节日期间安全工作的通知", encoding="utf-8")
    with pytest.raises(CommandError, match="一、元旦"):
        call_command("load_official_calendar", str(bad), "--year", "2027")


def test_the_admin_front_page_flags_next_year_without_data(client, db):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    missing = official.official_years_missing()

    page = client.get(reverse("admin:index")).content.decode()

    assert missing, "the calendar never holds next year's data before its notice"
    for year in missing:
        assert f"{year}" in page and f"year={year}" in page


def test_an_administrator_loads_a_year_by_pasting_the_notice(
    client, plan_2027, calendar_kept, django_capture_on_commit_callbacks
):
    plan, _reviewer = plan_2027
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    url = reverse("admin:organisation_officialcalendaryear_add")

    refused = client.post(url, {"year": 2027, "notice_text": "一、元旦：放假。", **_empty_inline()})
    assert refused.status_code == 200 and not OfficialCalendarYear.objects.filter(year=2027).exists()

    text = (NOTICES / "notice_2027_test.txt").read_text(encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"year": 2027, "notice_text": text, **_empty_inline()})

    assert response.status_code == 302
    year = OfficialCalendarYear.objects.get(year=2027)
    assert year.days.filter(kind="off").count() == 16 and year.days.filter(kind="working").count() == 3
    assert due_dates(plan)[4] == (D(2027, 4, 29), False)
    assert is_working_day(D(2027, 1, 30)) == (True, True)


def test_a_day_edited_by_hand_moves_the_due_dates_it_touches(
    plan_2027, calendar_kept, django_capture_on_commit_callbacks
):
    plan, reviewer = plan_2027
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_official_calendar", str(NOTICES / "notice_2027_test.txt"), stdout=io.StringIO())
    year = OfficialCalendarYear.objects.get(year=2027)
    OfficialCalendarDay.objects.create(calendar_year=year, date=D(2027, 4, 29), kind="off", name="测试")

    with django_capture_on_commit_callbacks(execute=True):
        result = official.official_year_refresh(year=2027, acting_user=reviewer)

    assert result.due_dates_moved == 1
    assert due_dates(plan)[4] == (D(2027, 4, 28), False)


def _empty_inline() -> dict:
    return {
        "days-TOTAL_FORMS": "0",
        "days-INITIAL_FORMS": "0",
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "1000",
    }


def test_the_publish_preview_says_which_years_have_no_official_calendar(client, db):
    region = RegionFactory(name="测试市")
    office = OfficeFactory(region=region)
    county = CountyFactory(city=region, name="测试区")
    editor = staff_user_create(office=office)
    reviewer = staff_user_create(office=office, role=Membership.Role.REVIEWER)
    plans = {}
    for year in (2026, 2027):
        plan = WorkPlanFactory(office=office, status=WorkPlan.Status.DRAFT, plan_year=year, title=f"{year}年工作要点")
        TaskFactory(plan=plan, number=1, counties=[county])
        work_plan_submit(plan=plan, acting_user=editor)
        plans[year] = plan
    client.force_login(reviewer)

    flagged = client.get(reverse("tracking:publish_preview", args=[plans[2027].pk])).content.decode()
    known = client.get(reverse("tracking:publish_preview", args=[plans[2026].pk])).content.decode()

    assert "还没有 2027 年的数据" in flagged
    assert "还没有" not in known
