"""Which schools have no 责任督学, and "中心小学以上学校全覆盖" per county and per city."""

import pytest

from inspections.models import School
from inspections.selectors import coverage_by_city, schools_uncovered
from inspections.services.register import school_close
from tests.inspections.builders import DAY, inspector_make, school_make, world, zone_make

pytestmark = pytest.mark.django_db


def test_coverage_counts_key_schools_per_county_and_city():
    people = world()
    a1, a2 = people["a1"], people["a2"]
    central = school_make(a1, "中心小学", is_central=True)
    junior = school_make(a1, "一中", kind=School.Kind.JUNIOR)
    village = school_make(a1, "村小")
    school_make(a1, "幼儿园", kind=School.Kind.KINDERGARTEN)
    school_make(a1, "旧校", kind=School.Kind.SENIOR, status=School.Status.CLOSED, status_date=DAY)
    zone_make(a1, inspector=inspector_make(a1), schools=[central, village])
    # A zone without an inspector covers nobody.
    zone_make(a1, "空区", schools=[junior])
    school_make(a2, "二县高中", kind=School.Kind.SENIOR)

    (city,) = coverage_by_city(user=people["editor_a"])
    rows = {row.county.name: row for row in city.counties}
    first = rows["甲一区"]
    assert (first.schools, first.covered, first.uncovered) == (4, 2, 2)
    assert (first.key_covered, first.key_schools, first.key_complete) == (1, 2, False)
    assert (rows["甲二县"].key_covered, rows["甲二县"].key_schools) == (0, 1)
    assert (city.schools, city.uncovered, city.key_covered, city.key_schools) == (5, 3, 1, 3)
    assert [s.name for s in schools_uncovered(county=a1)] == ["一中", "幼儿园"]


def test_a_closed_school_leaves_the_figures():
    people = world()
    a1 = people["a1"]
    school = school_make(a1, "一中", kind=School.Kind.JUNIOR)
    school_close(school=school, on=DAY, acting_user=None)
    assert coverage_by_city(user=people["county_a1"]) == []


def test_a_county_user_reads_their_own_countys_coverage_only():
    people = world()
    school_make(people["a1"], "一校")
    school_make(people["a2"], "二校")
    (city,) = coverage_by_city(user=people["county_a1"])
    assert [row.county for row in city.counties] == [people["a1"]]
