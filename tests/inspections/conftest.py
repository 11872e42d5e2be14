"""A county with its own office and a zone of three schools, with its 督学 (the visit tests)."""

import datetime

import pytest

from tests.factories import CountyOfficeFactory, UserFactory
from tests.inspections.builders import inspector_make, school_make, world, zone_make


@pytest.fixture
def county():
    people = world()
    CountyOfficeFactory(county=people["a1"])
    return people["a1"]


@pytest.fixture
def zone(county):
    inspector = inspector_make(county, "王督学", user=UserFactory(username="wang"))
    schools = [school_make(county, f"第{n}小学") for n in range(3)]
    return zone_make(county, "第一责任区", inspector=inspector, schools=schools, on=datetime.date(2025, 12, 1))
