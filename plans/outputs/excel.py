"""A plan as the 分月安排 workbook offices circulate: a sheet of tasks, a sheet of the schedule by
month. Rows come from database cursors in chunks and go through XlsxWriter's constant_memory
mode, which writes each row to disk as the next begins: memory holds a chunk, whatever the size
of the plan. The schedule sheet carries a stamp (which plan, which version) and each row its
line's identifier, which is how the sheet, edited, comes back (plans.outputs.excel_import)."""

import re
from collections.abc import Iterable, Iterator

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext

from organisation.models import County
from plans.models import EntryTarget, ScheduleEntry, Task, TaskTarget, WorkPlan, mask_to_months
from plans.outputs.cells import WORKBOOK_OPTIONS, cell_style, safe_cell, safe_row
from plans.selectors.calendars import STANDING_LABEL, row_label
from schedule import calendars

# The official layout: these headers are the sheet's, in Chinese whatever the reader's language.
TASK_HEADERS = ("序号", "工作任务", "牵头单位", "责任县区", "时间")
SCHEDULE_HEADERS = ("序号", "月份", "时间", "工作内容", "对应任务", "牵头单位", "责任县区", "截止日期", "识别码")
TASK_WIDTHS = (7, 60, 20, 26, 20)
SCHEDULE_WIDTHS = (7, 10, 16, 60, 9, 20, 26, 12, 38)
# The style of each column's body cells.
TASK_STYLES = ("center", "body", "body", "body", "body")
SCHEDULE_STYLES = ("center", "center", "body", "body", "center", "body", "body", "center", "body")
# A task addressed to every county of the region, as the sheet writes it.
ALL_COUNTIES = "各县（市、区）"

STAMP_PREFIX = "plan:"
# Cursor chunks for the export: memory holds this many rows of each query at a time.
EXPORT_CHUNK = 200

_FONT = {"font_name": "宋体", "font_size": 11}
_BORDER = {"border": 1, "border_color": "#808080"}
STYLES = {
    "title": {
        **_FONT,
        "font_size": 14,
        "bold": True,
        "align": "center",
        "valign": "vcenter",
        "text_wrap": True,
    },
    "header": {
        **_FONT,
        **_BORDER,
        "bold": True,
        "pattern": 1,
        "bg_color": "#E7ECF3",
        "align": "center",
        "valign": "vcenter",
        "text_wrap": True,
    },
    "body": {**_FONT, **_BORDER, "valign": "top", "text_wrap": True},
    "center": {**_FONT, **_BORDER, "align": "center", "valign": "top", "text_wrap": True},
}


def workbook_stamp(plan: WorkPlan) -> str:
    """Which plan, at which version, a workbook was exported from."""
    return f"{STAMP_PREFIX}{plan.pk}:{plan.version}"


def counties_cell(names: list[str], *, all_counties: bool = False) -> str:
    """How the sheet writes a task's or a line's counties."""
    return "、".join(([ALL_COUNTIES] if all_counties else []) + list(names))


def county_label(name: str, city: str, shared: bool) -> str:
    """A county as the sheet names it: with its city when another county of its province has
    the same name (城关区 is in six cities of 甘肃), in the form the county resolver
    (plans.selectors.editing) reads back, and asks for when a name is ambiguous."""
    return f"{name}（{city}）" if shared and city else name


def _sheet_title(title: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "", str(title))[:31] or "Sheet"


class _Sheet:
    """A worksheet written a row at a time, the house's way: a title row over the header, frozen
    with it and printed on every page, and a stamp in the last column, hidden, when there is one."""

    def __init__(self, workbook, styles, *, title, headers, widths, body_styles, heading, hidden=(), stamp=None):
        self.ws = ws = workbook.add_worksheet(_sheet_title(title))
        for index, width in enumerate(widths, start=1):
            # In pixels (7 a character of the default font), so that the file records the width
            # as given (60), as openpyxl wrote it; in characters XlsxWriter adds its padding.
            ws.set_column_pixels(index - 1, index - 1, width * 7, None, {"hidden": index in hidden})
        ws.freeze_panes(2, 0)
        ws.repeat_rows(0, 1)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.center_horizontally()
        ws.set_footer("&C第 &P 页，共 &N 页")
        ws.set_row(0, 30)
        title_style = styles["title"]
        last = len(headers) - (2 if stamp else 1)
        ws.merge_range(0, 0, 0, last, "", title_style.plain)
        safe_cell(ws, 0, 0, heading, title_style)
        if stamp:
            safe_cell(ws, 0, len(headers) - 1, stamp, title_style)
        for column, header in enumerate(headers):
            safe_cell(ws, 1, column, header, styles["header"])
        self.styles = [styles[name] for name in body_styles]
        self.next_row = 2

    def rows(self, rows: Iterable[tuple]) -> None:
        ws, styles, row = self.ws, self.styles, self.next_row
        for values in rows:
            safe_row(ws, row, values, styles)
            row += 1
        self.next_row = row


