"""What staff take out of a plan: print, calendars, Excel (and an edited sheet back into a
draft), iCalendar feeds; their permissions, query counts, memory and hostile files."""

import datetime
import io
import re
import struct
import tempfile
import time
import tracemalloc
import uuid
import zipfile
import zlib

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from organisation.models import Membership
from plans.models import (
    EntryTarget,
    FeedToken,
    ScheduleEntry,
    Section,
    Task,
    TaskTarget,
    WorkPlan,
    months_to_mask,
)
from plans.outputs.excel import SCHEDULE_HEADERS, TASK_HEADERS, plan_workbook_write
from plans.outputs.excel_import import (
    LIMITS,
    WorkbookLimits,
    plan_schedule_import,
    schedule_workbook_read,
    workbook_check,
)
from plans.outputs.feeds import feed_secret_hash, feed_token_get, feed_token_renew, feed_token_revoke
from plans.selectors.calendars import plan_calendar, schedule_calendar, schedule_rows
from plans.selectors.plans import work_plan_document
from plans.services import plan_county_index_refresh, plan_snapshot
from supervision.history import acting_as
from tests.factories import (
    CountyFactory,
    OfficeFactory,
    RegionFactory,
    ScheduleEntryFactory,
    SectionFactory,
    TaskFactory,
    UserFactory,
    WorkPlanFactory,
    county_user_create,
    staff_user_create,
    work_plan_build,
)
from tests.test_pages import assert_queries_independent_of_size

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


