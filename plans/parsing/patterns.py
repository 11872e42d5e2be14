"""What a line of a notice can be, and the small readings every part of the parser shares."""

import datetime
import re
from dataclasses import dataclass

from schedule.numerals import cn_year, to_int
from schedule.periods import Period, parse_period

SECTION1 = re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、．.]\s*(.*)$")
SECTION2 = re.compile(r"^[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]\s*(.*)$")
ITEM3 = re.compile(r"^(\d{1,3})\s*(?:[.．](?!\d)|、|[)）])\s*(.*)$")
ITEM4 = re.compile(r"^(?:[（(]\s*(\d{1,3})\s*[）)]|([\u2460-\u2473]))\s*(.*)$")
PROJECT = re.compile(
    r"^(第([一二三四五六七八九十百零\d]{1,5})[项个](?:工程|行动|计划|项目|任务)?)"
    r"\s*(?:——|—|－|-|：|:|、)?\s*(.*)$"
)
_CAL_WORDS = r"(?:工作月历|月历|时间安排|进度安排|时间节点|工作进度|进度要求|完成时限|完成时间)"
CAL_LABEL = re.compile(rf"^(?:[【\[]{_CAL_WORDS}[】\]]\s*[：:]?|{_CAL_WORDS}\s*[：:])\s*(.*)$")
NOTE = re.compile(r"^(?:备注|附注|注)\s*[：:]\s*(.*)$")
CC = re.compile(r"^抄\s*送\s*[：:]?\s*(.*)$")
_DATE = (
    r"(?P<y>\d{4}|[〇○零一二三四五六七八九OＯ]{4})\s*年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,2})\s*月"
    r"\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日"
)
DATE_LINE = re.compile(rf"^{_DATE}$")
IMPRINT = re.compile(rf"^(?P<unit>.*?)\s*{_DATE}\s*印发$")
DISCLOSURE = re.compile(r"^[（(](?:此件)?(?:主动公开|依申请公开|不予公开|公开发布|不公开)[）)]$")
DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,12}?)\s*[〔\[［【(（]\s*(\d{4})\s*[〕\]］】)）]\s*第?(\d{1,4})\s*号")
_OFFICE_END = (
    r"(?:督导委员会办公室|督导办公室|教育督导室|督导室|督导办|督导委员会|教育局|教育厅|教育委员会|教委"
    r"|教育体育局|教体局|办公室|委员会|人民政府)"
)
OFFICE_LINE = re.compile(rf"^[\u4e00-\u9fff（）]{{2,40}}?{_OFFICE_END}(?:文件)?$")
OFFICE_PREFIX = re.compile(rf"^([\u4e00-\u9fff（）]{{2,40}}{_OFFICE_END})")
OFFICE_AND_DATE = re.compile(rf"^(?P<office>[\u4e00-\u9fff（）]{{2,40}}?{_OFFICE_END})\s*{_DATE}$")
ATTACHMENT = re.compile(r"^附\s*件\s*(?:\d+|[一二三四五六七八九十]+)?\s*[：:]?\s*(.*)$")
TITLE_WORDS = re.compile(r"工作要点|要点|工作计划|工作重点|工作思路|工作安排")
PART_TITLE_END = re.compile(r"(?:要点|计划|安排|工程|项目|行动|思路|月历|行事历|一览表|进度表)$")
SCHEDULE_TITLE = re.compile(r"月历|行事历|安排|进度|时间表|分月|分季度|一览表")
TERMINAL = re.compile(r"[。！？!?；;…][”’）)」』]*$")
YEAR_IN_TITLE = re.compile(r"(\d{4}|[〇○零一二三四五六七八九]{4})\s*(?:年|学年|—|-)")
TABLE_HEADER_WORDS = (
    "时间",
    "工作事项",
    "工作内容",
    "工作任务",
    "重点工作",
    "主要工作",
    "序号",
    "月份",
    "季度",
    "责任单位",
    "牵头单位",
    "责任处室",
    "配合单位",
    "完成时限",
    "完成时间",
    "备注",
    "具体内容",
    "工作安排",
    "内容",
    "事项",
    "项目",
    "主要内容",
    "责任科室",
    "牵头科室",
    "牵头处室",
    "责任部门",
    "负责科室",
    "时间安排",
    "时间节点",
    "工作时间",
    "推进时间",
    "日期",
    "编号",
    "主要任务",
    "具体任务",
)
TABLE_HEADER = re.compile("^(?:" + "|".join(sorted(TABLE_HEADER_WORDS, key=len, reverse=True)) + ")+$")
LEAD_UNIT = re.compile(
    r"[（(](?:牵头|责任|主责|负责|承办)(?:单位|处室|科室|部门)?[：:]\s*([^；;，,）)]+?)"
    r"(?:[；;，,][^）)]*)?[）)]"
)
# Parentheses that say who leads or by when, not what: kept in the text, not in the title.
ANNOTATION = re.compile(r"[（(][^）)]*(?:牵头|责任|主责|负责|承办|配合|时间|时限)[^）)]*[：:][^）)]*[）)]")
# （牵头单位：督导一处；完成时间：6月底前）— a task's deadline written inside its text.
INLINE_DEADLINE = re.compile(r"[（(][^）)]*?(?:完成时间|完成时限|时间节点|时间安排|时间)[：:]\s*([^；;，,）)]+)")
LEAD_LINE = re.compile(r"(?:^|\n)(?:牵头|责任|主责|负责|承办)(?:单位|处室|科室|部门)\s*[：:]\s*([^；;。\n]+)")
LEAD_BY = re.compile(r"由([\u4e00-\u9fff、]{2,30}?)(?:牵头|负责)")
CLAUSE_SPLIT = re.compile(r"[；;。]")
INLINE_ITEMS = re.compile(r"(?:^|(?<=[；;。]))\s*(?:\d{1,2}\s*[.．、](?!\d)|[（(]\d{1,2}[）)])\s*|(?<=[；;])")
TITLE_MAX = 100
# Every county of the region: 各县（市、区）, 各县(市)区, 各县市区, 各区县, 各县级督导部门; and 各地
# or 各市、区, which mean the counties only in a city's notice (see document._mark_all_counties).
_COUNTY_SETS = (
    r"县\s*[（(]\s*(?:市\s*[、,，]?\s*区|区\s*[、,，]?\s*市|市|区)\s*[）)]\s*(?:[、,，]?\s*(?:区|市))?"
    r"|县\s*[、]\s*市\s*[、]\s*区|县市区|县区市|区县市|市县区|区县|县区|县市"
)
ALL_COUNTIES = re.compile(
    rf"(?:各|所有|全部)(?:{_COUNTY_SETS})"
    r"|各县级(?:教育)?(?:督导|政府|人民政府|教育)"
    r"|(?<![国省外])(?P<anywhere>各地(?![市州级方域])"
    r"|各市\s*(?:[、,，]\s*区|[（(]\s*(?:区|县)\s*[）)](?:\s*[、,，]?\s*区)?|区))"
)


