import pytest

from organisation.models import Membership
from plans.models import WorkPlan
from tests.factories import CountyFactory, OfficeFactory, RegionFactory, staff_user_create, work_plan_build


@pytest.fixture
def office():
    return OfficeFactory(region=RegionFactory(name="审计市"))


@pytest.fixture
def county(office):
    return CountyFactory(city=office.region, name="审计一区")


@pytest.fixture
def editor(office):
    return staff_user_create(office=office)


@pytest.fixture
def reviewer(office):
    return staff_user_create(office=office, role=Membership.Role.REVIEWER)


@pytest.fixture
def draft(office, county):
    return work_plan_build(tasks=2, counties=[county], office=office, status=WorkPlan.Status.DRAFT)