def content(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def plan_bulk_build(*, tasks: int, office=None, counties=(), status=WorkPlan.Status.PUBLISHED, **fields) -> WorkPlan:
    """A plan of `tasks` tasks with a calendar line each, written in bulk (for the large sizes
    the memory and speed tests need)."""
    plan = WorkPlanFactory(office=office or OfficeFactory(), status=status, **fields)
    section = Section.objects.create(plan=plan, position=1, level=1, label="一、", heading="主要工作")
    Task.objects.bulk_create(
        [
            Task(
                plan=plan,
                section=section,
                number=n,
                label=f"{n}.",
                title=f"推进第{n}项督导工作",
                text=f"推进第{n}项督导工作。认真组织实施，确保按时完成。" * 3,
                lead_unit="督导科",
            )
            for n in range(1, tasks + 1)
        ],
        batch_size=500,
    )
    task_ids = dict(Task.objects.filter(plan=plan).values_list("number", "pk"))
    ScheduleEntry.objects.bulk_create(
        [
            ScheduleEntry(
                plan=plan,
                task_id=task_ids[n],
                position=n,
                period=f"{(n - 1) % 12 + 1}月",
                start_month=(n - 1) % 12 + 1,
                end_month=(n - 1) % 12 + 1,
                months=months_to_mask([(n - 1) % 12 + 1]),
                granularity="month",
                deadline_day=20 if n % 3 == 0 else None,
                text=f"开展第{n}项专项督导检查",
                lead_unit="督导科",
            )
            for n in range(1, tasks + 1)
        ],
        batch_size=500,
    )
    entry_ids = list(ScheduleEntry.objects.filter(plan=plan).values_list("pk", flat=True))
    TaskTarget.objects.bulk_create(
        [TaskTarget(task_id=task_id, county=county) for task_id in task_ids.values() for county in counties],
        batch_size=500,
    )
    EntryTarget.objects.bulk_create(
        [EntryTarget(entry_id=entry_id, county=county) for entry_id in entry_ids for county in counties],
        batch_size=500,
    )
    plan_county_index_refresh(plan=plan)
    return plan


@pytest.fixture
def office():
    return OfficeFactory(name="镇江市人民政府教育督导室")


@pytest.fixture
def editor(office):
    return staff_user_create(office=office)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def zhenjiang(office):
    """A published plan laid out like the 镇江 notice, with standing work and deadlines."""
    jingkou = CountyFactory(name="京口区", city=office.region)
    plan = WorkPlanFactory(
        office=office,
        title="2020年镇江市教育督导工作要点",
        notice_title="镇江市人民政府教育督导室关于印发2020年镇江市教育督导工作要点的通知",
        doc_number="镇教督〔2020〕2号",
        recipients=["各市、区教育局", "市属各学校（单位）"],
        cc=["省教育督导委员会办公室", "市委宣传部"],
        imprint="镇江市教育局办公室 2020年3月3日印发",
    )
    main = SectionFactory(plan=plan, position=1, label="一、", heading="主要工作")
    sub = SectionFactory(plan=plan, position=2, level=2, label="（一）", heading="督政工作", parent=main)
    reform = TaskFactory(
        plan=plan,
        section=sub,
        number=1,
        label="1.",
        title="深化教育督导体制机制改革",
        text="深化教育督导体制机制改革。对接国家、省教育督导改革工作部署。",
        lead_unit="督导科",
        counties=[jingkou],
    )
    TaskFactory(
        plan=plan, section=sub, number=2, label="2.", title="=做好迎检工作", text="=做好迎检工作。建立沟通联络机制。"
    )
    ScheduleEntryFactory(
        plan=plan,
        task=reform,
        position=1,
        period="5月、9月",
        month_set=(5, 9),
        text="召开督导工作推进会",
        counties=[jingkou],
    )
    ScheduleEntryFactory(
        plan=plan,
        task=None,
        position=2,
        period="全年",
        month_set=tuple(range(1, 13)),
        granularity=ScheduleEntry.Granularity.YEAR,
        text="开展经常性督导",
    )
    ScheduleEntryFactory(
        plan=plan,
        task=None,
        position=3,
        period="3月中旬",
        month_set=(3,),
        granularity=ScheduleEntry.Granularity.TEN_DAY,
        deadline_day=20,
        text="报送年度督导计划",
    )
    ScheduleEntryFactory(
        plan=plan, task=None, position=4, period="8-9月", month_set=(8, 9), text="+开展责任督学挂牌督导"
    )
    return {"plan": plan, "jingkou": jingkou, "reform": reform}


def workbook_of(plan) -> bytes:
    stream = io.BytesIO()
    plan_workbook_write(plan=plan, stream=stream)
    return stream.getvalue()


def draft_of(plan_fixture, office) -> WorkPlan:
    plan = plan_fixture["plan"]
    plan.status, plan.published_at, plan.revision = WorkPlan.Status.DRAFT, None, 0
    plan.save()
    return plan


# --- Print ---------------------------------------------------------------------------------------


def test_the_print_page_lays_out_the_official_notice(editor_client, zhenjiang):
    html = content(editor_client.get(reverse("plans:plan_print", args=[zhenjiang["plan"].pk])))

    assert 'href="/static/css/print.css"' in html
    assert '<p class="red-head__office">镇江市人民政府教育督导室</p>' in html
    assert '<p class="red-head__number">镇教督〔2020〕2号</p>' in html
    assert "关于印发2020年镇江市教育督导工作要点的通知" in html
    assert "各市、区教育局，市属各学校（单位）：" in html
    assert '<h2 class="heading-1">一、主要工作</h2>' in html
    assert '<h3 class="heading-2">（一）督政工作</h3>' in html
    assert re.search(r'<div class="task" id="task-1">.*深化教育督导体制机制改革', html, re.S)
    # The annex: each line once, standing work first, then by the month it starts in.
    annex = html[html.index('class="annex-table"') :]
    order = [
        annex.index(text)
        for text in ("开展经常性督导", "报送年度督导计划", "召开督导工作推进会", "+开展责任督学挂牌督导")
    ]
    assert order == sorted(order)
    assert annex.count("召开督导工作推进会") == 1
    assert "抄送：省教育督导委员会办公室，市委宣传部。" in html
    assert "<span>镇江市教育局办公室</span><span>2020年3月3日印发</span>" in html
    assert "site-nav" not in html  # nothing of the site's navigation on paper


def test_print_page_queries_do_not_depend_on_plan_size(editor_client, office):
    def make_url(size):
        plan = work_plan_build(tasks=size, office=office, counties=CountyFactory.create_batch(2))
        return reverse("plans:plan_print", args=[plan.pk])

    # session, user, membership; plan; sections, tasks, task counties, calendar lines, their
    # counties, projects.
    assert_queries_independent_of_size(editor_client, make_url, expected=10, sizes=(10, 100))


def test_print_css_sets_a4_margins_lets_tasks_run_on_and_keeps_rows_whole(client):
    from django.contrib.staticfiles import finders

    css = open(finders.find("css/print.css"), encoding="utf-8").read()
    assert "size: A4" in css
    assert "margin: 37mm 26mm 35mm 28mm" in css
    # A task runs on across pages (kept whole, long ones left pages half empty); headings
    # stay with what follows them.
    assert not re.search(r"\.task \{[^}]*break-inside: avoid", css)
    assert re.search(r"\.heading-1 \{[^}]*break-after: avoid", css)
    assert re.search(r"\.heading-2 \{[^}]*break-after: avoid", css)
    assert re.search(r"\.annex-table tr \{[^}]*break-inside: avoid", css)
    assert re.search(r"@media print \{[^@]*\.print-toolbar, \.skip-link \{ display: none; \}", css)
    assert "FangSong" in css and "Noto Serif CJK SC" in css


def test_a_long_office_name_is_fitted_to_one_line_of_the_red_head(editor_client, zhenjiang):
    office = zhenjiang["plan"].office
    office.name = "郑州市人民政府教育督导委员会办公室"
    office.save(update_fields=["name"])

    html = content(editor_client.get(reverse("plans:plan_print", args=[zhenjiang["plan"].pk])))

    # 17 characters: print.css sets the size from the count (the browser test measures it).
    assert '<p class="red-head__office red-head__office--c17">郑州市人民政府教育督导委员会办公室</p>' in html


@pytest.mark.parametrize(("signed", "warned"), [(datetime.date(2020, 3, 5), True), (datetime.date(2020, 3, 3), False)])
def test_the_print_page_warns_when_the_imprint_is_dated_before_the_signature(editor_client, zhenjiang, signed, warned):
    plan = zhenjiang["plan"]  # 镇江市教育局办公室 2020年3月3日印发
    plan.issue_date = signed
    plan.save(update_fields=["issue_date"])

    html = content(editor_client.get(reverse("plans:plan_print", args=[plan.pk])))

    warning = "请核对日期：印发日期 2020年3月3日 早于成文日期 2020年3月5日。"
    assert (warning in html) is warned
    if warned:  # in the toolbar, which print.css leaves off the paper
        toolbar = html[html.index('<nav class="print-toolbar"') : html.index("</nav>")]
        assert warning in toolbar


# --- Reading a long plan ----------------------------------------------------------------------


def test_the_plan_page_links_the_outputs_and_has_contents_and_a_month_jump(editor_client, zhenjiang):
    plan = zhenjiang["plan"]
    html = content(editor_client.get(plan.get_absolute_url()))

    for name in ("plan_print", "plan_calendar", "plan_excel_export"):
        assert reverse(f"plans:{name}", args=[plan.pk]) in html
    assert f"{reverse('plans:feed_settings')}?plan={plan.pk}" in html
    # Published: nothing to import a sheet into.
    assert reverse("plans:plan_excel_import", args=[plan.pk]) not in html
    toc = html[html.index('class="plan-toc"') : html.index("</details>")]
    assert 'href="#section-2"' in toc and "（一）督政工作" in toc
    assert 'href="#task-1"' in toc and "深化教育督导体制机制改革" in toc
    jump = html[html.index('class="month-jump"') :]
    assert 'href="#calendar-standing"' in jump and 'href="#calendar-month-9"' in jump
    # A 2020 plan: no month is "now".
    assert 'aria-current="date"' not in html
    assert "这是 2020 年的计划，不标示当前月份。" in jump


def test_the_current_month_is_highlighted_in_a_plan_of_this_year(editor_client, office):
    plan = work_plan_build(tasks=12, office=office, plan_year=THIS_YEAR)
    month = timezone.localdate().month
    html = content(editor_client.get(plan.get_absolute_url()))

    row = re.search(rf'<tr id="calendar-month-{month}"[^>]*>', html).group(0)
    assert "is-current" in row and 'aria-current="date"' in row
    assert re.search(rf'<a href="#calendar-month-{month}" class="is-current" aria-current="date"', html)
    assert html.count('aria-current="date"') == 2  # the row and its jump link, nothing else


def test_an_editor_of_a_draft_gets_the_excel_import_link(editor_client, office):
    plan = work_plan_build(tasks=2, office=office, status=WorkPlan.Status.DRAFT)
    assert reverse("plans:plan_excel_import", args=[plan.pk]) in content(editor_client.get(plan.get_absolute_url()))


# --- Calendars --------------------------------------------------------------------------------


def test_the_plan_calendar_lists_standing_work_once_and_marks_deadlines(editor_client, zhenjiang):
    html = content(editor_client.get(reverse("plans:plan_calendar", args=[zhenjiang["plan"].pk])))

    standing = html[html.index('id="standing"') : html.index("</section>", html.index('id="standing"'))]
    assert "开展经常性督导" in standing
    assert html.count("开展经常性督导") == 1
    march = re.search(r'<tr id="period-3"[^>]*>(.*?)</tr>', html, re.S).group(1)
    assert "报送年度督导计划" in march and "截止 3月20日" in march
    september = re.search(r'<tr id="period-9"[^>]*>(.*?)</tr>', html, re.S).group(1)
    items = re.findall(r'<li class="schedule-item.*?</li>', september, re.S)
    meeting = next(item for item in items if "召开督导工作推进会" in item)
    visit = next(item for item in items if "挂牌督导" in item)
    assert "召开督导工作推进会" in meeting and "（续）" not in meeting  # 5月、9月: two dates
    assert "+开展责任督学挂牌督导" in visit and "（续）" in visit  # 8-9月 goes on
    august = re.search(r'<tr id="period-8"[^>]*>(.*?)</tr>', html, re.S).group(1)
    assert "+开展责任督学挂牌督导" in august and "（续）" not in august


def test_a_calendar_line_over_months_continues_and_is_due_in_its_last_month():
    plan = WorkPlanFactory(plan_year=2024)
    ScheduleEntryFactory(
        plan=plan,
        position=1,
        period="8月下旬-9月上旬",
        month_set=(8, 9),
        granularity="ten_day",
        deadline_day=10,
        text="秋季开学检查",
    )
    calendar = plan_calendar(plan=plan, today=datetime.date(2024, 9, 5))

    august, september = calendar.rows[7], calendar.rows[8]
    assert [(i.due, i.continued) for i in august.items] == [(None, False)]
    assert [(i.due, i.continued) for i in september.items] == [(datetime.date(2024, 9, 10), True)]
    assert september.is_current and not august.is_current
    assert plan_calendar(plan=plan, today=datetime.date(2025, 9, 5)).today is None


def test_a_quarterly_plan_has_a_calendar_by_quarter():
    plan = WorkPlanFactory()
    for position, (period, months) in enumerate([("一季度", (1, 2, 3)), ("三季度", (7, 8, 9))], start=1):
        ScheduleEntryFactory(
            plan=plan,
            position=position,
            period=period,
            month_set=months,
            granularity=ScheduleEntry.Granularity.QUARTER,
            text=period,
        )
    calendar = plan_calendar(plan=plan)
    assert calendar.by_quarter
    assert [[i.entry.text for i in row.items] for row in calendar.rows] == [["一季度"], [], ["三季度"], []]


def test_the_office_calendar_shows_what_each_reader_may_read(client, office, zhenjiang):
    draft = work_plan_build(
        tasks=1, office=office, status=WorkPlan.Status.DRAFT, title="草稿计划", plan_year=2020, doc_number=""
    )
    Task.objects.filter(plan=draft).update(title="草稿任务")
    ScheduleEntry.objects.filter(plan=draft).update(text="草稿里的月历事项")
    url = reverse("plans:office_calendar", args=[office.pk, 2020])

    client.force_login(staff_user_create(office=office))
    html = content(client.get(url))
    assert "草稿里的月历事项" in html and "召开督导工作推进会" in html

    client.force_login(staff_user_create())  # another office
    html = content(client.get(url))
    assert "召开督导工作推进会" in html and "草稿" not in html

    client.force_login(county_user_create(county=zhenjiang["jingkou"]))
    assert "召开督导工作推进会" in content(client.get(url))
    client.force_login(county_user_create(county=CountyFactory()))
    html = content(client.get(url))
    assert "召开督导工作推进会" not in html and "草稿" not in html


def test_the_office_calendars_year_switch_names_each_year_once(editor_client, office):
    for year in (2017, 2026, 2027):
        work_plan_build(tasks=1, office=office, plan_year=year, title=f"{year}年工作要点")

    html = content(editor_client.get(reverse("plans:office_calendar", args=[office.pk, 2026])))

    meta = re.search(r'<p class="page-head__meta">(.*?)</p>', html, re.S).group(1)
    named = re.findall(r">\s*(?:← )?(\d{4})(?: 年)?(?: →)?\s*<", meta)
    assert named == ["2017", "2025", "2026", "2027"]
    assert f'href="{reverse("plans:office_calendar", args=[office.pk, 2027])}" rel="next">2027 年 →<' in meta
    assert f'href="{reverse("plans:office_calendar", args=[office.pk, 2025])}" rel="prev">← 2025 年<' in meta
    assert '<strong aria-current="page">2026</strong>' in meta


@pytest.mark.parametrize("year", [0, 1900, 2101, 99999])
def test_an_office_calendar_out_of_range_is_not_found(editor_client, office, year):
    assert editor_client.get(f"/offices/{office.pk}/calendar/{year}/").status_code == 404


def test_the_calendar_home_goes_to_this_years_calendar_of_the_users_office(editor_client, office):
    response = editor_client.get(reverse("plans:calendar_home"))
    assert response.url == reverse("plans:office_calendar", args=[office.pk, THIS_YEAR])


def test_plan_calendar_queries_do_not_depend_on_plan_size(editor_client, office):
    def make_url(size):
        plan = work_plan_build(tasks=size, office=office, counties=CountyFactory.create_batch(2))
        return reverse("plans:plan_calendar", args=[plan.pk])

    # session, user, membership; plan; calendar lines with tasks, their counties.
    assert_queries_independent_of_size(editor_client, make_url, expected=6, sizes=(10, 100))


def test_office_calendar_queries_do_not_depend_on_plan_size(editor_client, editor):
    def make_url(size):
        office = OfficeFactory()
        Membership.objects.create(user=editor, office=office, role=Membership.Role.EDITOR)
        work_plan_build(tasks=size, office=office, counties=CountyFactory.create_batch(2))
        work_plan_build(tasks=size, office=office, status=WorkPlan.Status.DRAFT, doc_number="")
        return reverse("plans:office_calendar", args=[office.pk, 2020])

    # session, user, membership; office; years; plans; calendar lines, their counties.
    assert_queries_independent_of_size(editor_client, make_url, expected=8, sizes=(10, 100))


# --- Excel: export ------------------------------------------------------------------------------


def test_the_workbook_has_the_official_sheets(zhenjiang):
    workbook = openpyxl.load_workbook(io.BytesIO(workbook_of(zhenjiang["plan"])))
    tasks, schedule = workbook.worksheets

    assert tasks.title == "工作任务" and schedule.title == "分月安排"
    assert [c.value for c in tasks[2]] == list(TASK_HEADERS)
    assert [c.value for c in schedule[2]] == list(SCHEDULE_HEADERS)
    assert tasks["A1"].value == "2020年镇江市教育督导工作要点（工作任务）"
    assert "A1:E1" in {str(r) for r in tasks.merged_cells.ranges}
    assert tasks.freeze_panes == "A3" and schedule.freeze_panes == "A3"
    assert tasks.print_title_rows == "$1:$2"
    assert tasks.column_dimensions["B"].width == 60
    assert tasks["B3"].alignment.wrap_text
    assert tasks.page_setup.orientation == "landscape"
    assert [c.value for c in tasks[3]] == [1, "深化教育督导体制机制改革", "督导科", "京口区", "5月、9月"]
    # Text that looks like a formula stays text.
    assert tasks["B4"].value == "=做好迎检工作" and tasks["B4"].data_type == "s"
    assert tasks["B4"].quotePrefix
    rows = [[c.value for c in row] for row in schedule.iter_rows(min_row=3)]
    assert [row[1:4] for row in rows] == [
        ["全年常规工作", "全年", "开展经常性督导"],
        ["三月", "3月中旬", "报送年度督导计划"],
        ["五月", "5月、9月", "召开督导工作推进会"],
        ["八月", "8-9月", "+开展责任督学挂牌督导"],
    ]
    assert rows[1][7] == "3月20日"
    assert rows[2][4] == 1 and rows[2][6] == "京口区"
    assert schedule.column_dimensions["I"].hidden
    assert schedule["I1"].value == f"plan:{zhenjiang['plan'].pk}:1"
    assert all(uuid.UUID(row[8]) for row in rows)


def test_the_sheet_lists_the_lines_as_the_printed_annex_does(zhenjiang):
    """One calendar for every view: the 分月安排 sheet streams its rows, yet in the order and
    under the month names of the calendar's listing, which the printed annex shows."""
    plan = zhenjiang["plan"]
    schedule = openpyxl.load_workbook(io.BytesIO(workbook_of(plan))).worksheets[1]
    sheet = [(row[1], row[3]) for row in schedule.iter_rows(min_row=3, values_only=True)]

    annex = schedule_rows(work_plan_document(plan=plan).calendar)

    assert [text for _label, text in sheet] == [entry.text for _label, entry in annex]
    assert list(dict.fromkeys(label for label, _text in sheet)) == [label for label, _entry in annex if label]


def test_excel_export_queries_do_not_depend_on_plan_size(editor_client, office):
    def make_url(size):
        plan = work_plan_build(tasks=size, office=office, counties=CountyFactory.create_batch(2))
        return reverse("plans:plan_excel_export", args=[plan.pk])

    # session, user, membership; plan; tasks, task counties, task periods; months or
    # quarters; calendar lines and their counties, twice (standing work first).
    assert_queries_independent_of_size(editor_client, make_url, expected=12, sizes=(10, 100))


def _peak_export_bytes(plan) -> int:
    with tempfile.TemporaryFile() as stream:
        tracemalloc.start()
        try:
            plan_workbook_write(plan=plan, stream=stream)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()


def test_excel_export_memory_stays_flat_with_ten_times_the_tasks():
    counties = CountyFactory.create_batch(3)
    small = plan_bulk_build(tasks=150, counties=counties)
    large = plan_bulk_build(tasks=1_500, counties=counties)
    _peak_export_bytes(small)  # imports and caches warmed

    small_peak, large_peak = _peak_export_bytes(small), _peak_export_bytes(large)
    print(f"\nExcel export peak memory: 150 tasks {small_peak / 1024:.0f} KiB, 1,500 tasks {large_peak / 1024:.0f} KiB")
    # Rows stream from chunked cursors (200 rows) into constant_memory sheets, a row on disk as
    # the next begins: ten times the tasks may cost a chunk's worth more, never ten times the memory.
    assert large_peak < small_peak * 1.5 + 256 * 1024


def test_export_time_of_the_seed_plans(seeded_plans):
    """Every seed plan exports well within a second (the largest: 003 has 28 tasks, 001 has
    43 calendar lines); the best of three runs is printed for the report."""
    for prefix, plan in sorted(seeded_plans.items()):
        timings = []
        for _ in range(3):
            start = time.perf_counter()
            data = workbook_of(plan)
            timings.append(time.perf_counter() - start)
        print(
            f"\nExcel export of seed {prefix} ({plan.tasks.count()} tasks, "
            f"{plan.schedule_entries.count()} calendar lines, {len(data):,} bytes): "
            f"best {min(timings) * 1000:.0f} ms of 3"
        )
        assert min(timings) < 1.0


# --- Excel: import ------------------------------------------------------------------------------


def edited(data: bytes, edit) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    edit(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def row_of(sheet, text: str) -> int:
    for row in sheet.iter_rows(min_row=3):
        if any(cell.value == text for cell in row):
            return row[0].row
    raise AssertionError(text)


@pytest.fixture
def draft(zhenjiang, office):
    return draft_of(zhenjiang, office)


def test_an_unchanged_sheet_changes_nothing(draft):
    result = schedule_workbook_read(data=workbook_of(draft), plan=draft)
    assert result.errors == [] and result.diff.is_empty
    assert result.task_rows == 2 and result.entry_rows == 4


def test_an_edited_sheet_changes_periods_titles_and_lines_keeping_ids(draft, editor):
    before = {e.key: e.pk for e in ScheduleEntry.objects.filter(plan=draft)}
    task_ids = dict(Task.objects.filter(plan=draft).values_list("number", "pk"))

    def edit(workbook):
        tasks, schedule = workbook.worksheets
        tasks.cell(row_of(tasks, "深化教育督导体制机制改革"), 2).value = "深化督导体制改革"
        row = row_of(schedule, "报送年度督导计划")
        schedule.cell(row, 3).value = "4月底前"
        schedule.cell(row, 5).value = 1
        schedule.delete_rows(row_of(schedule, "开展经常性督导"))
        schedule.append([None, None, "10月", "开展新的专项督导", 2, "督导科", "京口区"])

    result = plan_schedule_import(
        plan=draft, data=edited(workbook_of(draft), edit), expected_version=draft.version, acting_user=editor
    )

    assert result.errors == []
    draft.refresh_from_db()
    assert draft.version == 2
    reform = Task.objects.get(plan=draft, number=1)
    assert reform.title == "深化督导体制改革"
    assert reform.text.startswith("深化督导体制改革。对接国家")
    assert dict(Task.objects.filter(plan=draft).values_list("number", "pk")) == task_ids
    entries = {e.text: e for e in ScheduleEntry.objects.filter(plan=draft).select_related("task")}
    assert "开展经常性督导" not in entries
    report = entries["报送年度督导计划"]
    assert (report.period, report.month_list, report.deadline_day, report.granularity) == ("4月底前", [4], 31, "month")
    assert report.task.number == 1 and before[report.key] == report.pk
    assert entries["召开督导工作推进会"].pk == before[entries["召开督导工作推进会"].key]
    new = entries["开展新的专项督导"]
    assert new.month_list == [10] and new.task.number == 2
    assert [c.name for c in new.counties.all()] == ["京口区"]
    assert sorted(e.position for e in entries.values()) == [1, 2, 3, 4]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite keeps no planner statistics; nothing is analyzed there"
)
def test_a_large_sheet_leaves_the_content_tables_analyzed_and_a_small_one_does_not(
    draft, editor, monkeypatch, django_capture_on_commit_callbacks
):
    from plans.outputs import excel_import
    from plans.services.content import CONTENT_MODELS
    from tests.demo.test_table_statistics import analyzed_since, clock

    def retitle(title):
        def edit(workbook):
            tasks = workbook.worksheets[0]
            tasks.cell(3, 2).value = title

        return edit

    before = clock()
    with django_capture_on_commit_callbacks(execute=True):
        plan_schedule_import(
            plan=draft,
            data=edited(workbook_of(draft), retitle("一")),
            expected_version=draft.version,
            acting_user=editor,
        )
    assert not any(analyzed_since(before, CONTENT_MODELS).values())

    # Six rows stand for the thousand of a large sheet.
    monkeypatch.setattr(excel_import, "ANALYZE_AFTER_ROWS", 6)
    draft.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        plan_schedule_import(
            plan=draft,
            data=edited(workbook_of(draft), retitle("二")),
            expected_version=draft.version,
            acting_user=editor,
        )
    analyzed = analyzed_since(before, CONTENT_MODELS)
    assert all(analyzed.values()), analyzed


def test_rows_with_errors_are_listed_in_chinese_with_their_numbers_and_nothing_is_written(draft, editor):
    def edit(workbook):
        schedule = workbook.worksheets[1]
        schedule.cell(row_of(schedule, "报送年度督导计划"), 3).value = "下个季度"
        schedule.append([None, None, "3月", "", None])
        schedule.append([None, None, "3月", "开展督导", 99])
        schedule.append([None, None, "3月", "开展督导", None, None, "火星区"])
        schedule.append([None, None, "3月", "开展督导", None, None, None, None, "not-a-key"])

    data = edited(workbook_of(draft), edit)
    before = plan_snapshot(draft)

    result = schedule_workbook_read(data=data, plan=draft)

    messages = [e.message for e in result.errors]
    assert messages[0].startswith("第4行：时间“下个季度”无法识别")
    assert "第7行：工作内容为空。" in messages
    assert "第8行：本计划没有第99项任务。" in messages
    assert "第9行：“火星区”不是本办公室所辖地区的县（市、区）。" in messages
    assert messages[-1].startswith("第10行：识别码不属于本计划的月历事项")
    with pytest.raises(ValidationError) as refused:
        plan_schedule_import(plan=draft, data=data, expected_version=draft.version, acting_user=editor)
    assert "表格有错误，未导入任何内容" in refused.value.messages[0]
    assert plan_snapshot(draft) == before


def test_the_sheet_reads_county_names_as_the_edit_page_does(draft, office):
    CountyFactory(name="管城回族区", city=office.region)
    CountyFactory(name="鼓楼区", city=office.region)
    CountyFactory(name="鼓楼区", city=RegionFactory(name="外市", parent=office.region))

    def edit(workbook):
        schedule = workbook.worksheets[1]
        schedule.append([None, None, "3月", "开展督导", None, None, "管城区、京口"])
        schedule.append([None, None, "4月", "开展督导", None, None, "鼓楼区"])

    result = schedule_workbook_read(data=edited(workbook_of(draft), edit), plan=draft)

    messages = [e.message for e in result.errors]
    assert messages == ["第8行：“鼓楼区”可能指不止一个县（市、区），请加上所属城市，如 鼓楼区（福州市）。"]


def test_a_county_named_like_another_of_its_province_goes_out_with_its_city_and_comes_back():
    province = RegionFactory(name="江东省", level="province")
    first, second = RegionFactory(name="甲市", parent=province), RegionFactory(name="乙市", parent=province)
    gulou, other_gulou = CountyFactory(name="鼓楼区", city=first), CountyFactory(name="鼓楼区", city=second)
    unique = CountyFactory(name="玄武区", city=first)
    office = OfficeFactory(level="province", region=province)
    plan = work_plan_build(tasks=2, office=office, counties=[gulou, unique], status=WorkPlan.Status.DRAFT)
    data = workbook_of(plan)
    tasks, schedule = openpyxl.load_workbook(io.BytesIO(data)).worksheets

    assert tasks["D3"].value == "鼓楼区（甲市）、玄武区"
    assert schedule["G3"].value == "鼓楼区（甲市）、玄武区"
    unchanged = schedule_workbook_read(data=data, plan=plan)
    assert unchanged.errors == [] and unchanged.diff.is_empty

    def edit(workbook):
        workbook.worksheets[1]["G4"].value = "鼓楼区（乙市）"

    result = schedule_workbook_read(data=edited(data, edit), plan=plan)
    assert result.errors == []
    changed = [entry for entry in result.content["entries"] if entry["position"] == 2]
    assert [county_id for county_id, _name in changed[0]["counties"]] == [other_gulou.pk]


def test_an_import_based_on_an_older_version_is_refused(draft, editor):
    data = workbook_of(draft)
    with pytest.raises(ValidationError) as refused:
        plan_schedule_import(plan=draft, data=data, expected_version=draft.version - 1 or 99, acting_user=editor)
    # The factory's writes are nobody's: the message says when, and blames no one.
    assert "未保存：您打开此计划后，它已于" in refused.value.messages[0]


def test_a_sheet_exported_before_the_plan_changed_is_refused(draft, office):
    data = workbook_of(draft)
    draft.version += 1  # someone saved the plan since the export
    draft.save(update_fields=["version"])
    with pytest.raises(ValidationError) as refused:
        schedule_workbook_read(data=data, plan=draft)
    assert "导出自本计划的第 1 版" in refused.value.messages[0]

    other = work_plan_build(tasks=1, office=office, status=WorkPlan.Status.DRAFT, doc_number="")
    with pytest.raises(ValidationError, match="另一份计划"):
        schedule_workbook_read(data=workbook_of(other), plan=draft)


def test_a_published_plan_takes_no_sheet(zhenjiang, editor):
    plan = zhenjiang["plan"]
    with pytest.raises(ValidationError, match="只有草稿"):
        plan_schedule_import(plan=plan, data=workbook_of(plan), expected_version=plan.version, acting_user=editor)


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_zip_bomb_workbook_is_refused_in_bounded_memory(draft, editor):
    # 2 GB of zeros declared in one member: refused from the zip directory, never inflated.
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(2048):
                member.write(chunk)
    data = bomb.getvalue()
    assert len(data) < LIMITS.file_bytes
    before = plan_snapshot(draft)

    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as refused:
            schedule_workbook_read(data=data, plan=draft)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "解压后超过" in refused.value.messages[0]
    assert peak < 8 * 1024 * 1024
    assert plan_snapshot(draft) == before


def test_a_workbook_whose_zip_directory_understates_a_member_is_refused(draft):
    # The sheet holds 8 MB of zeros (within every limit as declared) but the directory says a
    # kilobyte: a reader trusting it would stop there, Excel would unpack it all.
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (8 * 1024 * 1024))
    data = bytearray(bomb.getvalue())
    at = data.find(b"PK\x01\x02")
    while data[at + 46 : at + 46 + struct.unpack_from("<H", data, at + 28)[0]] != b"xl/worksheets/sheet1.xml":
        at = data.find(b"PK\x01\x02", at + 4)
    # The directory's checksum and uncompressed size: those of the first kilobyte.
    struct.pack_into("<II", data, at + 16, zlib.crc32(b"\0" * 1024), struct.unpack_from("<I", data, at + 20)[0])
    struct.pack_into("<I", data, at + 24, 1024)
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        assert len(archive.read("xl/worksheets/sheet1.xml")) == 1024  # what zipfile would believe

    with pytest.raises(ValidationError) as refused:
        workbook_check(bytes(data))
    assert "不是 Excel 工作簿" in refused.value.messages[0]