def ends_sentence(text: str) -> bool:
    return bool(TERMINAL.search(text))


def period_heading(text: str) -> Period | None:
    """一月份： / 七、八月份 / 一季度 / 一、1月 standing alone as a heading."""
    if DATE_LINE.match(text):
        return None
    period = parse_period(text)
    if period is None:
        section = SECTION1.match(text)
        if section and section[2]:
            period = parse_period(section[2])
    return period


@dataclass
class Line:
    no: int
    text: str
    # A table row's cells (a cell's own lines joined by \n); () for a line of running text.
    cells: tuple[str, ...] = ()
    # Leading whitespace: a table row's continuation is indented to its second column.
    indent: int = 0
    # The cells are ruled (pipes, a Word table), not only aligned by spaces or tabs.
    ruled: bool = False


def read_date(match) -> datetime.date | None:
    year, month, day = (
        cn_year(match["y"].replace("O", "〇").replace("Ｏ", "〇")),
        to_int(match["m"]),
        to_int(match["d"]),
    )
    try:
        return datetime.date(year, month, day)
    except (TypeError, ValueError):
        return None


def imprint_date(imprint: str) -> datetime.date | None:
    """The date of a 印发 line (郑州市教育局办公室 2017年2月20日印发), or None."""
    match = IMPRINT.match((imprint or "").strip())
    return read_date(match) if match else None


def split_list(text: str) -> list[str]:
    """Split 主送/抄送 on top-level commas: 各县（市、区）教育局，市直各学校 → two."""
    items, depth, current = [], 0, ""
    for char in text.strip().rstrip("。：:;；"):
        if char in "（(《":
            depth += 1
        elif char in "）)》":
            depth = max(0, depth - 1)
        if char in "，,;；" and depth == 0:
            items.append(current)
            current = ""
        else:
            current += char
    items.append(current)
    return [item.strip() for item in items if item.strip()]


def excerpt(text: str, size: int = 30) -> str:
    return text if len(text) <= size else text[:size] + "…"


def title_of(body: str) -> tuple[str, bool]:
    """The lead phrase up to the first full stop; shortened at a clause when it runs long."""
    body = ANNOTATION.sub("", body).strip()
    title = re.split(r"[。！？!?\n]", body, maxsplit=1)[0].strip()
    if len(title) <= TITLE_MAX:
        return title, False
    clause = re.split(r"[，；,;：:]", title, maxsplit=1)[0]
    if len(clause) <= TITLE_MAX:
        return clause, True
    return title[: TITLE_MAX - 1] + "…", True