def workbook_write(*, stream, title: str, stamp: str, task_rows: Iterable[tuple], schedule_rows: Iterable[tuple]):
    """The 分月安排 workbook of rows already laid out (TASK_HEADERS, SCHEDULE_HEADERS) to `stream`."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(stream, WORKBOOK_OPTIONS)
    styles = {name: cell_style(workbook, properties) for name, properties in STYLES.items()}
    tasks_title = gettext("Work tasks")
    _Sheet(
        workbook,
        styles,
        title=tasks_title,
        headers=TASK_HEADERS,
        widths=TASK_WIDTHS,
        body_styles=TASK_STYLES,
        heading=f"{title}（{tasks_title}）",
    ).rows(task_rows)
    schedule_title = gettext("Schedule by month")
    # The identifier ties a row to its calendar line when the sheet comes back: hidden from
    # the eye, not a secret.
    _Sheet(
        workbook,
        styles,
        title=schedule_title,
        headers=SCHEDULE_HEADERS,
        widths=SCHEDULE_WIDTHS,
        body_styles=SCHEDULE_STYLES,
        heading=f"{title}（{schedule_title}）",
        hidden=(len(SCHEDULE_HEADERS),),
        stamp=stamp,
    ).rows(schedule_rows)
    workbook.close()


def plan_workbook_write(*, plan: WorkPlan, stream) -> None:
    """Write `plan` as the 分月安排 workbook to `stream` (a file opened for binary writing).

    Queries: three for the tasks sheet, one to choose months or quarters, four for the schedule
    sheet."""
    workbook_write(
        stream=stream,
        title=plan.title,
        stamp=workbook_stamp(plan),
        task_rows=_task_rows(plan),
        schedule_rows=_schedule_rows(plan),
    )


def _grouped(rows: Iterable[tuple]) -> Iterator[tuple[object, list]]:
    """(key, value) rows ordered by key → (key, [values]) per key."""
    key, values = None, []
    for row_key, value in rows:
        if values and row_key != key:
            yield key, values
            values = []
        key = row_key
        values.append(value)
    if values:
        yield key, values


def _merged(rows: Iterator[tuple[object, tuple]], *groups: Iterator[tuple[object, list]]):
    """(key, row) ordered by key, each with the values every group (ordered alike) has for
    its key: (row, values of group 1, values of group 2, …)."""
    pending = [next(group, None) for group in groups]
    for key, row in rows:
        found = []
        for index, group in enumerate(groups):
            while pending[index] is not None and pending[index][0] < key:
                pending[index] = next(group, None)
            if pending[index] is not None and pending[index][0] == key:
                found.append(pending[index][1])
                pending[index] = next(group, None)
            else:
                found.append([])
        yield (row, *found)


def _shared_name() -> Exists:
    """Whether a target's county shares its name with another county of its province (the
    counties one office's sheet may name): a probe of the name index a row."""
    return Exists(
        County.objects.filter(
            name=OuterRef("county__name"), city__parent_id=OuterRef("county__city__parent_id")
        ).exclude(pk=OuterRef("county_id"))
    )


def _county_names(targets, *key_fields: str) -> Iterator[tuple]:
    """(key, county label) of `targets` (TaskTarget or EntryTarget rows, ordered by key)."""
    rows = (
        targets.annotate(shared=_shared_name())
        .values_list(*key_fields, "county__name", "county__city__name", "shared")
        .iterator(chunk_size=EXPORT_CHUNK)
    )
    width = len(key_fields)
    for row in rows:
        key = row[0] if width == 1 else row[:width]
        yield key, county_label(*row[width:])


