"""Display helpers of the output pages: print, calendars, reading aids on the plan page."""

import re

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from plans.templatetags.plan_extras import month_day_format, month_day_label, task_text
from schedule.calendars import calendar_today, due_date
from supervision.escaping import escape_text

register = template.Library()


@register.simple_tag
def plan_today(plan):
    """Where today falls in the plan's year (month and quarter), or None in another year."""
    year = getattr(plan, "plan_year", None)
    return calendar_today(year=year, today=timezone.localdate()) if year else None


_IMPRINT = re.compile(r"^(?P<unit>.*?)\s*(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印发)\s*$")


@register.filter
def imprint_parts(imprint: str) -> dict:
    """印发 line as the 版记 prints it: the issuing unit on the left, the date on the right."""
    match = _IMPRINT.match(imprint or "")
    if match is None:
        return {"unit": imprint or "", "date": ""}
    return {"unit": match.group("unit"), "date": match.group("date")}


@register.filter
def month_day(value) -> str:
    """A date within the plan year as its calendar writes it: 3月20日 (3/20 in English)."""
    if not value:
        return ""
    return gettext("%(month)d/%(day)d") % {"month": value.month, "day": value.day}


@register.filter
def entry_due(entry, year) -> object:
    """The date a calendar line is due by in the plan's year, or None."""
    try:
        return due_date(entry, int(year))
    except (TypeError, ValueError):
        return None


# The printed notice's tasks and annex: a large plan prints some 170 tasks and 300 calendar
# lines, and written by the template's loops they were two thirds of the page's time. Each
# writes what its loop in print.html wrote, whitespace and all.


@register.simple_tag
def print_tasks(tasks) -> str:
    """The tasks of a part of the printed notice: title and text, lead unit, work calendar."""
    lead_unit, work_calendar = escape_text(gettext("Lead unit:")), escape_text(gettext("Work calendar:"))
    out = []
    for task in tasks:
        body = task_text(task)
        label = escape_text(task.label) if task.label else f"{task.number}."
        parts = [
            f'\n      <div class="task" id="task-{task.number}">\n        \n        <p class="body-text">'
            f'<span class="task__title">{label}{escape_text(task.title)}{escape_text(body["title_end"])}</span>'
            f"{escape_text(body['lead_rest'])}</p>\n        ",
            *(f'<p class="body-text">{escape_text(paragraph)}</p>' for paragraph in body["paragraphs"]),
            "\n        \n        ",
        ]
        if task.lead_unit:
            parts.append(f'<p class="body-text task__unit">（{lead_unit}{escape_text(task.lead_unit)}）</p>')
        parts.append("\n        ")
        lines = task.schedule_lines
        if lines:
            parts.append(f'<p class="body-text task__schedule">{work_calendar}')
            last = len(lines) - 1
            parts += (
                f"{escape_text(entry.period)}，{escape_text(entry.text)}{'；' if n < last else '。'}"
                for n, entry in enumerate(lines)
            )
            parts.append("</p>")
        parts.append("\n      </div>\n      ")
        out.append("".join(parts))
    return mark_safe("".join(out))


@register.simple_tag
def print_annex(rows, year) -> str:
    """The annex's calendar lines (plans.selectors.calendars.schedule_rows), each with its due
    date in `year`."""
    due_text, day_format = gettext("due %(day)s"), month_day_format()
    out = []
    for group, entry in rows:
        due = entry_due(entry, year)
        when = ""
        if due:
            when = (
                "（"
                + due_text % {"day": escape_text(month_day_label(due.month, due.day, day_format=day_format))}
                + "）"
            )
        first = ' class="annex-table__first"' if group else ""
        out.append(
            f"\n        <tr{first}>\n"
            f'          <td class="annex-table__when">{escape_text(group)}</td>\n'
            f"          <td>{escape_text(entry.period)}</td>\n"
            f"          <td>{escape_text(entry.text)}{when}</td>\n"
            f"          <td>{escape_text(entry.lead_unit)}</td>\n"
            "        </tr>\n        "
        )
    return mark_safe("".join(out))
