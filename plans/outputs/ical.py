"""A plan's and an office's calendar lines as iCalendar feeds, read by calendar clients at an
address that holds the user's secret (plans.outputs.feeds): a feed shows what that user may
read, nothing more."""

import datetime
import re
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from organisation.models import Office
from plans.models import WorkPlan
from plans.permissions import plan_reader, readable_plans_q
from plans.selectors.calendars import FeedLine, feed_lines
from schedule.calendars import due_date
from supervision.prepared import Prepared

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


_ESCAPED = re.compile(r"[\\;,\r\n]")
_LINE_BREAK = "\\n"  # a line break in a TEXT value, escaped


def _text(value: str) -> str:
    """A TEXT value as RFC 5545 escapes it (as icalendar does). Most Chinese text holds none of
    the characters escaped (its commas and semicolons are full-width): one search finds that."""
    if _ESCAPED.search(value) is None:
        return value
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _folded(line: str) -> str:
    """`line` folded at 75 octets (RFC 5545 3.1), between characters, never inside an escape.
    Cut on the UTF-8 bytes (a continuation byte is 10xxxxxx): a character at a time, a feed's
    thousands of long Chinese lines were half of its time."""
    if len(line) * 4 < 75:
        return line
    data = line.encode()
    if len(data) < 75:
        return line
    chunks, start = [], 0
    while len(data) - start >= 75:
        end = start + 74
        while data[end] & 0xC0 == 0x80:
            end -= 1
        if end - start > 1 and data[end - 1] == 0x5C:  # a backslash begins the next line
            end -= 1
        chunks.append(data[start:end].decode())
        start = end
    chunks.append(data[start:].decode())
    return "\r\n ".join(chunks)


def _stamp(moment: datetime.datetime) -> str:
    if moment.tzinfo is None:
        return moment.strftime("%Y%m%dT%H%M%S")
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


@dataclass(frozen=True)
class _Words:
    """The feed's words in the request's language, translated once a feed rather than once a
    line (gettext was a quarter of a feed's events' time)."""

    task: str
    lead_unit: str
    counties: str
    due: str
    categories: str  # the CATEGORIES line of a deadline, folded

    @classmethod
    def now(cls) -> "_Words":
        return cls(
            task=gettext("Task %(number)s: %(title)s"),
            lead_unit=gettext("Lead unit: %(unit)s"),
            counties=gettext("Counties: %(names)s"),
            due=gettext("Due: %(what)s"),
            categories=_folded(f"CATEGORIES:{_text(gettext('Deadline'))}"),
        )


@dataclass(frozen=True)
class _PlanHead:
    """What every event of a plan's lines repeats, made once a feed."""

    year: int
    title_text: str  # the plan's title, escaped
    url_line: str  # the URL property, folded
    stamp: str
    status: str  # its status label when it is not issued, else ""


