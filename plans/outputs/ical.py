"""A plan's and an office's calendar lines as iCalendar feeds, read by calendar clients at an
address that holds the user's secret (plans.outputs.feeds): a feed shows what that user may
read, nothing more."""

import datetime
from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext

from organisation.models import Office
from plans.models import ScheduleEntry, WorkPlan
from plans.selectors.calendars import calendar_lines
from plans.selectors.plans import work_plan_visible
from schedule.calendars import due_date

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


def _text(value: str) -> str:
    """A TEXT value as RFC 5545 escapes it (as icalendar does)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _folded(line: str) -> str:
    """`line` folded at 75 octets (RFC 5545 3.1), between characters, never inside an escape."""
    if len(line) * 4 < 75 or len(line.encode()) < 75:
        return line
    lines, current, size = [], [], 0
    for char in line:
        width = len(char.encode())
        if current and size + width >= 75:
            if len(current) > 1 and current[-1] == "\\":
                carried = current.pop()
                lines.append("".join(current))
                current, size = [carried], 1
            else:
                lines.append("".join(current))
                current, size = [], 0
        current.append(char)
        size += width
    lines.append("".join(current))
    return "\r\n ".join(lines)


def _stamp(moment: datetime.datetime) -> str:
    if moment.tzinfo is None:
        return moment.strftime("%Y%m%dT%H%M%S")
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _entry_events(entry: ScheduleEntry, plan: WorkPlan, plan_url: str, stamp: str) -> Iterator[str]:
    """The events of one calendar line, as iCalendar text: its due day when it states one,
    otherwise all-day events over the months it falls in. UIDs come from the line's key, so a
    client updates an event when the line changes instead of adding another.

    Written here rather than through icalendar's components: a feed of an office's plans holds
    thousands of events, and the library's properties and folding were most of its time."""
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
    due = due_date(entry, year)
    if due is not None:
        spans = [(due, due + datetime.timedelta(days=1))]
        summary = gettext("Due: %(what)s") % {"what": summary}
    else:
        spans = [
            (datetime.date(year, first, 1), _month_after(year, last)) for first, last in _month_runs(entry.month_list)
        ]
    # The same for every event of the line.
    common = [
        _folded(f"SUMMARY:{_text(summary)}"),
        f"DTSTAMP:{stamp}",
        _folded(f"DESCRIPTION:{_text(chr(10).join(lines))}"),
        _folded(f"URL:{plan_url}"),
        # All-day work does not make anyone busy.
        "TRANSP:TRANSPARENT",
    ]
    if due is not None:
        common.append(_folded(f"CATEGORIES:{_text(gettext('Deadline'))}"))
    body = "\r\n".join(common)
    for index, (start, end) in enumerate(spans):
        suffix = "" if index == 0 else f"-{index + 1}"
        yield (
            "BEGIN:VEVENT\r\n"
            f"{_folded(f'UID:{_text(str(entry.key))}{suffix}@{FEED_UID_DOMAIN}')}\r\n"
            f"DTSTART;VALUE=DATE:{start:%Y%m%d}\r\n"
            f"DTEND;VALUE=DATE:{end:%Y%m%d}\r\n"
            f"{body}\r\n"
            "END:VEVENT\r\n"
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
    # Each plan's address and time stamp once, not once an event.
    urls, stamps = {}, {}
    events = []
    # Each plan's lines in turn, the plans by id.
    for entry in calendar_lines(sorted(plans, key=lambda plan: plan.pk)) if plans else []:
        plan = by_id[entry.plan_id]
        if plan.pk not in urls:
            urls[plan.pk] = plan_url(plan)
            stamps[plan.pk] = _stamp(plan.updated_at or timezone.now())
        events.extend(_entry_events(entry, plan, urls[plan.pk], stamps[plan.pk]))
    head, end = cal.to_ical().rsplit(b"END:VCALENDAR", 1)
    return b"".join([head, "".join(events).encode(), b"END:VCALENDAR", end])


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