def test_a_workbook_declaring_entities_is_refused(draft):
    data = workbook_of(draft)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    members["xl/worksheets/sheet2.xml"] = (
        b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
        + members["xl/worksheets/sheet2.xml"]
    )
    with pytest.raises(ValidationError) as refused:
        schedule_workbook_read(data=zip_of(members), plan=draft)
    assert "DTD" in refused.value.messages[0] and "拒绝" in refused.value.messages[0]


def test_a_formula_in_the_sheet_is_a_row_error(draft):
    def edit(workbook):
        schedule = workbook.worksheets[1]
        schedule.cell(row_of(schedule, "报送年度督导计划"), 4).value = '=HYPERLINK("http://example.com","点我")'

    result = schedule_workbook_read(data=edited(workbook_of(draft), edit), plan=draft)
    assert [e.message for e in result.errors] == ["第4行：单元格D4是公式；请直接填写文字（粘贴时选择“只粘贴数值”）。"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a zip at all", "不是 Excel 工作簿"),
        (zip_of({"word/document.xml": b"<w/>"}), "不是 Excel 工作簿"),
    ],
)
def test_files_that_are_not_workbooks_are_refused(draft, data, message):
    with pytest.raises(ValidationError) as refused:
        schedule_workbook_read(data=data, plan=draft)
    assert message in refused.value.messages[0]