def _task_rows(plan: WorkPlan) -> Iterator[tuple]:
    tasks = (
        Task.objects.filter(plan=plan)
        .order_by("number")
        .values_list("number", "title", "lead_unit", "addresses_all_counties")
        .iterator(chunk_size=EXPORT_CHUNK)
    )
    counties = _grouped(
        _county_names(
            TaskTarget.objects.filter(task__plan=plan).order_by("task__number", "county__code", "county__name"),
            "task__number",
        )
    )
    periods = _grouped(
        ScheduleEntry.objects.filter(plan=plan, task__isnull=False)
        .order_by("task__number", "position")
        .values_list("task__number", "period")
        .iterator(chunk_size=EXPORT_CHUNK)
    )
    # Tasks, their counties and their periods come ordered by task number and are joined as
    # they stream (a merge join), none of them held whole.
    for row, names, task_periods in _merged(((row[0], row) for row in tasks), counties, periods):
        number, title, lead_unit, all_counties = row
        yield number, title, lead_unit, counties_cell(names, all_counties=all_counties), "；".join(task_periods)


class _Line:
    """What the schedule sheet needs of a calendar line, as the rules of schedule.calendars read it
    (standing work, the due date), without a model instance a row."""

    __slots__ = ("months", "granularity", "deadline_day", "end_month")

    def __init__(self, months, granularity, deadline_day, end_month):
        self.months, self.granularity, self.deadline_day, self.end_month = months, granularity, deadline_day, end_month

    @property
    def month_list(self) -> list[int]:
        return mask_to_months(self.months)


_ENTRY_FIELDS = (
    "start_month",
    "position",
    "months",
    "granularity",
    "deadline_day",
    "end_month",
    "period",
    "text",
    "lead_unit",
    "key",
    "task__number",
)


def _schedule_rows(plan: WorkPlan) -> Iterator[tuple]:
    entries = ScheduleEntry.objects.filter(plan=plan)
    # By month or by quarter, as the plan's calendar (schedule.calendars); the rows go in the
    # order of its listing, by the month a line starts in (a calendar by quarter has only lines
    # written by quarter, which start in their quarter's first month).
    by_quarter = calendars.is_by_quarter(entries.order_by().values_list("granularity", flat=True).distinct())
    year = plan.plan_year
    labels: dict[tuple, str] = {}
    deadlines: dict[tuple, str] = {}
    sequence = 0
    # Standing work first (listed once, as on the plan page), then by the month a line starts:
    # two passes over the same ordered cursors.
    for standing_pass in (True, False):
        rows = entries.order_by("start_month", "position").values_list(*_ENTRY_FIELDS).iterator(chunk_size=EXPORT_CHUNK)
        counties = _grouped(
            _county_names(
                EntryTarget.objects.filter(entry__plan=plan).order_by(
                    "entry__start_month", "entry__position", "county__code", "county__name"
                ),
                "entry__start_month",
                "entry__position",
            )
        )
        for values, names in _merged((((values[0], values[1]), values) for values in rows), counties):
            start, _position, months, granularity, deadline_day, end, period, text, lead_unit, key, task = values
            line = _Line(months, granularity, deadline_day, end)
            if calendars.is_standing(line) != standing_pass:
                continue
            sequence += 1
            label_key = (start, standing_pass)
            if label_key not in labels:
                labels[label_key] = _month_label(start, by_quarter, standing_pass)
            deadline_key = (end, deadline_day)
            if deadline_key not in deadlines:
                due = calendars.due_date(line, year)
                deadlines[deadline_key] = f"{due.month}月{due.day}日" if due else ""
            yield (
                sequence,
                labels[label_key],
                period,
                text,
                task if task is not None else "",
                lead_unit,
                counties_cell(names),
                deadlines[deadline_key],
                str(key),
            )


def _month_label(start_month: int, by_quarter: bool, standing: bool) -> str:
    if standing:
        return str(STANDING_LABEL)
    return row_label(calendars.row_key(start_month, by_quarter=by_quarter), by_quarter=by_quarter)
