"""An indicator sheet (指标体系) from the spreadsheet offices circulate, free of Django: openpyxl
in, plain dataclasses out, every row's errors with its row number.

It reads the template's layout (一级指标 | 二级指标 | 三级指标 | 分值 | 评分方式 | 评分标准 |
佐证材料 | 一票否决 | 数据来源) and the ones offices write themselves: 一级/二级 cells merged
down a block or left blank under the first row (a blank cell, or the same text again, means "still
under the one above"), a 序号 column, 分值 written "10分", and headings worded a little differently
(指标内容, 考核内容, 评价要点, 分值/权重, 评分细则, 备注 …).

Messages are English message ids with %(name)s parameters; the Django layer translates them.
The workbook is untrusted: the zip is checked before openpyxl opens it (read-only), formulas are
refused rather than evaluated, and the rows, columns and cells read are bounded.
"""

import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from plans.parsing.messages import N_
from plans.parsing.readers import ParseError, ReadLimits, check_office_zip

MB = 1024 * 1024
MAX_BYTES = 2 * MB
MAX_ROWS = 1_000  # rows under the header; a sheet has a few hundred at most
MAX_COLUMNS = 20
MAX_CELL = 2_000
HEADER_ROWS = 10  # the header is looked for in the first rows (a title may stand above it)

POINTS, YES_NO, SCALE, DEDUCTION = "points", "yes_no", "scale", "deduction"
SOURCES = ("plan_completion", "rectification_on_time", "visit_coverage")

# The template's columns.
L1, L2, L3, PTS, METHOD, RULE, EVIDENCE, VETO, SOURCE, CODE = (
    "一级指标",
    "二级指标",
    "三级指标",
    "分值",
    "评分方式",
    "评分标准",
    "佐证材料",
    "一票否决",
    "数据来源",
    "序号",
)
TEMPLATE_HEADERS = (L1, L2, L3, PTS, METHOD, RULE, EVIDENCE, VETO, SOURCE)
TITLE_COLUMNS = (L1, L2, L3)
# What offices write over each column, the template's word first.
ALIASES = {
    L1: ("一级指标", "一级", "一级指标名称", "评估项目", "考核项目", "评价项目", "项目"),
    L2: ("二级指标", "二级", "二级指标名称"),
    L3: (
        "三级指标",
        "三级",
        "三级指标名称",
        "指标内容",
        "考核内容",
        "评价要点",
        "评估要点",
        "考核要点",
        "评价内容",
        "评估内容",
        "考核指标",
    ),
    PTS: ("分值", "权重", "分数", "标准分", "满分", "赋分", "配分"),
    METHOD: ("评分方式", "评分方法", "计分方式", "考核方式", "评价方式", "赋分方式"),
    RULE: ("评分标准", "评分细则", "评分办法", "计分办法", "评分说明", "考核标准", "评价标准"),
    EVIDENCE: ("佐证材料", "佐证资料", "支撑材料", "证明材料", "备查材料", "备注"),
    VETO: ("一票否决", "否决项", "是否一票否决"),
    SOURCE: ("数据来源", "来源"),
    CODE: ("序号", "编号", "指标编号", "代码"),
}
_BY_ALIAS = {alias: column for column, aliases in ALIASES.items() for alias in aliases}
_TOTAL_ROWS = {"合计", "总计", "总分", "小计", "合计分值"}

METHOD_WORDS = {
    "": POINTS,
    "按标准赋分": POINTS,
    "赋分": POINTS,
    "按标准": POINTS,
    "评分": POINTS,
    "计分": POINTS,
    "是否": YES_NO,
    "是/否": YES_NO,
    "达标": YES_NO,
    "达标得分": YES_NO,
    "达标赋分": YES_NO,
    "等级": SCALE,
    "等级赋分": SCALE,
    "扣分": DEDUCTION,
    "扣分制": DEDUCTION,
}
SOURCE_WORDS = {
    "": "",
    "人工": "",
    "人工评分": "",
    "现场评分": "",
    "工作要点完成率": "plan_completion",
    "整改按时销号率": "rectification_on_time",
    "挂牌督导覆盖率": "visit_coverage",
}
VETO_YES = {"是", "√", "✓", "Y", "YES", "一票否决", "否决"}
VETO_NO = {"", "否", "×", "N", "NO", "无"}

