"""Schools from a spreadsheet the county or the city already keeps: a template to download, a
preview that lists every row's errors (nothing written), then all rows written or none.

The workbook is untrusted: plans.outputs.excel_import.workbook_check (the zip's declared and
real sizes, no DTD) passes it before openpyxl opens it read-only, and the rows read are bounded.
County names are read as the plan pages read them (plans.selectors.editing.CountyResolver), among
the counties whose register the user keeps. A school is matched by its name among its county's
open schools: importing the same sheet again changes those, and adds no second copy."""

import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from audit.services import log_action
from inspections import actions
from inspections.models import School
from inspections.permissions import register_counties_q
from organisation.models import County, CountyAlias
from plans.outputs.cells import WORKBOOK_OPTIONS, cell_style, safe_cell
from plans.outputs.excel_import import LIMITS, workbook_check
from plans.selectors.editing import CountyResolver
from supervision.history import acting_as

# The template's columns, as the counties' own sheets head them.
COUNTY, NAME, KIND, OWNERSHIP, CENTRAL, ADDRESS = "县（市、区）", "学校名称", "学段", "办学性质", "中心校", "地址"
HEADERS = (COUNTY, NAME, KIND, OWNERSHIP, CENTRAL, ADDRESS)
REQUIRED = (NAME, KIND)
# What the sheets write for each kind; the template's own words first.
KIND_WORDS = {
    "幼儿园": School.Kind.KINDERGARTEN,
    "小学": School.Kind.PRIMARY,
    "初中": School.Kind.JUNIOR,
    "初级中学": School.Kind.JUNIOR,
    "九年一贯制": School.Kind.NINE_YEAR,
    "九年一贯制学校": School.Kind.NINE_YEAR,
    "高中": School.Kind.SENIOR,
    "高级中学": School.Kind.SENIOR,
    "完全中学": School.Kind.COMPLETE,
    "十二年一贯制": School.Kind.TWELVE_YEAR,
    "十二年一贯制学校": School.Kind.TWELVE_YEAR,
    "特殊教育": School.Kind.SPECIAL,
    "特殊教育学校": School.Kind.SPECIAL,
    "中职": School.Kind.VOCATIONAL,
    "中等职业学校": School.Kind.VOCATIONAL,
}
OWNERSHIP_WORDS = {"公办": School.Ownership.PUBLIC, "民办": School.Ownership.PRIVATE}
YES, NO = {"是", "√", "Y", "y", "1"}, {"否", "", "N", "n", "0"}
MAX_ROWS = 5_000

error_messages = {
    "too_large": _("The file is too large for a school list; it was refused."),
    "not_xlsx": _("This is not an Excel workbook (.xlsx); download the template and fill that in."),
    "unsafe": _("The workbook contains XML declarations (DTD or entities) that Excel never writes; it was refused."),
    "bomb": _("The workbook unpacks to far more than a school list; it was refused."),
    "no_header": _("No sheet has the header row of the template (学校名称, 学段 …); download the template."),
    "too_many_rows": _("The sheet has more than %(limit)s rows; split it into several files."),
    "no_rows": _("The sheet lists no school."),
    "formula": _("Row %(row)s: cell %(cell)s holds a formula; type the text itself (paste as values)."),
    "too_long": _("Row %(row)s: “%(column)s” is longer than %(limit)s characters."),
    "missing": _("Row %(row)s: “%(column)s” is empty."),
    "bad_kind": _(
        "Row %(row)s: the kind “%(value)s” is not one of 幼儿园, 小学, 初中, 九年一贯制, 高中, 完全中学, 十二年一贯制, 特殊教育, 中职."
    ),
    "bad_ownership": _("Row %(row)s: write 公办 or 民办, not “%(value)s”."),
    "bad_central": _("Row %(row)s: write 是 or 否 in 中心校, not “%(value)s”."),
    "no_county": _("Row %(row)s: name the county (you keep the schools of more than one)."),
    "bad_county": _("Row %(row)s: “%(value)s” is not a county whose schools you keep."),
    "ambiguous_county": _(
        "Row %(row)s: “%(value)s” could mean more than one county; add the city, as in 鼓楼区（福州市）."
    ),
    "duplicate": _("Row %(row)s: %(name)s of %(county)s is listed again (first in row %(first)s)."),
    "has_errors": _("The sheet has errors; nothing was imported. Correct the rows listed and upload it again."),
}

_FIELD_LIMITS = {NAME: 128, ADDRESS: 255, COUNTY: 64, KIND: 32, OWNERSHIP: 8, CENTRAL: 8}


@dataclass(frozen=True)
class RowError:
    row: int
    message: str