def _entry_events(entry: FeedLine, head: _PlanHead, words: _Words) -> str:
    """The events of one calendar line, as iCalendar text: its due day when it states one,
    otherwise all-day events over the months it falls in. UIDs come from the line's key, so a
    client updates an event when the line changes instead of adding another.

    Written here rather than through icalendar's components: a feed of an office's plans holds
    thousands of events, and the library's properties and folding were most of its time."""
    year = head.year
    summary = f"{entry.period} {entry.text}"
    if len(summary) > 120:
        summary = summary[:119] + "…"
    # The description's lines escaped one by one and joined by an escaped line break.
    lines = [head.title_text]
    if entry.task_number is not None:
        lines.append(_text(words.task % {"number": entry.task_number, "title": entry.task_title}))
    lines.append(_text(f"{entry.period}：{entry.text}"))
    if entry.lead_unit:
        lines.append(_text(words.lead_unit % {"unit": entry.lead_unit}))
    if entry.counties:
        lines.append(_text(words.counties % {"names": "、".join(entry.counties)}))
    if head.status:
        summary = f"[{head.status}] {summary}"
    due = due_date(entry, year)
    if due is not None:
        spans = [(due, due + datetime.timedelta(days=1))]
        summary = words.due % {"what": summary}
    else:
        spans = [
            (datetime.date(year, first, 1), _month_after(year, last)) for first, last in _month_runs(entry.month_list)
        ]
    # The same for every event of the line. All-day work does not make anyone busy.
    body = (
        f"{_folded(f'SUMMARY:{_text(summary)}')}\r\nDTSTAMP:{head.stamp}\r\n"
        f"{_folded('DESCRIPTION:' + _LINE_BREAK.join(lines))}\r\n{head.url_line}\r\nTRANSP:TRANSPARENT\r\n"
    )
    if due is not None:
        body += f"{words.categories}\r\n"
    uid = f"UID:{_text(str(entry.key))}"
    events = []
    for index, (start, end) in enumerate(spans):
        suffix = f"-{index + 1}" if index else ""
        events.append(
            f"BEGIN:VEVENT\r\n{_folded(f'{uid}{suffix}@{FEED_UID_DOMAIN}')}\r\n"
            f"DTSTART;VALUE=DATE:{_date(start)}\r\nDTEND;VALUE=DATE:{_date(end)}\r\n{body}END:VEVENT\r\n"
        )
    return "".join(events)


def _date(day: datetime.date) -> str:
    # A DATE value, 20250301: a fifth of the time of strftime's "%Y%m%d".
    return day.isoformat().replace("-", "")


_CALENDAR_HEAD = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Supervision Planner//督导工作台//ZH\r\n"
    "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n"
)


def feed_calendar(*, name: str, plans: list[WorkPlan], plan_url) -> bytes:
    """An iCalendar file of every calendar line of `plans` (`plan_url(plan)` → its address).
    The calendar's own properties as icalendar writes them (in its order: VERSION first)."""
    words = _Words.now()
    heads = {
        plan.pk: _PlanHead(
            year=plan.plan_year,
            title_text=_text(plan.title),
            url_line=_folded(f"URL:{plan_url(plan)}"),
            stamp=_stamp(plan.updated_at or timezone.now()),
            status="" if plan.status in WorkPlan.ISSUED else plan.get_status_display(),
        )
        for plan in plans
    }
    # Each plan's lines in turn, the plans by id.
    events = [
        _entry_events(entry, heads[entry.plan_id], words)
        for entry in feed_lines(sorted(plans, key=lambda plan: plan.pk))
    ]
    head = f"{_CALENDAR_HEAD}{_folded(f'X-WR-CALNAME:{_text(name)}')}\r\nX-WR-TIMEZONE:Asia/Shanghai\r\n"
    return "".join([head, *events, "END:VCALENDAR\r\n"]).encode()


def _office_feed_plans(*, office_id: int, year_from: int, year_to: int, **reader) -> QuerySet[WorkPlan]:
    where = readable_plans_q(**reader)
    return (
        (WorkPlan.objects.all() if where is None else WorkPlan.objects.filter(where))
        .filter(office_id=office_id, revision_of__isnull=True, plan_year__gte=year_from, plan_year__lte=year_to)
        .only("id", "title", "plan_year", "status", "updated_at", "office_id", "revision_of_id")
        .order_by("plan_year", "title", "pk")
    )


# Calendar clients poll every feed: compiled once a process.
_office_feed_plans_read = Prepared(_office_feed_plans)


def office_feed_plans(*, office: Office, user, today: datetime.date | None = None) -> list[WorkPlan]:
    """The plans of `office` that `user` may read, of last year, this year and next (a draft
    revision is left out: its plan stands for it until it is published)."""
    year = (today or timezone.localdate()).year
    return list(
        _office_feed_plans_read(
            office_id=office.pk,
            year_from=year - FEED_YEARS_BACK,
            year_to=year + FEED_YEARS_AHEAD,
            **plan_reader(user),
        )
    )