MESSAGES = {
    # The file.
    "too_large": N_("The file is larger than %(limit)s; an indicator sheet is far smaller."),
    "not_xlsx": N_("This is not an Excel workbook (.xlsx); download the template and fill that in."),
    "unsafe": N_("The workbook contains XML declarations (DTD or entities) that Excel never writes; it was refused."),
    "no_header": N_("No sheet has a header row with the indicator columns (一级指标 … 分值); download the template."),
    "too_many_rows": N_("The sheet has more than %(limit)s rows; an indicator sheet is far shorter."),
    "no_rows": N_("The sheet lists no indicator."),
    # A row (its number is the sheet's own).
    "formula": N_("Row %(row)s: cell %(cell)s holds a formula; type the value itself (paste as values)."),
    "too_long": N_("Row %(row)s: “%(column)s” is longer than %(limit)s characters."),
    "no_title": N_("Row %(row)s: the row has no indicator; write its title in one of the 一级/二级/三级 columns."),
    "level_gap": N_("Row %(row)s: a level %(level)s indicator needs a level %(parent)s indicator above it."),
    "bad_points": N_("Row %(row)s: the points “%(value)s” are not a number (write 10 or 10分)."),
    "points_places": N_("Row %(row)s: the points “%(value)s” have more than two decimal places."),
    "no_points": N_("Row %(row)s: the scored item “%(title)s” has no points."),
    "bad_method": N_(
        "Row %(row)s: the scoring method “%(value)s” is not one of 按标准赋分, 是否, 等级 (A=1, B=0.8 …), 扣分."
    ),
    "bad_scale": N_("Row %(row)s: %(problem)s"),
    "bad_veto": N_("Row %(row)s: write 是 or 否 under 一票否决, not “%(value)s”."),
    "veto_heading": N_("Row %(row)s: only a scored item can be a veto item, not the heading “%(title)s”."),
    "bad_source": N_(
        "Row %(row)s: the data source “%(value)s” is not one of 工作要点完成率, 整改按时销号率, 挂牌督导覆盖率."
    ),
    # Scale levels (also the edit form's).
    "scale_empty": N_("Write the levels with their share of the points, as A=1, B=0.8, C=0.6."),
    "scale_item": N_("“%(value)s” is not a level with its share (as B=0.8)."),
    "scale_share": N_("The share of level %(name)s must be a number from 0 to 1."),
    "scale_repeated": N_("Level %(name)s is given twice."),
    # Warnings.
    "sum_differs": N_("Row %(row)s: “%(title)s” has %(points)s points, but its items add up to %(sum)s."),
}


@dataclass
class Row:
    """One indicator as read: a heading or a scored item (one without children)."""

    level: int
    title: str
    row: int = 0
    code: str = ""
    points: Decimal | None = None
    method: str = POINTS
    rule: str = ""
    evidence: str = ""
    scale: list = field(default_factory=list)
    veto: bool = False
    source: str = ""


@dataclass(frozen=True)
class Message:
    row: int
    code: str
    params: dict

    @property
    def text(self) -> str:
        """The English message (the Django layer translates MESSAGES[code] instead)."""
        return MESSAGES[self.code] % {"row": self.row, **self.params}


@dataclass
class SheetRead:
    rows: list[Row] = field(default_factory=list)
    errors: list[Message] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    @property
    def total(self) -> Decimal:
        return sum((row.points or Decimal(0) for row in self.rows if row.level == 1), Decimal(0))


class SheetImportError(Exception):
    """The file as a whole is refused."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code, self.params = code, params

    @property
    def text(self) -> str:
        return MESSAGES[self.code] % self.params


# --- Values ---------------------------------------------------------------------------------------


def normalize(text) -> str:
    """Full-width digits, letters and signs as ASCII, whitespace collapsed: for the cells that
    hold a figure or a keyword, never for the indicators' own words."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(text))).strip()


