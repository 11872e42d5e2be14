"""Builders for the inspections' tests: a city office with two counties, a plan of the year, and
the people around them (the register's `world()` with a plan and an inspection)."""

import datetime

from inspections.models import Inspection
from inspections.services.inspections import MemberData, inspection_move, inspection_save
from organisation.models import Membership
from tests.factories import MembershipFactory, OfficeFactory, RegionFactory, TaskFactory, WorkPlanFactory
from tests.inspections.builders import world

YEAR = 2026


def inspection_world() -> dict:
    people = world()
    office = people["editor_a"].memberships.get().office
    plan = WorkPlanFactory(office=office, plan_year=YEAR, title="2026年甲市教育督导工作要点")
    tasks = [TaskFactory(plan=plan, number=n, title=f"开展专项督导第{n}项") for n in (1, 2)]
    province = RegionFactory(level="province", name="甲省")
    people["city_a"].parent = province
    people["city_a"].save(update_fields=["parent"])
    province_office = OfficeFactory(level="province", region=province, name="甲省督导室")
    people.update(
        office=office,
        plan=plan,
        tasks=tasks,
        reviewer_a=MembershipFactory(office=office, role=Membership.Role.REVIEWER, user__username="reviewer_a").user,
        province=MembershipFactory(office=province_office, role=Membership.Role.VIEWER, user__username="province").user,
    )
    return people


def inspection_make(
    people: dict,
    *,
    title: str = "2026年春季开学专项督导",
    kind: str = Inspection.Kind.SPECIAL,
    counties=None,
    due: datetime.date | None = datetime.date(2026, 3, 10),
    team=(),
    user=None,
) -> Inspection:
    inspection = Inspection(
        office=people["office"],
        kind=kind,
        title=title,
        starts_on=datetime.date(2026, 3, 16),
        ends_on=datetime.date(2026, 3, 20),
        self_assessment_due=due,
    )
    return inspection_save(
        inspection=inspection,
        tasks=people["tasks"][:1],
        counties=counties if counties is not None else [people["a1"], people["a2"]],
        schools=[],
        team=list(team) or [MemberData(role="leader", name="李组长", unit="甲市教育局")],
        acting_user=user or people["editor_a"],
    )


def self_assessment_started(people: dict, **kwargs) -> Inspection:
    inspection = inspection_make(people, **kwargs)
    return inspection_move(inspection=inspection, to=Inspection.Status.SELF_ASSESSMENT, acting_user=people["editor_a"])