def test_a_sheet_with_too_many_rows_is_refused(draft):
    def edit(workbook):
        schedule = workbook.worksheets[1]
        for n in range(30):
            schedule.append([None, None, "3月", f"开展督导{n}"])

    with pytest.raises(ValidationError) as refused:
        schedule_workbook_read(data=edited(workbook_of(draft), edit), plan=draft, limits=WorkbookLimits(rows=20))
    assert "超过 20 行" in refused.value.messages[0]


def test_a_workbook_without_a_schedule_sheet_is_refused(draft):
    workbook = openpyxl.Workbook()
    workbook.active.append(["姓名", "电话"])
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(ValidationError) as refused:
        schedule_workbook_read(data=out.getvalue(), plan=draft)
    assert "分月安排" in refused.value.messages[0]


def test_the_import_pages_preview_then_confirm(editor_client, draft):
    url = reverse("plans:plan_excel_import", args=[draft.pk])
    assert editor_client.get(url).status_code == 200

    def edit(workbook):
        schedule = workbook.worksheets[1]
        schedule.cell(row_of(schedule, "报送年度督导计划"), 3).value = "4月"

    upload = io.BytesIO(edited(workbook_of(draft), edit))
    upload.name = "计划.xlsx"
    response = editor_client.post(url, {"workbook": upload, "version": draft.version})
    html = content(response)
    assert response.status_code == 200
    assert "3月中旬" in html and "4月" in html
    assert ScheduleEntry.objects.get(plan=draft, text="报送年度督导计划").period == "3月中旬"
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)

    # An altered token is refused; the real one imports.
    tampered = editor_client.post(
        reverse("plans:plan_excel_import_confirm", args=[draft.pk]), {"token": token[:-2] + "xx"}
    )
    assert (
        tampered.status_code == 302
        and ScheduleEntry.objects.get(plan=draft, text="报送年度督导计划").period == "3月中旬"
    )
    response = editor_client.post(reverse("plans:plan_excel_import_confirm", args=[draft.pk]), {"token": token})
    assert response.url == draft.get_absolute_url()
    assert ScheduleEntry.objects.get(plan=draft, text="报送年度督导计划").period == "4月"
    # The same token again: its file is gone with the import.
    again = editor_client.post(
        reverse("plans:plan_excel_import_confirm", args=[draft.pk]), {"token": token}, follow=True
    )
    assert "预览已失效" in content(again)


