"""Who and where, and when: the divisions offices cover, the offices and their members, the
county offices' contacts, and the official calendar of working days."""

from organisation.models.calendar import OfficialCalendarDay, OfficialCalendarYear
from organisation.models.offices import (
    County,
    CountyAlias,
    CountyContact,
    Membership,
    Office,
    OfficeAlias,
    Region,
)

__all__ = [
    "County",
    "CountyAlias",
    "CountyContact",
    "Membership",
    "Office",
    "OfficeAlias",
    "OfficialCalendarDay",
    "OfficialCalendarYear",
    "Region",
]
