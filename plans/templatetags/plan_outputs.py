"""Display helpers of the output pages: print, calendars, reading aids on the plan page."""

import re

from django import template
from django.utils import timezone
from django.utils.translation import gettext

from schedule.calendars import calendar_today, due_date

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
