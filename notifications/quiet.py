"""Quiet hours: a person's period of the day (site local time) in which nothing reaches them."""

import datetime

from django.utils import timezone

from supervision.localtime import site_localtime


def quiet_until(now: datetime.datetime, start: datetime.time, end: datetime.time) -> datetime.datetime | None:
    """The end of the quiet period `now` falls in (an aware datetime), or None when it falls in
    none. A period may run over midnight (22:00–07:00); start == end means none."""
    if start == end:
        return None
    local = site_localtime(now)
    clock = local.time()
    today = local.date()
    if start < end:
        inside, end_day = start <= clock < end, today
    else:
        inside = clock >= start or clock < end
        end_day = today + datetime.timedelta(days=1) if clock >= start else today
    if not inside:
        return None
    naive = datetime.datetime.combine(end_day, end)
    return timezone.make_aware(naive, timezone.get_default_timezone())
