"""Reference data: the division table, functional zones and the official calendar's years."""

from pathlib import Path

from django.conf import settings
from django.db import transaction

from organisation.calendar_data import package_years_load
from organisation.divisions import divisions_load
from organisation.models import (
    County,
    CountyAlias,
    OfficialCalendarDay,
    OfficialCalendarYear,
    Region,
)

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


@transaction.atomic
def reference_data_load(*, fixtures_dir: Path = FIXTURES_DIR) -> dict[str, int]:
    """Load (or refresh) regions, counties and functional zones, and the official calendar's
    years from the chinese-calendar package that the table lacks; safe to run again."""
    from organisation.services.calendar import official_calendar_invalidate
    from organisation.signals import divisions_loaded

    # Bulk writes send no model signals: the areas that cache divisions are told here.
    transaction.on_commit(lambda: divisions_loaded.send(sender=Region))
    counts = divisions_load(
        region_model=Region, county_model=County, alias_model=CountyAlias, fixtures_dir=fixtures_dir
    )
    years = package_years_load(year_model=OfficialCalendarYear, day_model=OfficialCalendarDay)
    if years:
        transaction.on_commit(official_calendar_invalidate)
    counts["calendar_years"] = len(years)
    return counts