def points_parse(value) -> Decimal | None:
    """Points as written: 10, 7.5, "10分", "10.0"; None when blank. Raises ValueError("bad") for
    what is no number, ValueError("places") for more than two decimal places."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("bad")
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, Decimal):
        number = value
    else:
        text = normalize(value).replace(" ", "")
        if not text:
            return None
        text = re.sub(r"分$", "", text)
        if not re.fullmatch(r"\d+(\.\d+)?", text):
            raise ValueError("bad")
        number = Decimal(text)
    if number < 0 or not number.is_finite():
        raise ValueError("bad")
    if number != number.quantize(Decimal("0.01")):
        raise ValueError("places")
    return number.quantize(Decimal("0.01"))


def scale_parse(text: str) -> list[list[str]]:
    """Scale levels as written, "A=1, B=0.8, C=0.6" (or 优＝1；良＝0.8), as [["A", "1"], ["B",
    "0.8"], …]. Raises ValueError(code, params) with a MESSAGES code."""
    text = normalize(text)
    if not text:
        raise ValueError("scale_empty", {})
    levels, seen = [], set()
    for item in re.split(r"[,，;；、\s]+", text):
        if not item:
            continue
        match = re.fullmatch(r"([^=:：]{1,8})[=:：](.+)", item)
        if not match:
            raise ValueError("scale_item", {"value": item[:20]})
        name, share = match.group(1).strip(), match.group(2).strip()
        try:
            number = Decimal(share)
        except InvalidOperation:
            raise ValueError("scale_share", {"name": name}) from None
        if not number.is_finite() or not Decimal(0) <= number <= Decimal(1):
            raise ValueError("scale_share", {"name": name})
        if name in seen:
            raise ValueError("scale_repeated", {"name": name})
        seen.add(name)
        levels.append([name, str(number.normalize()) if number else "0"])
    if not levels:
        raise ValueError("scale_empty", {})
    return levels


def scale_text(levels: list) -> str:
    """Scale levels as the form shows them: "A=1, B=0.8"."""
    return ", ".join(f"{name}={share}" for name, share in levels or [])


def method_parse(text: str) -> tuple[str, list]:
    """评分方式 as (method, scale levels). "等级：A=1, B=0.8" is a scale with its levels.
    Raises ValueError(code, params)."""
    text = normalize(text)
    if "=" in text:
        head, _, levels = re.split(r"([:：])", text, maxsplit=1) if re.search(r"[:：]", text) else ("", "", text)
        if head and METHOD_WORDS.get(head.strip(), SCALE) != SCALE:
            raise ValueError("bad_method", {"value": text[:30]})
        return SCALE, scale_parse(levels)
    method = METHOD_WORDS.get(text.replace(" ", ""))
    if method is None:
        raise ValueError("bad_method", {"value": text[:30]})
    if method == SCALE:
        raise ValueError("bad_scale", {"problem": MESSAGES["scale_empty"]})
    return method, []


def parents_of(levels: list[int]) -> list[int | None]:
    """Each row's parent (an index into the list) in an outline given by levels in order: the
    nearest row above it one level up. Raises ValueError(index, level) on the first row whose
    level has no row one level up above it (a level 3 right under a level 1, a first row below 1)."""
    parents: list[int | None] = []
    last: dict[int, int] = {}  # level → index of the latest row of that level
    for index, level in enumerate(levels):
        if level == 1:
            parents.append(None)
        elif level - 1 in last:
            parents.append(last[level - 1])
        else:
            raise ValueError(index, level)
        last[level] = index
        for deeper in [key for key in last if key > level]:
            del last[deeper]
    return parents


def scored_flags(levels: list[int]) -> list[bool]:
    """Which rows are scored items: those with no deeper row right after them."""
    return [index + 1 >= len(levels) or levels[index + 1] <= level for index, level in enumerate(levels)]


def headings_sum(rows: list[Row]) -> list[Decimal | None]:
    """For each row, the sum of its children's points (None for a scored item); a child
    without points counts as 0."""
    parents = parents_of([row.level for row in rows])
    sums: list[Decimal | None] = [None] * len(rows)
    for index in range(len(rows) - 1, -1, -1):
        parent = parents[index]
        if parent is not None:
            own = rows[index].points if sums[index] is None or rows[index].points is not None else sums[index]
            sums[parent] = (sums[parent] or Decimal(0)) + (own or Decimal(0))
    return sums


def headings_fill(rows: list[Row]) -> list[Message]:
    """Give a heading without points its items' sum; warn where a heading's points differ."""
    sums = headings_sum(rows)
    warnings = []
    for row, total in zip(rows, sums, strict=True):
        if total is None:
            continue
        if row.points is None:
            row.points = total
        elif row.points != total:
            warnings.append(
                Message(row.row, "sum_differs", {"title": row.title[:40], "points": row.points, "sum": total})
            )
    return warnings


# --- The workbook --------------------------------------------------------------------------------


def _header_columns(cells) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        text = re.sub(r"\s+", "", normalize(getattr(cell, "value", None) or ""))
        text = re.sub(r"[(（][^)）]*[)）]", "", text)
        for part in [text, *re.split(r"[/、]", text)]:
            column = _BY_ALIAS.get(part)
            if column is not None:
                found.setdefault(column, index)
                break
    return found


def _find_sheet(workbook):
    """The first worksheet with a header row: (its columns, its rows under the header)."""
    for ws in workbook.worksheets[:10]:
        if not hasattr(ws, "iter_rows"):
            continue
        rows_iter = ws.iter_rows(max_col=MAX_COLUMNS)
        for number, cells in enumerate(rows_iter, start=1):
            if number > HEADER_ROWS:
                break
            columns = _header_columns(cells)
            if PTS in columns and any(title in columns for title in TITLE_COLUMNS):
                rows = []
                for below, data in enumerate(rows_iter, start=number + 1):
                    if len(rows) >= MAX_ROWS:
                        if any(getattr(c, "value", None) not in (None, "") for c in data):
                            raise SheetImportError("too_many_rows", limit=f"{MAX_ROWS:,}")
                        continue
                    rows.append((below, list(data)))
                return columns, rows
    raise SheetImportError("no_header")


def sheet_read(data: bytes) -> SheetRead:
    """The indicators of the workbook `data`, with the rows' errors and warnings. Raises
    SheetImportError for a file that is no indicator sheet."""
    if len(data) > MAX_BYTES:
        raise SheetImportError("too_large", limit=f"{MAX_BYTES // MB} MB")
    try:
        names = check_office_zip(data, ReadLimits(docx_parts=200, docx_part_bytes=10 * MB, docx_unpacked_bytes=30 * MB))
    except ParseError as refused:
        raise SheetImportError("unsafe" if refused.code == "unsafe_docx" else "not_xlsx") from None
    if "xl/workbook.xml" not in names:
        raise SheetImportError("not_xlsx")
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception:  # openpyxl raises whatever its parsers raise on a damaged file
        raise SheetImportError("not_xlsx") from None
    try:
        columns, rows = _find_sheet(workbook)
    finally:
        workbook.close()
    return rows_read(columns, rows)


def _cell_values(columns, cells, number, errors) -> dict[str, object] | None:
    values: dict[str, object] = {}
    for name, index in columns.items():
        cell = cells[index] if index < len(cells) else None
        if getattr(cell, "data_type", None) == "f":
            errors.append(Message(number, "formula", {"cell": getattr(cell, "coordinate", "?")}))
            return None
        value = getattr(cell, "value", None)
        if isinstance(value, str):
            value = value.strip()
            if len(value) > MAX_CELL:
                errors.append(Message(number, "too_long", {"column": name, "limit": MAX_CELL}))
                return None
        values[name] = value
    return values


def _text(value) -> str:
    """A cell's text as typed, blank lines and trailing spaces taken out."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "\n".join(line.strip() for line in str(value).strip().splitlines() if line.strip())


