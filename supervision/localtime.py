"""Times as people read them: in the site's time zone (settings.TIME_ZONE), whatever the server's
clock or the database's. Aware datetimes are stored in UTC; every page, workbook, mail and
printout that shows one goes through here, so that the 报送时间 in a workbook is the one on the
page."""

import datetime

from django.utils import timezone

# "2026-03-02 12:01": how pages, workbooks and mail write a moment.
MINUTE_FORMAT = "%Y-%m-%d %H:%M"


def site_localtime(value: datetime.datetime) -> datetime.datetime:
    """`value` in the site's time zone (a naive value is taken to be in it already)."""
    if timezone.is_naive(value):
        return value
    return timezone.localtime(value, timezone.get_default_timezone())


def site_today() -> datetime.date:
    """Today's date in the site's time zone (the server's clock may run in UTC)."""
    return site_localtime(timezone.now()).date()


def local_minute_text(value: datetime.datetime | None) -> str:
    """ "2026-03-02 12:01" in the site's time zone; "" for no time."""
    if value is None:
        return ""
    return site_localtime(value).strftime(MINUTE_FORMAT)


def datetime_attribute(value: datetime.datetime | None) -> str:
    """A valid HTML global date and time (for <time datetime>): the site's local time with its
    offset, to the second ("2026-03-02T12:01:07+08:00"; HTML allows at most three decimals, so
    microseconds would make it invalid)."""
    if value is None:
        return ""
    return site_localtime(value).replace(microsecond=0).isoformat()
