"""What staff take out of a plan, and the one way a sheet comes back in.

- Excel: a plan as the 分月安排 workbook offices circulate (a sheet of tasks, a sheet of the
  schedule by month), written row by row in openpyxl's write-only mode from database cursors,
  so that memory does not grow with the plan. The schedule sheet, edited, is read back into a
  draft: preview first, then all of it or nothing through `plan_content_write(match_by="key")`.
- iCalendar: a plan's and an office's calendar lines as a feed, at an address with the
  user's secret (FeedToken), which the user renews or revokes.

Uploaded workbooks are untrusted: the zip's declared sizes and the XML's DTDs are checked
before openpyxl opens it, and the rows read are bounded.
"""

import copy
import datetime
import io
import re
import secrets
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from organisation.models import County, Office
from plans import actions
from plans.models import EntryTarget, FeedToken, ScheduleEntry, Task, TaskTarget, WorkPlan
from plans.parsing.readers import DAMAGED_ZIP
from plans.selectors.calendars import entry_due_date
from plans.selectors.editing import county_resolver
from plans.selectors.plans import QUARTER_LABELS, _is_standing, work_plan_visible
from plans.services.bulk import tables_analyze
from plans.services.cells import safe_cell
from plans.services.content import (
    CONTENT_MODELS,
    plan_snapshot,
)
from plans.services.drafts import draft_write
from plans.snapshots import SnapshotDiff, snapshot_diff
from schedule.periods import parse_period

MB = 1024 * 1024

# The official layout: these headers are the sheet's, in Chinese whatever the reader's language.
TASK_HEADERS = ("序号", "工作任务", "牵头单位", "责任县区", "时间")
SCHEDULE_HEADERS = ("序号", "月份", "时间", "工作内容", "对应任务", "牵头单位", "责任县区", "截止日期", "识别码")
TASK_WIDTHS = (7, 60, 20, 26, 20)
SCHEDULE_WIDTHS = (7, 10, 16, 60, 9, 20, 26, 12, 38)
# A task addressed to every county of the region, as the sheet writes it.
ALL_COUNTIES = "各县（市、区）"
_ALL_COUNTIES_FORMS = {"各县（市、区）", "各县(市、区)", "各县（市区）", "各县区", "各县（区）", "全部县区"}
_LIST_SEPARATORS = re.compile(r"[、，,；;\s]+")

STAMP_PREFIX = "plan:"
# Cursor chunks for the export: memory holds this many rows of each query at a time.
EXPORT_CHUNK = 200


@dataclass(frozen=True)
class WorkbookLimits:
    """What an uploaded workbook may be. An exported plan of 100 tasks is some 30 kB."""

    file_bytes: int = 2 * MB
    members: int = 200
    member_bytes: int = 10 * MB
    unpacked_bytes: int = 30 * MB
    sheets: int = 20
    rows: int = 20_000
    columns: int = 16
    cell_chars: int = 5_000


LIMITS = WorkbookLimits()

