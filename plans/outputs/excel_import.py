"""An edited 分月安排 workbook back into a draft: check the file, read what it would change
(a preview; nothing written), then write all of it or nothing through
`plan_content_write(match_by="key")`.

Uploaded workbooks are untrusted: the zip is checked as every Office upload is
(plans.parsing.readers.check_office_zip: declared sizes, then every member inflated in bounded
chunks and counted, DTDs refused) before openpyxl opens it, and the rows read are bounded.
openpyxl reads it (read-only mode): it reports a cell's formula, which the import refuses; a
reader of cached values only (python-calamine) would hide it.
"""

import copy
import io
import re
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from plans import actions
from plans.models import ScheduleEntry, WorkPlan
from plans.outputs.excel import ALL_COUNTIES, SCHEDULE_HEADERS, STAMP_PREFIX, TASK_HEADERS, counties_cell
from plans.parsing.messages import ParseError
from plans.parsing.readers import ReadLimits, check_office_zip
from plans.selectors.editing import county_resolver
from plans.services.bulk import tables_analyze
from plans.services.content import (
    CONTENT_MODELS,
    plan_snapshot,
)
from plans.services.drafts import draft_write
from plans.snapshots import SnapshotDiff, snapshot_diff
from schedule.periods import parse_period

MB = 1024 * 1024

_ALL_COUNTIES_FORMS = {ALL_COUNTIES, "各县(市、区)", "各县（市区）", "各县区", "各县（区）", "全部县区"}
_LIST_SEPARATORS = re.compile(r"[、，,；;\s]+")


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


# What check_office_zip's refusals mean for a workbook upload.
_ZIP_ERRORS = {"too_large": "bomb", "unsafe_docx": "unsafe"}


def workbook_check(data: bytes, *, limits: WorkbookLimits = LIMITS) -> None:
    """Refuse a workbook that could hurt whoever unpacks it, before openpyxl opens it: by the
    sizes its zip directory declares, then by what each member really unpacks to, inflated
    one bounded chunk at a time (a directory that understates a member's size is refused, not
    trusted), with no DTD in any part."""
    if len(data) > limits.file_bytes:
        raise _error("too_large", limit=f"{limits.file_bytes // MB} MB")
    try:
        names = check_office_zip(
            data,
            ReadLimits(
                docx_parts=limits.members,
                docx_part_bytes=limits.member_bytes,
                docx_unpacked_bytes=limits.unpacked_bytes,
            ),
        )
    except ParseError as refused:
        code = _ZIP_ERRORS.get(refused.code, "not_xlsx")
        raise _error(code, limit=f"{limits.unpacked_bytes // MB} MB") from None
    if "xl/workbook.xml" not in names:
        raise _error("not_xlsx")


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
