"""Who a user is in the offices: their memberships, read once per request, the predicates on
them that every area's rules are built from (plans/permissions.py, tracking/permissions.py), and
the lists scoped by memberships alone (the offices a user edits for, the cities of their offices).
Outside the permissions modules nothing reads the memberships (tests/test_scoping_layout.py)."""

import functools
from dataclasses import dataclass, field

import rules
from django.db import connection
from django.db.models import F, QuerySet

from organisation.models import County, Membership, Office, Region
from supervision.lookups import InArray
from supervision.prepared import Prepared

Role = Membership.Role


@dataclass(frozen=True)
class Access:
    """A user's memberships, read once per request."""

    superuser: bool = False
    # office id → bureau role (editor, reviewer, viewer)
    offices: dict[int, str] = field(default_factory=dict)
    # the counties whose offices the user works for
    counties: frozenset[int] = frozenset()
    # office ids of those county offices
    county_offices: frozenset[int] = frozenset()
    # the provinces (Region ids) whose provincial offices the user has a bureau role in
    provinces: frozenset[int] = frozenset()
    # the cities (Region ids) of those offices: a city office's region, a county office's city
    cities: frozenset[int] = frozenset()
    # What waits for the user (the inbox's count in the menu): plans in review where they
    # publish, reports awaiting review where they review (not their own).
    inbox: int = 0

    @property
    def is_member(self) -> bool:
        return self.superuser or bool(self.offices) or bool(self.counties)

    @property
    def is_bureau_staff(self) -> bool:
        return bool(self.offices)

    @property
    def is_county_only(self) -> bool:
        """A county office's user with no bureau role anywhere (and not an admin)."""
        return bool(self.counties) and not self.offices and not self.superuser

    def offices_with(self, *roles) -> list[int]:
        return sorted(office for office, role in self.offices.items() if role in roles)

    @property
    def editing_offices(self) -> list[int]:
        return self.offices_with(*Membership.EDITING_ROLES)


_NOBODY = Access()
_WAITING: list = []
_CACHE = "_plans_access"


def access_for(user) -> Access:
    """The user's Access, read in one query and kept on the user object for the request."""
    return _access_read(user, with_inbox=True)


def access_without_inbox(user) -> Access:
    """The user's Access for a response that shows no menu (a calendar feed, polled all day by
    calendar clients): their memberships without the 待办 count's subqueries, `inbox` 0. Kept on
    the user object as access_for keeps it, which then returns it."""
    return _access_read(user, with_inbox=False)


def _access_read(user, *, with_inbox: bool) -> Access:
    if user is None or not user.is_authenticated or not user.is_active:
        return _NOBODY
    cached = getattr(user, _CACHE, None)
    if cached is not None:
        return cached
    offices, counties, county_offices, provinces, cities = {}, set(), set(), set(), set()
    inbox = 0
    with connection.cursor() as cursor:
        cursor.execute(_memberships_sql(waiting=with_inbox), {"user": user.pk})
        rows = cursor.fetchall()
    for office_id, role, county_id, level, region_id, waiting, county_city, region_level in rows:
        inbox += waiting or 0
        if role == Role.COUNTY:
            if county_id is None:
                continue
            counties.add(county_id)
            county_offices.add(office_id)
        else:
            offices[office_id] = role
            if level == Office.Level.PROVINCE and region_id is not None:
                provinces.add(region_id)
        if county_city:
            cities.add(county_city)
        elif region_id and region_level == Region.Level.CITY:
            cities.add(region_id)
    access = Access(
        superuser=user.is_superuser,
        offices=offices,
        counties=frozenset(counties),
        county_offices=frozenset(county_offices),
        provinces=frozenset(provinces),
        cities=frozenset(cities),
        inbox=inbox,
    )
    setattr(user, _CACHE, access)
    return access


