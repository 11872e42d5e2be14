"""How urgent a county's obligation is, defined once (no Django import): overdue, due soon,
late to acknowledge. The portal, the dashboards, the province's figures and the reminders ask
these; the queryset form of "overdue" (Assignment.objects.overdue) says the same in SQL.

- Open work is work the county still owes: not yet acknowledged, acknowledged, reported and
  awaiting review, or returned. Accepted and withdrawn work is closed.
- Overdue: open, and its due date has passed (the due date itself is still on time).
- Due soon: open, due within DUE_SOON_WORKING_DAYS working days of today.
- Late to acknowledge (签收): not acknowledged after ACKNOWLEDGE_WITHIN_WORKING_DAYS working days
  since it was sent.
"""

import datetime

from schedule.workdays import OfficialCalendar

OPEN_STATES = frozenset({"assigned", "acknowledged", "reported", "returned"})
DUE_SOON_WORKING_DAYS = 7
ACKNOWLEDGE_WITHIN_WORKING_DAYS = 3

DONE, WITHDRAWN, OVERDUE, SOON, OPEN = "done", "withdrawn", "overdue", "soon", "open"


def is_overdue(*, state: str, due: datetime.date, today: datetime.date) -> bool:
    return state in OPEN_STATES and due < today


def due_soon_until(today: datetime.date, calendar: OfficialCalendar) -> datetime.date:
    """The last day that counts as due soon."""
    return calendar.working_days_after(today, DUE_SOON_WORKING_DAYS)


def urgency(*, state: str, due: datetime.date, today: datetime.date, soon: datetime.date) -> str:
    """done, withdrawn, overdue (red), soon (yellow), or open."""
    if state == "accepted":
        return DONE
    if state == "withdrawn":
        return WITHDRAWN
    if due < today:
        return OVERDUE
    if due <= soon:
        return SOON
    return OPEN


def is_late_to_acknowledge(*, sent: datetime.date, today: datetime.date, calendar: OfficialCalendar) -> bool:
    """Whether work sent on `sent` and not acknowledged yet is late on `today` (counting stops
    at the limit: a year-old sending day would otherwise walk a year of days)."""
    limit = ACKNOWLEDGE_WITHIN_WORKING_DAYS
    return calendar.working_days_between(sent, today, at_most=limit + 1) > limit