error_messages = {
    "too_large": _("The file is larger than %(limit)s; an exported plan is far smaller."),
    "not_xlsx": _("This is not an Excel workbook (.xlsx); export the plan again and edit that file."),
    "unsafe": _("The workbook contains XML declarations (DTD or entities) that Excel never writes; it was refused."),
    "bomb": _("The workbook unpacks to more than %(limit)s; it was refused."),
    "too_many_rows": _("The sheet “%(sheet)s” has more than %(limit)s rows; it was refused."),
    "no_schedule": _(
        "No schedule sheet was found: it needs a header row with the columns 时间 and 工作内容 "
        "(the sheet 分月安排 of an exported plan)."
    ),
    "not_draft": _("Only a draft is changed by importing a sheet; this plan is %(status)s."),
    "other_plan": _("This workbook was exported from another plan; export this plan and edit that file."),
    "stale_sheet": _(
        "This workbook was exported from version %(sheet)s of the plan, which has changed since "
        "(now version %(current)s); importing it would undo those changes. Export the plan "
        "again and make your edits in the new file."
    ),
    "has_errors": _("The sheet has errors; nothing was imported. Correct the rows listed and upload it again."),
    # Row errors: the row number is the sheet's own.
    "formula": _("Row %(row)s: cell %(cell)s holds a formula; type the text itself (paste as values)."),
    "bad_period": _(
        "Row %(row)s: the time “%(period)s” cannot be read (write it as 3月, 8-9月, 二季度, 3月上旬, "
        "1月31日前, 全年 or 每月)."
    ),
    "period_too_long": _("Row %(row)s: the time is longer than %(limit)s characters."),
    "no_period": _("Row %(row)s: the time is empty."),
    "no_text": _("Row %(row)s: the work is empty."),
    "too_long": _("Row %(row)s: a cell is longer than %(limit)s characters."),
    "bad_task": _("Row %(row)s: there is no task %(task)s in this plan."),
    "bad_number": _("Row %(row)s: “%(value)s” is not a task number."),
    "duplicate_task": _("Row %(row)s: task %(task)s is listed twice."),
    "no_title": _("Row %(row)s: the task is empty."),
    "bad_key": _(
        "Row %(row)s: the identifier is not one of this plan's calendar lines; clear it to add the row as a new line."
    ),
    "duplicate_key": _(
        "Row %(row)s: the identifier repeats row %(first)s; clear it in a copied row to add a new line."
    ),
    "bad_county": _("Row %(row)s: “%(name)s” is not a county of this office's region."),
    "ambiguous_county": _(
        "Row %(row)s: “%(name)s” could mean more than one county; add the city, as in 鼓楼区（福州市）."
    ),
}


def _error(code: str, **params) -> ValidationError:
    return ValidationError(error_messages[code], code=code, params=params)


# --- Excel: export -------------------------------------------------------------------------------


class _Sheet:
    """A write-only sheet with the house cells: every string is text, never a formula."""

    def __init__(self, workbook, title: str, headers, widths, heading: str, hidden=(), stamp=None):
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.properties import PageSetupProperties

        self.ws = workbook.create_sheet(title=_sheet_title(title))
        for index, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = width
            # Set before the first row: the column definitions are written with it.
            self.ws.column_dimensions[get_column_letter(index)].hidden = index in hidden
        # The title row over the header, frozen with it and printed on every page; a stamp
        # (which plan, which version) in the last column, hidden, when there is one.
        last = get_column_letter(len(headers) - (1 if stamp else 0))
        self.ws.merged_cells.add(f"A1:{last}1")
        self.ws.freeze_panes = "A3"
        self.ws.print_title_rows = "1:2"
        self.ws.page_setup.orientation = "landscape"
        self.ws.page_setup.paperSize = "9"  # A4
        self.ws.page_setup.fitToWidth = 1
        self.ws.page_setup.fitToHeight = 0
        self.ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        self.ws.print_options.horizontalCentered = True
        self.ws.oddFooter.center.text = "第 &P 页，共 &N 页"
        self.ws.row_dimensions[1].height = 30
        title_row = [heading] + [None] * (len(headers) - 1)
        if stamp:
            title_row[-1] = stamp
        self.row(title_row, style="title")
        self.row(headers, style="header")

    def cell(self, value, style: str):
        return safe_cell(self.ws, value, style=style)

    def row(self, values, style: str = "body"):
        self.ws.append([self.cell(value, style) for value in values])


def _sheet_title(title: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "", str(title))[:31] or "Sheet"


