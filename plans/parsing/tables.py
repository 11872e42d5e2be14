"""Calendar tables: what each column of a row holds.

A header row names the columns (序号 | 月份 | 重点工作 | 责任单位); without one, a row's cells say
what they are: a bare number is the 序号, a period is the time, the longest cell is the work and a
short cell naming an office after it is the unit that leads it.
"""

import re

from schedule.periods import parse_period, split_period

from .patterns import TABLE_HEADER_WORDS
from .text import CELL_BREAK, DITTO

NUMBER, PERIOD, WORK, UNIT, OTHER = "number", "period", "work", "unit", "other"

# Tried in order: 工作时间 is a time, 工作安排 is work, 责任科室 a unit, 配合单位 only a helper.
_HEADER_ROLES = (
    (NUMBER, re.compile(r"^(?:序号|编号|序|号)$")),
    (OTHER, re.compile(r"配合|协办|协助|参与|备注|说明|要求|标志|成果|形式|依据")),
    (
        UNIT,
        re.compile(r"(?:牵头|责任|主责|负责|承办|主办|实施)(?:单位|科室|处室|部门|股室|人)|^(?:单位|科室|处室|部门)$"),
    ),
    (PERIOD, re.compile(r"时间|月份|月历|季度|时段|时限|日期|节点|^月$|进度")),
    (WORK, re.compile(r"工作|事项|内容|任务|项目|要点|活动|名称")),
)
HEADER_WORD = re.compile("|".join(sorted(TABLE_HEADER_WORDS, key=len, reverse=True)))
UNIT_NAME = re.compile(
    r"^[\u4e00-\u9fff（）()、，,/]{2,30}?(?:科|室|处|局|办|中心|组|部|委|院|校|所|站|股|会|单位|部门|公司|学校)$"
)
NUMBER_CELL = re.compile(r"^[（(]?\d{1,3}[）)]?[.．、]?$")
DITTO_CELL = re.compile(r"^(?:〃|″|\"|同上|同前)$")


def header_role(cell: str) -> str | None:
    text = re.sub(r"\s+", "", cell)
    if not text or len(text) > 12:
        return None
    for role, pattern in _HEADER_ROLES:
        if pattern.search(text):
            return role
    return None


def header_roles(cells: tuple[str, ...]) -> tuple[str, ...] | None:
    """The roles a header row gives its columns; None when the row is not a header.

    Every cell is a short label; two at least say what their column holds, one of them the
    time or the work. A column headed by a word we do not know (督导对象) holds something else.
    """
    roles = []
    for cell in cells:
        text = re.sub(r"\s+", "", cell)
        if len(text) > 8 or text and parse_period(text) is not None:
            return None
        roles.append(header_role(text) or OTHER)
    known = [role for role, cell in zip(roles, cells) if role != OTHER or header_role(cell)]
    if len(known) < 2 or WORK not in roles and PERIOD not in roles:
        return None
    return tuple(roles)


def flat_header_roles(text: str) -> set[str]:
    """序号时间工作内容责任科室 — a header whose cells a PDF ran together, or one per line."""
    return {role for word in HEADER_WORD.findall(text) if (role := header_role(word))}


def is_ditto(cell: str) -> bool:
    return bool(DITTO_CELL.match(cell))


def is_number(cell: str) -> bool:
    return bool(NUMBER_CELL.match(cell))


def is_unit(cell: str) -> bool:
    return bool(UNIT_NAME.match(cell.replace("\n", "、")))


def inferred_roles(cells: tuple[str, ...], continuing: bool) -> tuple[str, ...] | None:
    """Roles of a row without a header, or None when it is not a calendar row.

    `continuing`: a period is already open, so an empty first cell may stand for it.
    """
    roles: list[str] = [OTHER] * len(cells)
    start = 0
    if is_number(cells[0]) and len(cells) > 2:
        roles[0], start = NUMBER, 1
    first = cells[start]
    if first and not is_ditto(first):
        period = parse_period(first.replace("\n", ""))
        if period is None:
            return None
        # 3月中  旬… is one period spaced apart, not a period and its work.
        led = split_period("".join(cells[start:]).replace("\n", ""))
        if led is None or led[0].text != period.text:
            return None
    if not first and not continuing:
        return None
    roles[start] = PERIOD
    rest = [i for i in range(start + 1, len(cells))]
    if not rest:
        return None
    work = max(rest, key=lambda i: len(cells[i]))
    roles[work] = WORK
    for i in rest:
        if i > work and is_unit(cells[i]):
            roles[i] = UNIT
            break
    return tuple(roles)


def grid_lines(rows: list[list[str]]) -> list[str]:
    """A table's rows (a Word table's or a PDF's) as the text parser reads them: cells separated
    by |, a cell's lines by CELL_BREAK, a cell merged with the one above by 〃. A table of one
    column is plain lines."""
    if max((len(row) for row in rows), default=0) <= 1:
        return [line for row in rows for cell in row for line in cell.split(CELL_BREAK) if cell != DITTO]
    lines = []
    for row in rows:
        filled = [cell for cell in row if cell and cell != DITTO]
        if len(filled) == 1 and not filled[0].isdigit():
            # A title spanning the table, or a period standing alone: a line, not a row.
            lines.extend(filled[0].split(CELL_BREAK))
        elif filled:
            lines.append(" | ".join(row))
    return lines
