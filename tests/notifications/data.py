"""A city office publishing a plan to one county, whose office has a member with an e-mail
address and a contact address: what every notification test starts from."""

from dataclasses import dataclass

from django.utils import timezone

from organisation.models import CountyContact, Membership
from plans.models import WorkPlan
from plans.services import work_plan_publish, work_plan_submit
from tests.factories import (
    CountyFactory,
    OfficeFactory,
    RegionFactory,
    UserFactory,
    county_user_create,
    staff_user_create,
    work_plan_build,
)
from tracking.models import Assignment


@dataclass
class World:
    office: object
    county: object
    county_office: object
    staff: object
    reviewer: object
    member: object
    plan: object


def world_build(*, tasks: int = 2, year: int | None = None, publish: bool = True) -> World:
    office = OfficeFactory(region=RegionFactory(name="测试市"))
    county = CountyFactory(city=office.region, name="测试一区")
    member = county_user_create(county=county, user=UserFactory(email="member@county.example"))
    county_office = member.memberships.get().office
    CountyContact.objects.create(county=county, name="联络员", email="contact@county.example")
    staff = staff_user_create(office=office)
    reviewer = staff_user_create(office=office, role=Membership.Role.REVIEWER)
    plan = work_plan_build(
        tasks=tasks,
        counties=[county],
        office=office,
        status=WorkPlan.Status.DRAFT,
        plan_year=year or timezone.localdate().year,
    )
    if publish:
        work_plan_submit(plan=plan, acting_user=staff)
        plan = work_plan_publish(plan=plan, acting_user=reviewer)
    return World(office, county, county_office, staff, reviewer, member, plan)


def first_assignment(world: World) -> Assignment:
    return Assignment.objects.filter(plan=world.plan, county=world.county).order_by("pk").first()