def _styles(workbook) -> None:
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    font = "宋体"
    workbook.add_named_style(
        NamedStyle(
            name="title",
            font=Font(name=font, size=14, bold=True),
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        )
    )
    workbook.add_named_style(
        NamedStyle(
            name="header",
            font=Font(name=font, size=11, bold=True),
            border=border,
            fill=PatternFill("solid", fgColor="E7ECF3"),
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        )
    )
    workbook.add_named_style(
        NamedStyle(
            name="body",
            font=Font(name=font, size=11),
            border=border,
            alignment=Alignment(vertical="top", wrap_text=True),
        )
    )
    workbook.add_named_style(
        NamedStyle(
            name="center",
            font=Font(name=font, size=11),
            border=border,
            alignment=Alignment(horizontal="center", vertical="top", wrap_text=True),
        )
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


def counties_cell(names: list[str], *, all_counties: bool = False) -> str:
    """How the sheet writes a task's or a line's counties."""
    return "、".join(([ALL_COUNTIES] if all_counties else []) + list(names))


def _month_label(start_month: int, by_quarter: bool, standing: bool) -> str:
    if standing:
        return gettext("Throughout the year")
    if by_quarter:
        return str(QUARTER_LABELS[(start_month - 1) // 3 + 1])
    return str(MONTHS[start_month])


def _deadline_cell(entry: ScheduleEntry, year: int) -> str:
    due = entry_due_date(entry, year)
    return f"{due.month}月{due.day}日" if due else ""


def plan_workbook_write(*, plan: WorkPlan, stream) -> None:
    """Write `plan` as the 分月安排 workbook to `stream` (a file opened for binary writing).

    Rows come from cursors in chunks and go straight to openpyxl's write-only sheets, which
    write them to disk: memory holds a chunk, whatever the size of the plan. Queries: three
    for the tasks sheet, one to choose months or quarters, four for the schedule sheet."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    _styles(workbook)
    _tasks_sheet(workbook, plan)
    _schedule_sheet(workbook, plan)
    workbook.save(stream)


def _tasks_sheet(workbook, plan: WorkPlan) -> None:
    title = gettext("Work tasks")
    sheet = _Sheet(workbook, title, TASK_HEADERS, TASK_WIDTHS, f"{plan.title}（{title}）")
    tasks = (
        Task.objects.filter(plan=plan)
        .order_by("number")
        .values_list("number", "title", "lead_unit", "addresses_all_counties")
        .iterator(chunk_size=EXPORT_CHUNK)
    )
    counties = _grouped(
        TaskTarget.objects.filter(task__plan=plan)
        .order_by("task__number", "county__code", "county__name")
        .values_list("task__number", "county__name")
        .iterator(chunk_size=EXPORT_CHUNK)
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
        sheet.ws.append(
            [
                sheet.cell(number, "center"),
                sheet.cell(title, "body"),
                sheet.cell(lead_unit, "body"),
                sheet.cell(counties_cell(names, all_counties=all_counties), "body"),
                sheet.cell("；".join(task_periods), "body"),
            ]
        )


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


_ENTRY_FIELDS = (
    "key",
    "position",
    "period",
    "start_month",
    "end_month",
    "months",
    "granularity",
    "deadline_day",
    "text",
    "lead_unit",
)


def _schedule_sheet(workbook, plan: WorkPlan) -> None:
    title = gettext("Schedule by month")
    # The identifier ties a row to its calendar line when the sheet comes back: hidden from
    # the eye, not a secret.
    sheet = _Sheet(
        workbook,
        title,
        SCHEDULE_HEADERS,
        SCHEDULE_WIDTHS,
        f"{plan.title}（{title}）",
        hidden=(len(SCHEDULE_HEADERS),),
        stamp=workbook_stamp(plan),
    )
    entries = ScheduleEntry.objects.filter(plan=plan)
    by_quarter = not entries.exclude(granularity=ScheduleEntry.Granularity.QUARTER).exists()
    sequence = 0
    # Standing work first (listed once, as on the plan page), then by the month a line starts:
    # two passes over the same ordered cursors.
    for standing_pass in (True, False):
        rows = (
            entries.order_by("start_month", "position")
            .values_list(*_ENTRY_FIELDS, "task__number")
            .iterator(chunk_size=EXPORT_CHUNK)
        )
        counties = _grouped(
            ((start, position), name)
            for start, position, name in EntryTarget.objects.filter(entry__plan=plan)
            .order_by("entry__start_month", "entry__position", "county__code", "county__name")
            .values_list("entry__start_month", "entry__position", "county__name")
            .iterator(chunk_size=EXPORT_CHUNK)
        )
        keyed = (((values[3], values[1]), values) for values in rows)
        for values, names in _merged(keyed, counties):
            entry = ScheduleEntry(**dict(zip(_ENTRY_FIELDS, values[:-1])))
            if _is_standing(entry) != standing_pass:
                continue
            sequence += 1
            task_number = values[-1]
            sheet.ws.append(
                [
                    sheet.cell(sequence, "center"),
                    sheet.cell(_month_label(entry.start_month, by_quarter, standing_pass), "center"),
                    sheet.cell(entry.period, "body"),
                    sheet.cell(entry.text, "body"),
                    sheet.cell(task_number if task_number is not None else "", "center"),
                    sheet.cell(entry.lead_unit, "body"),
                    sheet.cell(counties_cell(names), "body"),
                    sheet.cell(_deadline_cell(entry, plan.plan_year), "center"),
                    sheet.cell(str(entry.key), "body"),
                ]
            )


# --- Excel: import ------------------------------------------------------------------------------

_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int
    message: str


@dataclass
class WorkbookImport:
    """What a sheet would do to a draft: the content to write, the difference it makes, and
    the rows that stop it."""

    content: dict
    diff: SnapshotDiff
    errors: list[RowError] = field(default_factory=list)
    task_rows: int = 0
    entry_rows: int = 0

    @property
    def is_empty(self) -> bool:
        return self.diff.is_empty

    @property
    def can_apply(self) -> bool:
        return not self.errors and not self.diff.is_empty


def workbook_check(data: bytes, *, limits: WorkbookLimits = LIMITS) -> None:
    """Refuse a workbook by what its zip directory declares, before anything is unpacked, then
    scan its XML parts for DTDs one bounded chunk at a time. zipfile stops every member at its
    declared size, so the declared sizes bound what openpyxl can unpack afterwards."""
    if len(data) > limits.file_bytes:
        raise _error("too_large", limit=f"{limits.file_bytes // MB} MB")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except DAMAGED_ZIP:
        raise _error("not_xlsx") from None
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names or len(members) > limits.members:
        raise _error("not_xlsx")
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > limits.member_bytes or total > limits.unpacked_bytes:
            raise _error("bomb", limit=f"{limits.unpacked_bytes // MB} MB")
        if member.flag_bits & 0x1 or member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _error("not_xlsx")
    try:
        for member in members:
            if not member.is_dir() and member.file_size and not member.filename.startswith("xl/media/"):
                with archive.open(member) as stream:
                    tail = b""
                    while chunk := stream.read(MB):
                        # UTF-16 XML hides the ASCII of <!DOCTYPE between zero bytes.
                        window = tail + chunk.replace(b"\x00", b"")
                        if _DTD.search(window):
                            raise _error("unsafe")
                        tail = window[-16:]
    except DAMAGED_ZIP:
        raise _error("not_xlsx") from None


@dataclass
class _SheetRows:
    title: str
    columns: dict[str, int]
    rows: list[tuple[int, list]]  # (row number, cells)
    # What the row above the header holds over the 识别码 column: the export's stamp.
    stamp: str = ""


def _header_columns(values: list, wanted: tuple[str, ...]) -> dict[str, int]:
    found = {}
    for index, value in enumerate(values):
        name = re.sub(r"\s+", "", str(value)) if value is not None else ""
        if name in wanted and name not in found:
            found[name] = index
    return found


def _read_sheets(data: bytes, limits: WorkbookLimits) -> tuple[_SheetRows | None, _SheetRows | None]:
    """The tasks sheet and the schedule sheet of a workbook, found by their header rows."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception:  # openpyxl raises whatever its parsers raise on a damaged file
        raise _error("not_xlsx") from None
    tasks = schedule = None
    try:
        for ws in workbook.worksheets[: limits.sheets]:
            if not hasattr(ws, "iter_rows"):
                continue  # a chart sheet
            header, columns, kind, rows, above = None, {}, None, [], []
            for number, cells in enumerate(ws.iter_rows(max_col=limits.columns), start=1):
                if number > limits.rows + 5:
                    raise _error("too_many_rows", sheet=ws.title, limit=f"{limits.rows:,}")
                if header is None:
                    values = [getattr(cell, "value", None) for cell in cells]
                    schedule_columns = _header_columns(values, SCHEDULE_HEADERS)
                    task_columns = _header_columns(values, TASK_HEADERS)
                    if {"时间", "工作内容"} <= schedule_columns.keys():
                        header, columns, kind = number, schedule_columns, "schedule"
                    elif {"序号", "工作任务"} <= task_columns.keys():
                        header, columns, kind = number, task_columns, "tasks"
                    elif number >= 5:
                        break  # no header in the first rows: not a sheet of ours
                    else:
                        above = values
                    continue
                rows.append((number, list(cells)))
            if kind == "schedule" and schedule is None:
                index = columns.get("识别码")
                stamp = above[index] if index is not None and index < len(above) else None
                schedule = _SheetRows(ws.title, columns, rows, str(stamp or ""))
            elif kind == "tasks" and tasks is None:
                tasks = _SheetRows(ws.title, columns, rows)
    except ValidationError:
        raise
    except Exception:
        raise _error("not_xlsx") from None
    finally:
        workbook.close()
    return tasks, schedule


class _RowReader:
    """The cells of one row by header name, as text; formulas and overlong cells are errors."""

    def __init__(self, sheet: _SheetRows, number: int, cells: list, errors: list, limits: WorkbookLimits):
        self.sheet, self.number, self.cells, self.errors, self.limits = sheet, number, cells, errors, limits
        self.ok = True
        for cell in cells:
            if getattr(cell, "data_type", None) == "f":
                self.fail("formula", cell=getattr(cell, "coordinate", "?"))
                break

    def fail(self, code: str, **params) -> None:
        self.ok = False
        message = error_messages[code] % {"row": self.number, **params}
        self.errors.append(RowError(self.sheet.title, self.number, message))

    def has(self, name: str) -> bool:
        return name in self.sheet.columns

    def text(self, name: str) -> str:
        index = self.sheet.columns.get(name)
        if index is None or index >= len(self.cells):
            return ""
        value = getattr(self.cells[index], "value", None)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).strip()
        if len(text) > self.limits.cell_chars:
            self.fail("too_long", limit=f"{self.limits.cell_chars:,}")
            return ""
        return text

    @property
    def is_blank(self) -> bool:
        return all(getattr(cell, "value", None) in (None, "") for cell in self.cells)


def _task_number(reader: _RowReader, value: str) -> int | None:
    match = re.fullmatch(r"(?:任务)?\s*(\d{1,4})\s*[.．、]?", value)
    if match is None:
        reader.fail("bad_number", value=value[:20])
        return None
    return int(match.group(1))


class _Counties:
    """County names as the edit page reads them (plans.selectors.editing.CountyResolver: the
    office's region, the counties the plan names already, aliases and short forms: 管城区)."""

    def __init__(self, plan: WorkPlan, current: dict):
        also = {
            county_id for item in current["tasks"] + current["entries"] for county_id, _n in item.get("counties", [])
        }
        self.resolver = county_resolver(office=plan.office, also=also)

    def read(self, reader: _RowReader, value: str) -> tuple[list[list], bool]:
        """The counties a cell names, and whether it names every county of the region."""
        counties, everyone, seen = [], False, set()
        for name in _LIST_SEPARATORS.split(value):
            if not name:
                continue
            if name in _ALL_COUNTIES_FORMS:
                everyone = True
                continue
            found = self.resolver.lookup(name)
            if len(found) != 1:
                reader.fail("ambiguous_county" if found else "bad_county", name=name[:30])
                continue
            if found[0].pk not in seen:
                seen.add(found[0].pk)
                counties.append([found[0].pk, found[0].name])
        return counties, everyone


def workbook_stamp(plan: WorkPlan) -> str:
    """Which plan, at which version, a workbook was exported from."""
    return f"{STAMP_PREFIX}{plan.pk}:{plan.version}"


def _stamp_check(stamp: str, plan: WorkPlan) -> None:
    """A sheet exported from another plan, or from this one before its last change, would undo
    what changed since: refused. A sheet without a stamp (laid out by hand) is compared with
    the plan as it is."""
    match = re.fullmatch(rf"{re.escape(STAMP_PREFIX)}(\d+):(\d+)", stamp.strip())
    if match is None:
        return
    if int(match.group(1)) != plan.pk:
        raise _error("other_plan")
    if int(match.group(2)) != plan.version:
        raise _error("stale_sheet", sheet=match.group(2), current=plan.version)


def schedule_workbook_read(*, data: bytes, plan: WorkPlan, limits: WorkbookLimits = LIMITS) -> WorkbookImport:
    """What an edited 分月安排 workbook would change in `plan`, read without writing anything.

    The schedule sheet is the plan's whole calendar: a row with an identifier updates that
    line, a row without one adds a line, and a line whose row is gone is removed. The tasks
    sheet, if present, updates the title, lead unit and counties of the tasks it lists by
    number (tasks are added and removed on the edit page). Cells left as exported keep what
    the plan has, so a period read from an annex heading (上旬 under 三月份) stays as it was.
    Raises ValidationError when the file itself is refused; row errors are in `errors`."""
    workbook_check(data, limits=limits)
    task_sheet, schedule_sheet = _read_sheets(data, limits)
    if schedule_sheet is None:
        raise _error("no_schedule")
    _stamp_check(schedule_sheet.stamp, plan)
    current = plan_snapshot(plan)
    new = copy.deepcopy(current)
    errors: list[RowError] = []
    counties = _Counties(plan, current)
    result = WorkbookImport(content=new, diff=snapshot_diff(current, current), errors=errors)
    tasks_by_number = {task["number"]: task for task in new["tasks"]}
    if task_sheet is not None:
        result.task_rows = _read_task_rows(task_sheet, tasks_by_number, counties, errors, limits)
    result.entry_rows, new["entries"] = _read_schedule_rows(
        schedule_sheet, current, tasks_by_number, counties, errors, limits
    )
    result.diff = _without_renumbering(snapshot_diff(current, new))
    return result


def _read_task_rows(sheet, tasks_by_number, counties, errors, limits) -> int:
    seen: dict[int, int] = {}
    count = 0
    for number, cells in sheet.rows:
        reader = _RowReader(sheet, number, cells, errors, limits)
        if reader.is_blank:
            continue
        count += 1
        task_number = _task_number(reader, reader.text("序号"))
        title = reader.text("工作任务")
        if task_number is None or not reader.ok:
            continue
        task = tasks_by_number.get(task_number)
        if task is None:
            reader.fail("bad_task", task=task_number)
            continue
        if task_number in seen:
            reader.fail("duplicate_task", task=task_number)
            continue
        seen[task_number] = number
        if not title:
            reader.fail("no_title")
            continue
        if title != task["title"]:
            # The notice's text starts with the task's lead phrase: it changes with the title.
            if task["text"].startswith(task["title"]):
                task["text"] = title + task["text"][len(task["title"]) :]
            task["title"] = title
        if reader.has("牵头单位"):
            task["lead_unit"] = reader.text("牵头单位")
        if reader.has("责任县区"):
            cell = reader.text("责任县区")
            names = [name for _id, name in task["counties"]]
            if cell != counties_cell(names, all_counties=task["addresses_all_counties"]):
                task["counties"], task["addresses_all_counties"] = counties.read(reader, cell)
    return count


def _read_schedule_rows(sheet, current, tasks_by_number, counties, errors, limits) -> tuple[int, list[dict]]:
    existing = {entry["key"]: entry for entry in current["entries"]}
    task_numbers = {task["key"]: task["number"] for task in current["tasks"]}
    first_row: dict[str, int] = {}
    placed: list[tuple[tuple, dict]] = []
    previous_position = 0
    count = 0
    for sequence, (number, cells) in enumerate(sheet.rows):
        reader = _RowReader(sheet, number, cells, errors, limits)
        if reader.is_blank:
            continue
        count += 1
        key = reader.text("识别码")
        period_text, text = reader.text("时间"), reader.text("工作内容")
        old = None
        if key:
            if key in first_row:
                reader.fail("duplicate_key", first=first_row[key])
                continue
            old = existing.get(key)
            if old is None:
                reader.fail("bad_key")
                continue
            first_row[key] = number
        item = (
            copy.deepcopy(old)
            if old is not None
            else {
                "key": str(uuid.uuid4()),
                "position": 0,
                "lead_unit": "",
                "unconfirmed_places": [],
                "counties": [],
                "task": None,
                "deadline_day": None,
            }
        )
        if not period_text:
            reader.fail("no_period")
        elif old is None or period_text != old["period"]:
            # Only a period typed anew is read: what was exported stays as the plan has it.
            if len(period_text) > ScheduleEntry._meta.get_field("period").max_length:
                reader.fail("period_too_long", limit=ScheduleEntry._meta.get_field("period").max_length)
            else:
                period = parse_period(period_text)
                if period is None:
                    reader.fail("bad_period", period=period_text[:30])
                else:
                    item.update(
                        period=period_text,
                        months=list(period.months),
                        granularity=period.granularity,
                        deadline_day=period.deadline_day,
                    )
        if not text:
            reader.fail("no_text")
        item["text"] = text
        if reader.has("对应任务"):
            task_cell = reader.text("对应任务")
            old_number = task_numbers.get(item["task"]) if item["task"] else None
            if not task_cell:
                item["task"] = None
            elif old_number is None or task_cell != str(old_number):
                task_number = _task_number(reader, task_cell)
                task = tasks_by_number.get(task_number) if task_number is not None else None
                if task_number is not None and task is None:
                    reader.fail("bad_task", task=task_number)
                item["task"] = task["key"] if task else None
        if reader.has("牵头单位"):
            item["lead_unit"] = reader.text("牵头单位")
        if reader.has("责任县区"):
            cell = reader.text("责任县区")
            if cell != counties_cell([name for _id, name in item["counties"]]):
                item["counties"], _everyone = counties.read(reader, cell)
        if not reader.ok:
            continue
        # Lines keep their order in the plan; a new row follows the line above it in the sheet.
        if old is not None:
            previous_position = old["position"]
            placed.append(((old["position"], 0, sequence), item))
        else:
            placed.append(((previous_position, 1, sequence), item))
    entries = [item for _order, item in sorted(placed, key=lambda pair: pair[0])]
    for position, item in enumerate(entries, start=1):
        item["position"] = position
    return count, entries


def _without_renumbering(diff: SnapshotDiff) -> SnapshotDiff:
    """Lines that only moved up because one above them went are not changes to show."""
    for name in ("tasks", "entries"):
        kept = []
        for change in getattr(diff, name):
            if change.kind == "changed":
                change.fields = [f for f in change.fields if f.field not in ("position", "number")]
                if not (change.fields or change.counties_added or change.counties_removed):
                    continue
            kept.append(change)
        setattr(diff, name, kept)
    return diff


# A sheet with this many rows or more is a bulk write: the tables are analyzed after it.
ANALYZE_AFTER_ROWS = 1_000


def plan_schedule_import(*, plan: WorkPlan, data: bytes, expected_version: int, acting_user) -> WorkbookImport:
    """Write an edited 分月安排 workbook onto a draft: all of it or nothing.

    The plan row is locked and its version checked first, so a sheet read from an older
    version (someone saved in between) is refused rather than undoing their changes."""
    with draft_write(
        plan=plan,
        expected_version=expected_version,
        acting_user=acting_user,
        action=actions.PLAN_IMPORTED,
        data={"source": "excel"},
        not_draft=lambda locked: _error("not_draft", status=locked.get_status_display()),
    ) as write:
        result = schedule_workbook_read(data=data, plan=write.plan)
        if result.errors:
            raise ValidationError(
                [ValidationError(error_messages["has_errors"], code="has_errors")]
                + [ValidationError(error.message, code="row") for error in result.errors]
            )
        if result.diff.is_empty:
            write.unchanged()
            return result
        write.content_write(content=result.content, match_by="key")
        write.data.update(task_rows=result.task_rows, entry_rows=result.entry_rows)
    if result.task_rows + result.entry_rows >= ANALYZE_AFTER_ROWS:
        # A large sheet can be most of a table's rows: plan with statistics that count them.
        transaction.on_commit(lambda: tables_analyze(CONTENT_MODELS))
    return result


# --- iCalendar --------------------------------------------------------------------------------

FEED_UID_DOMAIN = "supervision-planner"
# An office's feed: the plans of last year, this year and next.
FEED_YEARS_BACK, FEED_YEARS_AHEAD = 1, 1


def _month_runs(months: list[int]) -> list[tuple[int, int]]:
    """[3, 4, 5, 9] → [(3, 5), (9, 9)]: 5月、9月 is two stretches, not May to September."""
    runs: list[list[int]] = []
    for month in months:
        if runs and month == runs[-1][1] + 1:
            runs[-1][1] = month
        else:
            runs.append([month, month])
    return [(first, last) for first, last in runs]


def _month_after(year: int, month: int) -> datetime.date:
    return datetime.date(year + month // 12, month % 12 + 1, 1)


def _entry_events(entry: ScheduleEntry, plan: WorkPlan, plan_url: str):
    """The events of one calendar line: its due day when it states one, otherwise all-day
    events over the months it falls in. UIDs come from the line's key, so a client updates
    an event when the line changes instead of adding another."""
    from icalendar import Event

    year = plan.plan_year
    task = entry.task if entry.task_id else None
    summary = f"{entry.period} {entry.text}"
    if len(summary) > 120:
        summary = summary[:119] + "…"
    lines = [plan.title]
    if task is not None:
        lines.append(gettext("Task %(number)s: %(title)s") % {"number": task.number, "title": task.title})
    lines.append(f"{entry.period}：{entry.text}")
    if entry.lead_unit:
        lines.append(gettext("Lead unit: %(unit)s") % {"unit": entry.lead_unit})
    names = [county.name for county in getattr(entry, "county_list", [])]
    if names:
        lines.append(gettext("Counties: %(names)s") % {"names": "、".join(names)})
    if plan.status not in WorkPlan.ISSUED:
        summary = f"[{plan.get_status_display()}] {summary}"
    due = entry_due_date(entry, year)
    if due is not None:
        spans = [(due, due + datetime.timedelta(days=1))]
        summary = gettext("Due: %(what)s") % {"what": summary}
    else:
        spans = [
            (datetime.date(year, first, 1), _month_after(year, last)) for first, last in _month_runs(entry.month_list)
        ]
    stamp = plan.updated_at or timezone.now()
    for index, (start, end) in enumerate(spans):
        event = Event()
        suffix = "" if index == 0 else f"-{index + 1}"
        event.add("uid", f"{entry.key}{suffix}@{FEED_UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("summary", summary)
        event.add("description", "\n".join(lines))
        event.add("url", plan_url)
        # All-day work does not make anyone busy.
        event.add("transp", "TRANSPARENT")
        if due is not None:
            event.add("categories", [gettext("Deadline")])
        yield event


def _feed_entries(plans: list[WorkPlan]) -> list[ScheduleEntry]:
    from django.db.models import Prefetch

    counties = County.objects.order_by("code", "name").only("id", "name", "code")
    return list(
        ScheduleEntry.objects.filter(plan__in=[plan.pk for plan in plans])
        .select_related("task")
        .only(
            "id",
            "key",
            "plan_id",
            "task_id",
            "period",
            "start_month",
            "end_month",
            "months",
            "granularity",
            "deadline_day",
            "text",
            "lead_unit",
            "position",
            "task__id",
            "task__number",
            "task__title",
        )
        .order_by("plan_id", "position")
        .prefetch_related(Prefetch("counties", queryset=counties, to_attr="county_list"))
    )


def feed_calendar(*, name: str, plans: list[WorkPlan], plan_url) -> bytes:
    """An iCalendar file of every calendar line of `plans` (`plan_url(plan)` → its address)."""
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", "-//Supervision Planner//督导工作台//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Shanghai")
    by_id = {plan.pk: plan for plan in plans}
    for entry in _feed_entries(plans) if plans else []:
        plan = by_id[entry.plan_id]
        for event in _entry_events(entry, plan, plan_url(plan)):
            cal.add_component(event)
    return cal.to_ical()


def office_feed_plans(*, office: Office, user, today: datetime.date | None = None) -> list[WorkPlan]:
    """The plans of `office` that `user` may read, of last year, this year and next (a draft
    revision is left out: its plan stands for it until it is published)."""
    year = (today or timezone.localdate()).year
    return list(
        work_plan_visible(user=user)
        .filter(
            office=office,
            revision_of__isnull=True,
            plan_year__gte=year - FEED_YEARS_BACK,
            plan_year__lte=year + FEED_YEARS_AHEAD,
        )
        .only("id", "title", "plan_year", "status", "updated_at", "office_id", "revision_of_id")
        .order_by("plan_year", "title", "pk")
    )


# --- Feed tokens ------------------------------------------------------------------------------


def feed_token_get(*, token: str) -> FeedToken | None:
    """The token a feed address carries, with its user; None when unknown or revoked."""
    if not token or len(token) > FeedToken._meta.get_field("token").max_length:
        return None
    return FeedToken.objects.select_related("user").filter(token=token, user__is_active=True).first()


@transaction.atomic
def feed_token_renew(*, user) -> FeedToken:
    """A new secret for `user`'s feed addresses; the old addresses stop working at once."""
    token, _created = FeedToken.objects.update_or_create(
        user=user,
        defaults={"token": secrets.token_urlsafe(32), "created_at": timezone.now()},
    )
    return token


@transaction.atomic
def feed_token_revoke(*, user) -> None:
    """`user`'s feed addresses stop working (until the user makes new ones)."""
    FeedToken.objects.filter(user=user).delete()