@pytest.mark.parametrize(
    "year, period, due",
    [
        (2027, "2月底前", "2月28日"),
        (2028, "2月底前", "2月29日"),
        (2027, "4月底", "4月30日"),
        (2027, "11月底前", "11月30日"),
    ],
)
def test_the_import_preview_gives_a_month_ends_deadline_as_its_day_in_the_plans_year(
    editor_client, draft, year, period, due
):
    draft.plan_year = year
    draft.save(update_fields=["plan_year"])

    def edit(workbook):
        schedule = workbook.worksheets[1]
        schedule.cell(row_of(schedule, "报送年度督导计划"), 3).value = period

    upload = io.BytesIO(edited(workbook_of(draft), edit))
    upload.name = "计划.xlsx"

    html = content(
        editor_client.post(
            reverse("plans:plan_excel_import", args=[draft.pk]), {"workbook": upload, "version": draft.version}
        )
    )

    deadline = re.search(
        r'<th scope="row">截止日</th><td class="diff-old">([^<]*)</td><td class="diff-new">([^<]*)</td>', html
    )
    assert deadline.groups() == ("3月20日", due)


def test_the_import_page_says_who_changed_the_plan_since_it_was_opened(editor_client, draft, office):
    opened_at = draft.version  # the upload page was opened
    colleague = staff_user_create(office=office, user=UserFactory(username="li", first_name="李四"))
    draft.version += 1
    with acting_as(colleague):
        draft.save(update_fields=["version"])
    data = workbook_of(draft)  # a sheet of the newer version, sent from the page opened before
    upload = io.BytesIO(data)
    upload.name = "计划.xlsx"

    response = editor_client.post(
        reverse("plans:plan_excel_import", args=[draft.pk]), {"workbook": upload, "version": opened_at}
    )

    html = content(response)
    assert response.status_code == 400
    assert "未保存：您打开此计划后，李四 已于" in html and "请重新导出计划" in html and "其他人" not in html


