"""The register's invariants live in the database."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from inspections.models import School, ZoneAssignment
from tests.factories import CountyFactory
from tests.inspections.builders import DAY, school_make, zone_make

pytestmark = pytest.mark.django_db


def test_two_open_schools_of_a_county_may_not_share_a_name():
    county = CountyFactory()
    school_make(county, "城关小学")
    with pytest.raises(IntegrityError), transaction.atomic():
        school_make(county, "城关小学")


def test_a_closed_schools_name_may_be_taken_by_a_new_school():
    county = CountyFactory()
    school_make(county, "城关小学", status=School.Status.CLOSED, status_date=DAY)
    assert school_make(county, "城关小学").is_open


def test_the_same_name_in_another_county_is_another_school():
    school_make(CountyFactory(), "城关小学")
    assert school_make(CountyFactory(), "城关小学").pk


def test_an_unknown_kind_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        school_make(CountyFactory(), "某校", kind="university")


def test_a_merged_school_names_its_successor():
    with pytest.raises(IntegrityError), transaction.atomic():
        school_make(CountyFactory(), "旧校", status=School.Status.MERGED, status_date=DAY)


def test_an_open_school_names_no_successor():
    county = CountyFactory()
    other = school_make(county, "新校")
    with pytest.raises(IntegrityError), transaction.atomic():
        school_make(county, "旧校", merged_into=other)


def test_a_closed_school_says_since_when():
    with pytest.raises(IntegrityError), transaction.atomic():
        school_make(CountyFactory(), "旧校", status=School.Status.CLOSED)


def test_a_school_has_one_open_assignment_at_a_time():
    county = CountyFactory()
    school = school_make(county, "城关小学")
    zone_make(county, schools=[school])
    other = zone_make(county, "第二责任区")
    with pytest.raises(IntegrityError), transaction.atomic():
        ZoneAssignment.objects.create(school=school, zone=other, started_on=DAY)


def test_an_assignment_does_not_end_before_it_begins():
    county = CountyFactory()
    school = school_make(county, "城关小学")
    zone = zone_make(county)
    with pytest.raises(IntegrityError), transaction.atomic():
        ZoneAssignment.objects.create(
            school=school, zone=zone, started_on=DAY, ended_on=DAY - datetime.timedelta(days=1)
        )


def test_central_primary_and_junior_schools_count_for_full_coverage():
    county = CountyFactory()
    assert school_make(county, "中心小学", is_central=True).is_key
    assert school_make(county, "初中", kind=School.Kind.JUNIOR).is_key
    assert not school_make(county, "村小").is_key
    assert not school_make(county, "幼儿园", kind=School.Kind.KINDERGARTEN).is_key