@dataclass
class SchoolRow:
    row: int
    county: County
    name: str
    kind: str
    ownership: str
    is_central: bool
    address: str
    existing: School | None = None
    changes: list[str] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return School.Kind(self.kind).label

    @property
    def is_new(self) -> bool:
        return self.existing is None

    def compare(self) -> None:
        """Note which of the existing school's particulars the row changes (before it is written)."""
        self.changes = (
            []
            if self.existing is None
            else [
                name
                for name in ("kind", "ownership", "is_central", "address")
                if getattr(self.existing, name) != getattr(self, name)
            ]
        )


@dataclass
class SchoolImport:
    """What a sheet would do: its rows (new schools and changed ones) and the errors that stop it."""

    rows: list[SchoolRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    @property
    def created(self) -> int:
        return sum(row.is_new for row in self.rows)

    @property
    def updated(self) -> int:
        return sum(bool(row.changes) for row in self.rows)

    @property
    def unchanged(self) -> int:
        return len(self.rows) - self.created - self.updated


def _error(code: str, **params) -> ValidationError:
    return ValidationError(error_messages[code], code=code, params=params)


def template_workbook() -> bytes:
    """The template: the header row, two example rows, and a sheet of the words each column takes."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {**WORKBOOK_OPTIONS, "in_memory": True})
    header = cell_style(workbook, {"bold": True, "bg_color": "#E8EEF4", "border": 1})
    plain = cell_style(workbook)
    sheet = workbook.add_worksheet("学校名册")
    for column, (title, width) in enumerate(zip(HEADERS, (16, 32, 14, 10, 8, 40), strict=True)):
        sheet.set_column(column, column, width)
        safe_cell(sheet, 0, column, title, header)
    examples = (
        ("金水区", "金水区第一示范小学", "小学", "公办", "是", "金水路1号"),
        ("金水区", "金水区实验中学", "初中", "公办", "否", ""),
    )
    for row, values in enumerate(examples, start=1):
        for column, value in enumerate(values):
            safe_cell(sheet, row, column, value, plain)
    words = workbook.add_worksheet("填写说明")
    lines = (
        (COUNTY, "县（市、区）名称；只管理一个县的用户可留空"),
        (NAME, "必填；同一县内按名称匹配，已有的学校将被更新"),
        (KIND, "、".join(dict.fromkeys(word for word in KIND_WORDS if len(word) <= 5))),
        (OWNERSHIP, "公办 或 民办（留空为公办）"),
        (CENTRAL, "是 或 否（留空为否）"),
        (ADDRESS, "选填"),
    )
    words.set_column(0, 0, 16)
    words.set_column(1, 1, 70)
    for row, (title, text) in enumerate(lines):
        safe_cell(words, row, 0, title, header)
        safe_cell(words, row, 1, text, plain)
    workbook.close()
    return buffer.getvalue()


def _read_rows(data: bytes) -> tuple[dict[str, int], list[tuple[int, list]]]:
    """The header's columns and the rows under it (number, cells) of the first sheet that has the
    template's header."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception:  # openpyxl raises whatever its parsers raise on a damaged file
        raise _error("not_xlsx") from None
    try:
        for ws in workbook.worksheets[: LIMITS.sheets]:
            if not hasattr(ws, "iter_rows"):
                continue
            columns, rows = None, []
            for number, cells in enumerate(ws.iter_rows(max_col=LIMITS.columns), start=1):
                if columns is None:
                    if number > 10:
                        break
                    names = [re.sub(r"\s+", "", str(getattr(c, "value", None) or "")) for c in cells]
                    found = {name: i for i, name in reversed(list(enumerate(names))) if name in HEADERS}
                    if all(name in found for name in REQUIRED):
                        columns = found
                    continue
                if number > MAX_ROWS + 1:
                    raise _error("too_many_rows", limit=f"{MAX_ROWS:,}")
                rows.append((number, list(cells)))
            if columns is not None:
                return columns, rows
    finally:
        workbook.close()
    raise _error("no_header")


def _resolver(user) -> tuple[CountyResolver, list[County]]:
    counties = list(County.objects.filter(register_counties_q(user, edit=True)).select_related("city"))
    aliases = list(CountyAlias.objects.filter(county__in=[c.pk for c in counties]).values_list("county_id", "name"))
    return CountyResolver(counties, aliases), counties


def schools_import_read(*, data: bytes, user) -> SchoolImport:
    """What importing `data` would do, for `user` (among the counties whose schools they keep).
    Raises ValidationError for a file that is not a school list; row errors are in the result."""
    try:
        workbook_check(data)
    except ValidationError as refused:
        raise _error(refused.code if refused.code in error_messages else "not_xlsx") from None
    columns, rows = _read_rows(data)
    resolver, counties = _resolver(user)
    result = SchoolImport()
    seen: dict[tuple[int, str], int] = {}

    def fail(number, code, **params):
        result.errors.append(RowError(number, str(error_messages[code] % {"row": number, **params})))

    for number, cells in rows:
        values = {}
        bad = False
        for name, index in columns.items():
            cell = cells[index] if index < len(cells) else None
            if getattr(cell, "data_type", None) == "f":
                fail(number, "formula", cell=getattr(cell, "coordinate", "?"))
                bad = True
                break
            value = getattr(cell, "value", None)
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            text = "" if value is None else re.sub(r"\s+", " ", str(value)).strip()
            if len(text) > _FIELD_LIMITS[name]:
                fail(number, "too_long", column=name, limit=_FIELD_LIMITS[name])
                bad = True
            values[name] = text
        if bad:
            continue
        if not any(values.values()):
            continue  # a blank line between blocks
        for name in REQUIRED:
            if not values.get(name):
                fail(number, "missing", column=name)
                bad = True
        kind = KIND_WORDS.get(values.get(KIND, ""))
        if values.get(KIND) and kind is None:
            fail(number, "bad_kind", value=values[KIND][:20])
            bad = True
        ownership_text = values.get(OWNERSHIP, "")
        ownership = OWNERSHIP_WORDS.get(ownership_text, School.Ownership.PUBLIC if not ownership_text else None)
        if ownership is None:
            fail(number, "bad_ownership", value=ownership_text[:20])
            bad = True
        central_text = values.get(CENTRAL, "")
        if central_text not in YES | NO:
            fail(number, "bad_central", value=central_text[:20])
            bad = True
        county_name = values.get(COUNTY, "")
        county = None
        if county_name:
            found = resolver.lookup(county_name)
            if len(found) == 1:
                county = found[0]
            else:
                fail(number, "ambiguous_county" if found else "bad_county", value=county_name[:30])
                bad = True
        elif len(counties) == 1:
            county = counties[0]
        else:
            fail(number, "no_county")
            bad = True
        if bad:
            continue
        key = (county.pk, values[NAME])
        if key in seen:
            fail(number, "duplicate", name=values[NAME], county=county.name, first=seen[key])
            continue
        seen[key] = number
        result.rows.append(
            SchoolRow(
                row=number,
                county=county,
                name=values[NAME],
                kind=kind,
                ownership=ownership,
                is_central=central_text in YES,
                address=values.get(ADDRESS, ""),
            )
        )
    if not result.rows and not result.errors:
        raise _error("no_rows")
    existing = School.objects.filter(
        county_id__in={row.county.pk for row in result.rows},
        name__in={row.name for row in result.rows},
        status=School.Status.OPEN,
    )
    by_key = {(school.county_id, school.name): school for school in existing}
    for row in result.rows:
        row.existing = by_key.get((row.county.pk, row.name))
        row.compare()
    return result


def schools_import(*, data: bytes, user, source_name: str = "") -> SchoolImport:
    """Write every row of `data`, or nothing: new schools created, those matched by name in
    their county changed; one audit event per county imported into."""
    with transaction.atomic():
        result = schools_import_read(data=data, user=user)
        if not result.ok:
            raise _error("has_errors")
        # Lock the matched schools: a concurrent edit waits, then this import wins with its values.
        locked = {
            s.pk
            for s in School.objects.select_for_update().filter(
                pk__in=[r.existing.pk for r in result.rows if r.existing]
            )
        }
        new, changed = [], []
        for row in result.rows:
            school = (
                row.existing
                if row.existing is not None and row.existing.pk in locked
                else School(county=row.county, name=row.name)
            )
            if school.pk is not None and not row.changes:
                continue
            school.kind, school.ownership, school.is_central, school.address = (
                row.kind,
                row.ownership,
                row.is_central,
                row.address,
            )
            (changed if school.pk else new).append(school)
        # One save a school, not bulk writes: the field history records each (simple-history
        # follows save(), and an import is a few hundred rows at most).
        with acting_as(user):
            for school in [*new, *changed]:
                school.full_clean(validate_unique=False, validate_constraints=False)
                school.save()
        counties = {}
        for row in result.rows:
            counties.setdefault(row.county.pk, [row.county, 0, 0])
            counties[row.county.pk][1] += row.is_new
            counties[row.county.pk][2] += bool(row.changes)
        for county, created, updated in counties.values():
            log_action(
                county,
                actions.SCHOOLS_IMPORTED,
                user=user,
                data={"file": source_name, "created": created, "updated": updated},
            )
    return result