def rows_read(columns: dict[str, int], rows: list[tuple[int, list]]) -> SheetRead:
    """The indicators of rows under a header (`columns`: column name → index)."""
    result = SheetRead()
    # The title columns present, outermost first, as levels 1, 2, 3.
    titled = [name for name in TITLE_COLUMNS if name in columns]
    current: list[Row | None] = [None] * len(titled)  # the open indicator at each level
    errors = result.errors

    for number, cells in rows:
        values = _cell_values(columns, cells, number, errors)
        if values is None:
            continue
        texts = {name: _text(values.get(name)) for name in columns}
        if not any(texts.values()):
            continue  # a blank line
        new: list[tuple[int, str]] = []  # (level, title) of the indicators the row opens
        for depth, name in enumerate(titled):
            title = re.sub(r"\s+", " ", texts[name])
            if not title:
                continue
            if new or current[depth] is None or current[depth].title != title:
                new.append((depth + 1, title))
        if not new:
            if any(texts[name] in _TOTAL_ROWS for name in titled):
                continue
            errors.append(Message(number, "no_title", {}))
            continue
        if new[0][1] in _TOTAL_ROWS and len(new) == 1:
            continue  # 合计 100
        bad = False
        opened = []
        for level, title in new:
            if level > 1 and current[level - 2] is None:
                errors.append(Message(number, "level_gap", {"level": level, "parent": level - 1}))
                bad = True
                break
            row = Row(level=level, title=title[:500], row=number)
            current[level - 1] = row
            for deeper in range(level, len(current)):
                current[deeper] = None
            opened.append(row)
        if bad:
            current = [row if index < new[0][0] - 1 else None for index, row in enumerate(current)]
            continue
        item = opened[-1]  # the row's own figures belong to its deepest indicator
        item.code = normalize(texts.get(CODE, ""))[:16]
        try:
            item.points = points_parse(values.get(PTS))
        except ValueError as wrong:
            code = "points_places" if wrong.args[0] == "places" else "bad_points"
            errors.append(Message(number, code, {"value": texts.get(PTS, "")[:20]}))
            item.points = Decimal("0.00")  # said once: not "has no points" as well
        try:
            item.method, item.scale = method_parse(texts.get(METHOD, ""))
        except ValueError as wrong:
            code, params = wrong.args
            if code in ("scale_empty", "scale_item", "scale_share", "scale_repeated"):
                params = {"problem": MESSAGES[code] % params}
                code = "bad_scale"
            errors.append(Message(number, code, params))
        item.rule = texts.get(RULE, "")
        item.evidence = texts.get(EVIDENCE, "")
        veto = normalize(texts.get(VETO, "")).upper()
        if veto not in VETO_YES | VETO_NO:
            errors.append(Message(number, "bad_veto", {"value": texts.get(VETO, "")[:20]}))
        item.veto = veto in VETO_YES
        source = SOURCE_WORDS.get(normalize(texts.get(SOURCE, "")).replace(" ", ""))
        if source is None:
            errors.append(Message(number, "bad_source", {"value": texts.get(SOURCE, "")[:30]}))
        item.source = source or ""
        result.rows.extend(opened)

    levels = [row.level for row in result.rows]
    for row, scored in zip(result.rows, scored_flags(levels), strict=True):
        if scored and row.points is None and not row.veto:
            errors.append(Message(row.row, "no_points", {"title": row.title[:40]}))
        if scored and row.points is None:
            row.points = Decimal("0.00")
        if not scored and row.veto:
            errors.append(Message(row.row, "veto_heading", {"title": row.title[:40]}))
    if not result.rows and not errors:
        raise SheetImportError("no_rows")
    if not errors:
        result.warnings = headings_fill(result.rows)
    errors.sort(key=lambda message: message.row)
    return result