@functools.cache
def _memberships_sql(*, waiting: bool = True) -> str:
    """The user's memberships with their offices, and (`waiting`) per membership what waits in
    that office for the user (the menu's 待办 count on every page, so inside the one query every
    page makes anyway): reports awaiting review that others sent, for editors and reviewers, and
    plans in review, for reviewers. Written as SQL because Django took 4–5 ms to compile the same
    query with its CASE and subqueries on each request, four times the query itself. With each
    office's city (its county's, or its region if a city), which the county list orders by."""
    membership, office = Membership._meta.db_table, Office._meta.db_table
    county, region = County._meta.db_table, Region._meta.db_table
    by_role = []
    for role in (Role.REVIEWER, Role.EDITOR):
        counts = [f"({build()})" for roles, build in _WAITING if role in roles]
        if counts:
            by_role.append(f" WHEN '{role}' THEN " + " + ".join(counts))
    waiting = f"CASE m.role{''.join(by_role)} ELSE 0 END" if by_role and waiting else "0"
    return (
        f"SELECT m.office_id, m.role, o.county_id, o.level, o.region_id, {waiting}, c.city_id, r.level"
        f" FROM {membership} m JOIN {office} o ON o.id = m.office_id"
        f" LEFT JOIN {county} c ON c.id = o.county_id LEFT JOIN {region} r ON r.id = o.region_id"
        " WHERE m.user_id = %(user)s"
    )


def inbox_count(user) -> int:
    """What waits in the user's to-do inbox (the menu's 待办), read with their memberships."""
    return access_for(user).inbox


def waiting_register(*, roles, sql) -> None:
    """Add a count to the menu's 待办 (the areas that hold the waiting work register theirs, so
    that this module depends on none of them). `sql()` returns a scalar subquery that may use
    `m.office_id` (the membership's office) and `%(user)s`; it is summed for members of `roles`."""
    _WAITING.append((frozenset(roles), sql))
    _memberships_sql.cache_clear()


# --- Lists scoped by memberships ------------------------------------------------------------


def offices_edited_by(user) -> QuerySet[Office]:
    """The offices `user` edits for (as an editor or reviewer), by name; every office for an
    administrator."""
    access = access_for(user)
    offices = Office.objects.order_by("name")
    return offices if access.superuser else offices.filter(pk__in=access.editing_offices)


def _offices_edited(*, everything: bool, ids: list[int]) -> QuerySet[Office]:
    offices = Office.objects.order_by("name")
    return offices if everything else offices.filter(InArray(F("pk"), ids))


# Compiled once a process: the forms that choose an office among the user's read it.
_offices_edited_read = Prepared(_offices_edited)


def offices_edited_list(user) -> list[Office]:
    """`offices_edited_by(user)` as a list, read by a query compiled once."""
    access = access_for(user)
    return _offices_edited_read(everything=access.superuser, ids=sorted(access.editing_offices))


def cities_of_user(user) -> list[int]:
    """The cities (Region ids) of the user's offices: a city office's region, a county office's
    city (read with the memberships)."""
    return sorted(access_for(user).cities)


# --- Predicates --------------------------------------------------------------------------------


@rules.predicate
def is_member(user) -> bool:
    return access_for(user).is_member


@rules.predicate
def is_bureau_staff(user) -> bool:
    return access_for(user).is_bureau_staff


@rules.predicate
def edits_somewhere(user) -> bool:
    return bool(access_for(user).editing_offices)


@rules.predicate
def is_county_user(user) -> bool:
    return bool(access_for(user).counties)


@rules.predicate
def is_county_only(user) -> bool:
    """A county office's user with no bureau role anywhere (and not an administrator)."""
    return access_for(user).is_county_only


@rules.predicate
def in_office(user, office) -> bool:
    return office is not None and office.pk in access_for(user).offices


@rules.predicate
def edits_in_office(user, office) -> bool:
    return office is not None and office.pk in access_for(user).editing_offices


@rules.predicate
def oversees_province(user, region) -> bool:
    """Staff of a provincial office, over the province it covers."""
    return region is not None and region.pk in access_for(user).provinces


@rules.predicate
def is_own_county(user, county) -> bool:
    return county is not None and county.pk in access_for(user).counties


# An inactive user has no permission (Django's rule), superuser or not.
is_admin = rules.is_superuser & rules.is_active
