"""A city office's quarter for the bulletins' tests: plan work, 整改, inspections and a published
evaluation round, built directly (the figures each test expects are in `quarter`'s docstring)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from evaluation.models import EvaluationRound, IndicatorSheet, Participant
from inspections.models import Inspection
from organisation.models import Membership, Office
from tests.factories import MembershipFactory, SectionFactory, TaskFactory, WorkPlanFactory
from tests.inspections.builders import world
from tests.inspections.work_builders import close, finding_make, inspection_make, rectification_make, series_make
from tracking.models import Assignment

State = Assignment.State
START, END = datetime.date(2026, 4, 1), datetime.date(2026, 6, 30)
TODAY = datetime.date(2026, 7, 1)


def plan_work(plan, task, county, state, due):
    return Assignment.objects.create(
        office=plan.office,
        year=plan.plan_year,
        plan=plan,
        task=task,
        county=county,
        label=task.title,
        state=state,
        due_date=due,
        due_date_rule=due,
        acknowledged_at=None if state in (State.ASSIGNED, State.WITHDRAWN) else timezone.now(),
        closed_at=timezone.now() if state in (State.ACCEPTED, State.WITHDRAWN) else None,
    )


def round_published(office, participants) -> EvaluationRound:
    sheet = IndicatorSheet.objects.create(office=office, title="县级政府履行教育职责评价", year=2026)
    round_ = EvaluationRound.objects.create(
        office=office,
        sheet=sheet,
        title="2026年县级政府履行教育职责评价",
        year=2026,
        status=EvaluationRound.Status.PUBLISHED,
        published_at=timezone.now(),
        objection_until=datetime.date(2026, 6, 20),
        revision=1,
    )
    for county, total, grade, rank in participants:
        Participant.objects.create(round=round_, county=county, total=Decimal(total), grade=grade, rank=rank)
    return round_


def quarter() -> dict:
    """甲市督导室 (文号 甲教督), 2026-04-01..06-30, as of 07-01:
    - plan work: 甲一区 3 due (2 accepted, 1 open past due: overdue), 甲二县 2 due (both accepted);
      not counted: a 甲二县 item due in August, a withdrawn one, and 乙市's;
      total 5, done 4, 80.0%, overdue 1; 甲一区 66.7%, 甲二县 100.0%.
    - 整改: 甲一区 one item due 05-29 open (overdue), 甲二县 one closed: issued 2, closed 1, overdue 1.
    - inspections: one closed (April), one in feedback (May), one outside the period.
    - round: 甲二县 first with 92.50 (优秀), 甲一区 second with 58.00 (不合格).
    Good practice: 甲二县; laggards: 甲一区."""
    people = world()
    office = Office.objects.get(name="甲市督导室")
    series_make(office, "甲教督")
    a1, a2 = people["a1"], people["a2"]
    reviewer = MembershipFactory(office=office, role=Membership.Role.REVIEWER, user__username="reviewer_a").user
    plan = WorkPlanFactory(office=office, plan_year=2026, status="published", title="2026年教育督导工作要点")
    section = SectionFactory(plan=plan, position=1, label="一、", heading="强化督政")
    tasks = [TaskFactory(plan=plan, section=section, number=n) for n in (1, 2, 3, 4)]
    plan_work(plan, tasks[0], a1, State.ACCEPTED, datetime.date(2026, 4, 30))
    plan_work(plan, tasks[1], a1, State.ACCEPTED, datetime.date(2026, 5, 29))
    plan_work(plan, tasks[2], a1, State.ACKNOWLEDGED, datetime.date(2026, 5, 11))
    plan_work(plan, tasks[0], a2, State.ACCEPTED, datetime.date(2026, 4, 30))
    plan_work(plan, tasks[1], a2, State.ACCEPTED, datetime.date(2026, 6, 30))
    plan_work(plan, tasks[2], a2, State.ASSIGNED, datetime.date(2026, 8, 31))
    plan_work(plan, tasks[3], a2, State.WITHDRAWN, datetime.date(2026, 5, 11))
    other = WorkPlanFactory(office=Office.objects.get(name="乙市督导室"), plan_year=2026)
    plan_work(other, TaskFactory(plan=other, number=1), people["b1"], State.ASSIGNED, datetime.date(2026, 5, 11))

    closed = inspection_make(office, counties=[a1, a2], status=Inspection.Status.CLOSED)
    feedback = inspection_make(
        office, counties=[a1], status=Inspection.Status.RECTIFICATION, starts_on=datetime.date(2026, 5, 12)
    )
    inspection_make(office, counties=[a1], status=Inspection.Status.CLOSED, starts_on=datetime.date(2026, 9, 7))
    rectification_make(
        finding_make(closed, a1, "课后服务收费未公示。"), requirement="公示收费项目。", due=datetime.date(2026, 5, 29)
    )
    done = rectification_make(
        finding_make(feedback, a2, "陪餐记录缺失。"), requirement="建立陪餐制度。", due=datetime.date(2026, 6, 30)
    )
    close(done, datetime.date(2026, 6, 10))
    round_ = round_published(office, [(a2, "92.50", "excellent", 1), (a1, "58.00", "fail", 2)])
    return {**people, "office": office, "plan": plan, "round": round_, "reviewer_a": reviewer}
