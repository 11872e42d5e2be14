"""The State Council's yearly holiday notice (国务院办公厅关于XXXX年部分节假日安排的通知), read into
days off and adjusted working days.

The notice has one numbered item per holiday, in a form unchanged for twenty years:

    一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
    二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。
        2月14日（周六）、2月28日（周六）上班。
    三、清明节：4月4日至6日放假，共3天。
    一、元旦：2022年12月31日至2023年1月2日放假调休，共3天。   (a break across the new year)
    一、元旦：1月1日放假，与周末连休。

A sentence that says 放假 gives days off (every day of its range, weekends included, as the
notice counts them in 共N天); a sentence that says 上班 gives working days. Dates without a year
are in the notice's year; a range's end without a month is in its start's month.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field


def N_(message: str) -> str:
    """Marks a message for translation where it is shown (the admin form), not here."""
    return message


_ITEM = re.compile(r"(?:^|\n|(?<=。))\s*([一二三四五六七八九十]+)、\s*([^：:\n]{1,20})[：:]")
_YEAR_TITLE = re.compile(r"(\d{4})\s*年\s*(?:部分)?节假日")
# 2022年12月31日 / 1月1日 / 3日, each with an optional note in brackets (周六, 农历…).
_DATE = r"(?:(?P<{p}y>\d{{4}})年)?(?:(?P<{p}m>\d{{1,2}})月)?(?P<{p}d>\d{{1,2}})日(?:[（(][^）)]*[）)])?"
_RANGE = re.compile(_DATE.format(p="a") + r"(?:\s*(?:至|到|—|-|~)\s*" + _DATE.format(p="b") + r")?")


@dataclass
class HolidayNotice:
    year: int | None
    # date -> the holiday's name as the notice gives it
    days_off: dict[datetime.date, str] = field(default_factory=dict)
    working_days: dict[datetime.date, str] = field(default_factory=dict)
    # Sentences that name dates but say neither 放假 nor 上班, for the reader to check.
    unread: list[str] = field(default_factory=list)


class HolidayNoticeError(ValueError):
    """`message` is an English message id (translated by the caller) with %-style `params`."""

    def __init__(self, message: str, **params):
        super().__init__(message % params if params else message)
        self.message, self.params = message, params


def _normalise(text: str) -> str:
    # Full-width digits and brackets as some copies of the notice have them.
    text = unicodedata.normalize("NFKC", text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _dates_in(sentence: str, year: int) -> list[datetime.date]:
    found = []
    month = None
    for match in _RANGE.finditer(sentence):
        start_year = int(match["ay"]) if match["ay"] else year
        start_month = int(match["am"]) if match["am"] else month
        if start_month is None:
            raise HolidayNoticeError(N_("No month is given for the day in: %(text)s"), text=sentence)
        start = datetime.date(start_year, start_month, int(match["ad"]))
        month = start_month
        if match["bd"] is None:
            found.append(start)
            continue
        end_month = int(match["bm"]) if match["bm"] else start_month
        end_year = int(match["by"]) if match["by"] else (start_year + 1 if end_month < start_month else start_year)
        end = datetime.date(end_year, end_month, int(match["bd"]))
        if end < start or (end - start).days > 31:
            raise HolidayNoticeError(N_("The range does not read as a holiday: %(text)s"), text=match.group(0))
        month = end_month
        day = start
        while day <= end:
            found.append(day)
            day += datetime.timedelta(days=1)
    return found


def parse_holiday_notice(text: str, *, year: int | None = None) -> HolidayNotice:
    """Read the notice's days off and working days. `year` is the notice's year; without it the
    title (2027年部分节假日安排) gives it. Raises HolidayNoticeError when no holiday item is found
    or a date cannot be read."""
    text = _normalise(text)
    if year is None:
        title = _YEAR_TITLE.search(text)
        if title is None:
            raise HolidayNoticeError(N_("The notice does not state its year (…年部分节假日安排): give the year."))
        year = int(title.group(1))
    items = list(_ITEM.finditer(text))
    if not items:
        raise HolidayNoticeError(N_("No numbered holiday item (一、元旦：…) was found in the text."))
    notice = HolidayNotice(year=year)
    for index, item in enumerate(items):
        name = item.group(2).strip()
        end = items[index + 1].start() if index + 1 < len(items) else len(text)
        body = text[item.end() : end]
        # The closing paragraph (节假日期间，各地区、各部门要…) follows the last item.
        body = body.split("\n\n")[0]
        for sentence in re.split(r"[。；;\n]", body):
            sentence = sentence.strip()
            if not sentence or not _RANGE.search(sentence):
                continue
            dates = _dates_in(sentence, year)
            if any(word in sentence for word in ("放假", "休息", "补休")):
                for day in dates:
                    notice.days_off[day] = name
            elif "上班" in sentence:
                for day in dates:
                    notice.working_days[day] = name
            else:
                notice.unread.append(sentence)
    if not notice.days_off:
        raise HolidayNoticeError(N_("No day off (放假) was found in the text."))
    clash = set(notice.days_off) & set(notice.working_days)
    if clash:
        raise HolidayNoticeError(
            N_("%(date)s is given both as a day off and as a working day."), date=min(clash).isoformat()
        )
    return notice