def template_workbook() -> bytes:
    """The template: the header row, two example rows, and a sheet saying what each column takes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "指标体系"
    sheet.append(list(TEMPLATE_HEADERS))
    sheet.append(
        [
            "一、组织领导",
            "1. 工作机构",
            "成立教育督导委员会，职责明确",
            5,
            "按标准赋分",
            "未成立的不得分；职责不明确的扣2分",
            "成立文件、职责分工文件",
            "否",
            "",
        ]
    )
    sheet.append(
        [
            "",
            "",
            "年度督导工作要点按期完成",
            5,
            "等级：A=1, B=0.8, C=0.6",
            "完成率95%以上为A，85%以上为B，其余为C",
            "工作要点及完成情况台账",
            "否",
            "工作要点完成率",
        ]
    )
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="E8EEF4")
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
    for column, width in zip("ABCDEFGHI", (16, 18, 32, 8, 22, 40, 28, 10, 16), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    notes = workbook.create_sheet("填写说明")
    for line in (
        (L1, "一级指标名称；同一一级指标下的行可留空或合并单元格"),
        (L2, "二级指标名称；同上"),
        (L3, "三级指标（评分项）；没有三级指标的表可不填"),
        (PTS, "分值，如 10 或 10分，最多两位小数；一级、二级指标的分值可留空，按下级合计"),
        (METHOD, "按标准赋分、是否、扣分，或 等级：A=1, B=0.8, C=0.6"),
        (RULE, "评分标准"),
        (EVIDENCE, "需提供的佐证材料"),
        (VETO, "是 或 否（只用于评分项）"),
        (SOURCE, "留空为人工评分；或 工作要点完成率、整改按时销号率、挂牌督导覆盖率"),
    ):
        notes.append(list(line))
    notes.column_dimensions["A"].width = 14
    notes.column_dimensions["B"].width = 70
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