def test_the_import_page_refuses_a_hostile_file_with_a_message(editor_client, draft):
    upload = io.BytesIO(zip_of({"xl/workbook.xml": b'<!DOCTYPE x [<!ENTITY a "b">]><workbook/>'}))
    upload.name = "bad.xlsx"
    response = editor_client.post(
        reverse("plans:plan_excel_import", args=[draft.pk]), {"workbook": upload, "version": draft.version}
    )
    assert response.status_code == 400
    assert "DTD" in content(response)


def test_a_viewer_may_not_import_a_sheet(client, office, draft):
    client.force_login(staff_user_create(office=office, role=Membership.Role.VIEWER))
    assert client.get(reverse("plans:plan_excel_import", args=[draft.pk])).status_code == 403


# --- iCalendar ------------------------------------------------------------------------------------


def events_of(body: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(body)
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def test_a_plan_feed_has_all_day_events_and_deadlines_with_stable_uids(client, editor, zhenjiang):
    token = feed_token_renew(user=editor).secret
    plan = zhenjiang["plan"]
    url = reverse("plans:plan_feed", args=[token, plan.pk])

    response = client.get(url)  # no session: calendar clients have none
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = events_of(response.content)
    entries = {e.text: e for e in ScheduleEntry.objects.filter(plan=plan)}
    due = events[f"{entries['报送年度督导计划'].key}@supervision-planner"]
    assert due.decoded("dtstart") == datetime.date(2020, 3, 20)
    assert due.decoded("dtend") == datetime.date(2020, 3, 21)
    assert str(due["summary"]).startswith("截止：")
    meeting = entries["召开督导工作推进会"]
    assert events[f"{meeting.key}@supervision-planner"].decoded("dtstart") == datetime.date(2020, 5, 1)
    assert events[f"{meeting.key}@supervision-planner"].decoded("dtend") == datetime.date(2020, 6, 1)
    assert events[f"{meeting.key}-2@supervision-planner"].decoded("dtstart") == datetime.date(2020, 9, 1)
    whole_year = events[f"{entries['开展经常性督导'].key}@supervision-planner"]
    assert (whole_year.decoded("dtstart"), whole_year.decoded("dtend")) == (
        datetime.date(2020, 1, 1),
        datetime.date(2021, 1, 1),
    )
    assert "京口区" in str(events[f"{meeting.key}@supervision-planner"]["description"])
    # The same lines give the same UIDs next time.
    assert set(events_of(client.get(url).content)) == set(events)


def test_a_feed_event_describes_its_line_as_written_whatever_characters_it_holds(client, editor, zhenjiang):
    # Each line of the description is escaped on its own (RFC 5545: backslash, comma,
    # semicolon); a client reads the description back whole, line by line.
    plan = zhenjiang["plan"]
    WorkPlan.objects.filter(pk=plan.pk).update(title="督导计划; 2020, 镇江\\市")
    entry = ScheduleEntry.objects.filter(plan=plan, task__isnull=False).first()
    ScheduleEntry.objects.filter(pk=entry.pk).update(text="报送 a,b;c\\d 材料", lead_unit="督导室; 教研室")
    token = feed_token_renew(user=editor).secret

    events = events_of(client.get(reverse("plans:plan_feed", args=[token, plan.pk])).content)

    lines = str(events[f"{entry.key}@supervision-planner"]["description"]).split("\n")
    assert lines[0] == "督导计划; 2020, 镇江\\市"
    assert f"{entry.period}：报送 a,b;c\\d 材料" in lines
    assert any(line.endswith("督导室; 教研室") for line in lines)
    assert str(events[f"{entry.key}@supervision-planner"]["summary"]).endswith("报送 a,b;c\\d 材料")


def test_a_feed_polled_again_unchanged_is_not_modified(client, editor, zhenjiang):
    # A calendar client sends back the ETag it was given; the feed is sent again once it changes.
    token = feed_token_renew(user=editor).secret
    url = reverse("plans:plan_feed", args=[token, zhenjiang["plan"].pk])
    first = client.get(url)

    again = client.get(url, headers={"if-none-match": first["ETag"]})

    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"] and again["Cache-Control"] == "private, max-age=900"
    ScheduleEntry.objects.filter(plan=zhenjiang["plan"]).update(text="改过的工作")
    changed = client.get(url, headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200 and "改过的工作" in changed.content.decode()
    assert changed["ETag"] != first["ETag"]


def test_a_revoked_or_renewed_token_gives_404(client, editor, zhenjiang):
    old = feed_token_renew(user=editor).secret
    url = reverse("plans:plan_feed", args=[old, zhenjiang["plan"].pk])
    assert client.get(url).status_code == 200
    new = feed_token_renew(user=editor).secret
    assert new != old and client.get(url).status_code == 404
    feed_token_revoke(user=editor)
    assert client.get(reverse("plans:plan_feed", args=[new, zhenjiang["plan"].pk])).status_code == 404
    assert not FeedToken.objects.filter(user=editor).exists()


def test_a_feed_shows_only_what_its_user_may_read(client, office, zhenjiang):
    draft = work_plan_build(tasks=1, office=office, status=WorkPlan.Status.DRAFT, plan_year=THIS_YEAR, doc_number="")
    ScheduleEntry.objects.filter(plan=draft).update(text="草稿里的月历事项")
    work_plan_build(tasks=1, office=office, plan_year=THIS_YEAR, title="本年已发布")
    outsider = staff_user_create()
    token = feed_token_renew(user=outsider).secret

    assert client.get(reverse("plans:plan_feed", args=[token, draft.pk])).status_code == 404
    body = content(client.get(reverse("plans:office_feed", args=[token, office.pk])))
    assert "草稿里的月历事项" not in body and "开展专项督导检查" in body

    insider = feed_token_renew(user=staff_user_create(office=office)).secret
    body = client.get(reverse("plans:office_feed", args=[insider, office.pk])).content.decode()
    assert "草稿里的月历事项" in body and "[草稿]" in body


def test_an_office_feed_is_named_after_its_office_with_plans_or_without(client, editor, office):
    token = feed_token_renew(user=editor).secret
    url = reverse("plans:office_feed", args=[token, office.pk])
    empty = Calendar.from_ical(client.get(url).content)
    assert str(empty["X-WR-CALNAME"]) == office.name and not empty.walk("VEVENT")

    work_plan_build(tasks=2, office=office, plan_year=THIS_YEAR)
    feed = Calendar.from_ical(client.get(url).content)
    assert str(feed["X-WR-CALNAME"]) == office.name and feed.walk("VEVENT")

    missing = reverse("plans:office_feed", args=[token, office.pk + 1000])
    assert client.get(missing).status_code == 404


def test_a_feed_of_an_inactive_user_gives_404(client, editor, zhenjiang):
    token = feed_token_renew(user=editor).secret
    editor.is_active = False
    editor.save()
    assert client.get(reverse("plans:plan_feed", args=[token, zhenjiang["plan"].pk])).status_code == 404


def test_the_feed_settings_page_makes_renews_and_revokes_addresses(editor_client, editor, zhenjiang):
    url = reverse("plans:feed_settings")
    plan = zhenjiang["plan"]
    html = content(editor_client.get(f"{url}?plan={plan.pk}"))
    assert "生成订阅地址" in html

    editor_client.post(url, {"action": "renew", "plan": plan.pk})
    stored = FeedToken.objects.get(user=editor).token_hash
    html = content(editor_client.get(f"{url}?plan={plan.pk}"))
    secret = re.search(rf"/feeds/([\w-]+)/plans/{plan.pk}\.ics", html).group(1)
    assert feed_secret_hash(secret) == stored and secret not in stored
    # Shown once: the next visit tells how to get new addresses, and shows no secret.
    again = content(editor_client.get(f"{url}?plan={plan.pk}"))
    assert secret not in again and ".ics" not in again and "重新生成" in again
    assert client_feed_works(editor_client, secret, plan)

    editor_client.post(url, {"action": "renew"})
    assert FeedToken.objects.get(user=editor).token_hash != stored
    editor_client.post(url, {"action": "revoke"})
    assert not FeedToken.objects.filter(user=editor).exists()


def client_feed_works(client, secret, plan) -> bool:
    return client.get(reverse("plans:plan_feed", args=[secret, plan.pk])).status_code == 200


def test_feed_secrets_are_stored_hashed(editor):
    token = feed_token_renew(user=editor)
    stored = FeedToken.objects.get(pk=token.pk)
    assert stored.token_hash == feed_secret_hash(token.secret) and not hasattr(stored, "secret")
    assert feed_token_get(token=token.secret) == stored
    assert feed_token_get(token=stored.token_hash) is None


def test_the_first_feed_addresses_do_not_say_old_ones_stopped(editor_client, editor):
    url = reverse("plans:feed_settings")

    first = content(editor_client.post(url, {"action": "renew"}, follow=True))
    assert "订阅地址已生成" in first and "旧地址随即失效" not in first

    renewed = content(editor_client.post(url, {"action": "renew"}, follow=True))
    assert "已生成新的订阅地址，旧地址随即失效" in renewed

    editor_client.post(url, {"action": "revoke"})
    again = content(editor_client.post(url, {"action": "renew"}, follow=True))
    assert "订阅地址已生成" in again and "旧地址随即失效" not in again


def test_feed_queries_do_not_depend_on_plan_size(client, editor, office):
    token = feed_token_renew(user=editor).secret

    def make_url(size):
        plan = work_plan_build(tasks=size, office=office, counties=CountyFactory.create_batch(2))
        return reverse("plans:plan_feed", args=[token, plan.pk])

    # token with its user; membership; plan; calendar lines with tasks, their counties.
    assert_queries_independent_of_size(client, make_url, expected=5, sizes=(10, 100))


def test_schedule_calendar_of_no_lines_is_empty():
    assert schedule_calendar(entries=[], year=2020).is_empty


def test_feed_text_is_escaped_and_folded_as_calendar_clients_read_it():
    from icalendar import Event

    from plans.outputs.ical import _folded, _text

    value = "督导,检查;备注\\路径\n第二行 " * 12
    line = _folded(f"DESCRIPTION:{_text(value)}")
    assert all(len(part.encode()) <= 75 for part in line.split("\r\n"))
    event = Event.from_ical(f"BEGIN:VEVENT\r\n{line}\r\nEND:VEVENT\r\n")
    assert str(event["description"]) == value


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(["a", " ", "\\", ";", ",", "\n", "督", "é", "😀"]), max_size=160))
def test_any_feed_text_folds_within_75_octets_and_reads_back_whole(value):
    # Cut on the UTF-8 bytes: never inside a character (4-byte ones included), never between an
    # escape's backslash and its letter.
    from icalendar import Event

    from plans.outputs.ical import _folded, _text

    line = _folded(f"DESCRIPTION:{_text(value)}")
    parts = line.split("\r\n")
    assert all(len(part.encode()) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert str(Event.from_ical(f"BEGIN:VEVENT\r\n{line}\r\nEND:VEVENT\r\n").get("description", "")) == value
