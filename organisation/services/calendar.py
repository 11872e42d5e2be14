"""The official calendar from the database, kept once per process, and a year's notice loaded.

Every due date and working-day count asks `official_calendar_get()`. Loading a year
(`official_year_load`) replaces its days, tells every process (a version in the shared cache,
checked at most every few seconds), and moves the due dates of the open assignments that the
year's data changes; a due date staff moved keeps its date and reason.
"""

import datetime
import time
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from organisation.models import OfficialCalendarDay, OfficialCalendarYear
from organisation.signals import official_calendar_changed
from schedule.workdays import OfficialCalendar

_VERSION_KEY = "plans:official-calendar:version"
# How long a process trusts its copy before it asks the shared cache whether a year was loaded.
_RECHECK_SECONDS = 2.0
_kept: dict = {"version": None, "value": None, "checked": 0.0}


def official_calendar_build() -> OfficialCalendar:
    days_off, working = [], []
    for date, kind in OfficialCalendarDay.objects.values_list("date", "kind"):
        (days_off if kind == OfficialCalendarDay.Kind.OFF else working).append(date)
    years = OfficialCalendarYear.objects.values_list("year", flat=True)
    return OfficialCalendar.from_days(days_off=days_off, working_days=working, years=years)


def official_calendar_get() -> OfficialCalendar:
    """The official calendar, built once per process and rebuilt after a year is loaded."""
    now = time.monotonic()
    if _kept["value"] is not None and now - _kept["checked"] < _RECHECK_SECONDS:
        return _kept["value"]
    version = cache.get(_VERSION_KEY)
    if _kept["value"] is None or (version is not None and version != _kept["version"]):
        # The version is read before the build: a load during the build makes the next call build again.
        if version is None:
            version = uuid.uuid4().hex
            cache.add(_VERSION_KEY, version, timeout=None)
        _kept.update(value=official_calendar_build(), version=version)
    elif version is None:
        # The shared cache lost the key (evicted, cleared): what this process holds is current.
        cache.add(_VERSION_KEY, _kept["version"], timeout=None)
    _kept["checked"] = now
    return _kept["value"]


def official_calendar_invalidate() -> None:
    cache.set(_VERSION_KEY, uuid.uuid4().hex, timeout=None)
    _kept.update(value=None, version=None, checked=0.0)


def official_years_missing(*, today: datetime.date | None = None) -> list[int]:
    """This year and the next when the calendar has no data for them (offices plan next year's
    work from the autumn on)."""
    today = today or timezone.localdate()
    wanted = [today.year, today.year + 1]
    known = set(OfficialCalendarYear.objects.filter(year__in=wanted).values_list("year", flat=True))
    return [year for year in wanted if year not in known]


@dataclass
class YearLoadResult:
    year: int
    days_off: int
    working_days: int
    replaced: bool
    # Open assignments whose due date moved, and those whose date staff had moved (kept).
    due_dates_moved: int = 0
    due_dates_kept: int = 0
    flags_cleared: int = 0


@transaction.atomic
def official_year_load(
    *,
    year: int,
    days_off: dict[datetime.date, str],
    working_days: dict[datetime.date, str],
    source: str,
    notice_text: str = "",
    acting_user=None,
) -> YearLoadResult:
    """Replace `year`'s days with the ones given and bring due dates up to date."""
    row = OfficialCalendarYear.objects.select_for_update().filter(year=year).first()
    replaced = row is not None
    if row is None:
        row = OfficialCalendarYear(year=year)
    row.source, row.notice_text = source, notice_text
    row.loaded_at, row.loaded_by = timezone.now(), acting_user
    row.save()
    row.days.all().delete()
    dates = set(days_off) | set(working_days)
    # A day another year's notice gave (元旦 across the new year) now belongs to this one.
    OfficialCalendarDay.objects.filter(date__in=dates).delete()
    OfficialCalendarDay.objects.bulk_create(
        [OfficialCalendarDay(calendar_year=row, date=d, kind="off", name=n[:64]) for d, n in sorted(days_off.items())]
        + [
            OfficialCalendarDay(calendar_year=row, date=d, kind="working", name=n[:64])
            for d, n in sorted(working_days.items())
        ],
        batch_size=500,
    )
    result = YearLoadResult(year, len(days_off), len(working_days), replaced)
    official_year_refresh(year=year, acting_user=acting_user, result=result)
    return result


def official_year_refresh(*, year: int, acting_user=None, result: YearLoadResult | None = None) -> YearLoadResult:
    """A year's days changed (loaded, or edited in the admin): every process reads the calendar
    again after the commit, and the open assignments' due dates follow it."""
    if result is None:
        days = OfficialCalendarDay.objects.filter(calendar_year__year=year)
        result = YearLoadResult(
            year, days.filter(kind="off").count(), days.filter(kind="working").count(), replaced=True
        )
    transaction.on_commit(official_calendar_invalidate)
    # Built from this transaction's rows, kept out of the process's copy until the commit.
    # The areas whose due dates follow the calendar move them (tracking.signals).
    official_calendar_changed.send(
        sender=OfficialCalendarYear,
        year=year,
        calendar=official_calendar_build(),
        acting_user=acting_user,
        result=result,
    )
    return result
