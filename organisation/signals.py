"""What the organisation area tells the areas above it, which it does not import."""

from django.dispatch import Signal

# A year of the official calendar was loaded or edited, inside the transaction that did it:
# year, calendar (the new schedule.workdays.OfficialCalendar), acting_user, result (YearLoadResult,
# whose due-date counts the receivers fill in).
official_calendar_changed = Signal()

# The division table was loaded in bulk (no model signals): caches built from it are stale.
divisions_loaded = Signal()
