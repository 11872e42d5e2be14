"""The demo's plan of the current year (setup_demo): what a user sees in an ordinary month.

The 郑州 seed plan is copied into the current year, submitted and published through the
services, so its due dates are the rules' own for this year. Its work is then done as a
county and its reviewers would have done it by today: most of what fell due is accepted, the
next is reported ahead of its due date and awaits review, one report was returned, a few are overdue, and
something is due in the coming days. The steps are the services' (acknowledge, report,
review, move a due date); only the moments they happened at are set afterwards, spread over
the year up to today, so that the progress chart has a history to draw.

Everything follows from today's date: the same day gives the same data. A current-year plan
of the office already there (from an earlier run, or made by a user) is left as it is.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from plans.models import PlanRevision, WorkPlan
from plans.selectors.history import plan_action_logs
from plans.services.editing import work_plan_copy
from plans.services.lifecycle import work_plan_publish, work_plan_submit
from tracking.models import Assignment, ProgressReport
from tracking.services.assignments import assignment_due_date_set, working_day_on_or_before
from tracking.services.reminders import working_days_ahead
from tracking.services.reports import assignments_acknowledge, report_review, report_submit

State = Assignment.State
DAY = datetime.timedelta(days=1)
# The demo county: the one with a county login (demo.showcase.DEMO_ACCOUNTS).
DEMO_COUNTY = ("410100", "金水区")
MOVED_REASON = "按市督导室统一安排调整报送时间。"
TEXTS = {
    "done": "已按要求完成，相关材料已整理归档。",
    "under_way": "已制定工作方案，正在组织各校推进，本周内报送完成情况。",
    "returned": "已完成自查，报送自查报告。",
    "return_comment": "请补充各校自查台账和问题整改清单后重新报送。",
}


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@dataclass
class Story:
    """What is done with each assignment, and on which days it happened."""

    accepted: list[Assignment] = field(default_factory=list)
    reported: list[Assignment] = field(default_factory=list)
    returned: list[Assignment] = field(default_factory=list)
    unacknowledged: list[Assignment] = field(default_factory=list)


def _move(assignment: Assignment, day: datetime.date, acting_user) -> None:
    assignment_due_date_set(
        assignment=assignment,
        due_date=working_day_on_or_before(day).date,
        reason=MOVED_REASON,
        acting_user=acting_user,
    )
    assignment.refresh_from_db()


def _demo_county_story(mine: list[Assignment], today: datetime.date, story: Story, staff) -> None:
    """The demo county sees every state: something due in the coming days, the next piece
    reported ahead of its due date, and, from the most recent due backwards, returned,
    overdue, accepted, overdue, then accepted."""
    soon = working_days_ahead(today, 3)
    past = [a for a in mine if a.due_date < today]
    future = [a for a in mine if a.due_date >= today]
    if future and future[0].due_date <= soon:
        future.pop(0)
    else:
        due_soon = future.pop(0) if future else past.pop()
        _move(due_soon, working_days_ahead(today, 2), staff)
    if future:
        story.reported.append(future.pop(0))
    # Early in the year little has fallen due yet: bring the first pieces of work forward.
    weeks = 1
    while len(past) < 3 and future:
        moved = future.pop(0)
        _move(moved, today - weeks * 7 * DAY, staff)
        past.insert(0, moved)
        weeks += 1
    if not story.reported and past:
        story.reported.append(past.pop())
    past.sort(key=lambda a: (a.due_date, a.pk))
    for index, assignment in enumerate(reversed(past)):
        if index == 0:
            story.returned.append(assignment)
        elif index not in (1, 3):  # 1 and 3 stay overdue
            story.accepted.append(assignment)


def _other_county_story(index: int, theirs: list[Assignment], today: datetime.date, story: Story, staff) -> None:
    """Other counties: what fell due is accepted, except that one county in five is late with
    its latest piece; one in three reported its next piece ahead of time, one in five has not
    acknowledged its open work yet; the first has something due in the coming days."""
    past = [a for a in theirs if a.due_date < today]
    future = [a for a in theirs if a.due_date >= today]
    if index == 0 and future and future[0].due_date > working_days_ahead(today, 3):
        _move(future[0], working_days_ahead(today, 3), staff)
    elif index % 3 == 0 and future:
        story.reported.append(future[0])
    if index % 5 == 1 and past:
        past.pop()  # overdue
    story.accepted += past
    if index % 5 == 4:
        story.unacknowledged += [a for a in future if a not in story.reported]


def demo_current_plan_create(*, today: datetime.date | None = None) -> tuple[WorkPlan | None, bool]:
    """The 郑州 plan of the current year, published and under way (see the module's
    docstring); (plan, created), or (None, False) without the seed plan or the demo users."""
    today = today or timezone.localdate()
    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in=["staff", "reviewer", "county"])}
    source = (
        WorkPlan.objects.filter(office__name="郑州市人民政府教育督导委员会办公室", revision_of=None)
        .exclude(status=WorkPlan.Status.DRAFT)
        .exclude(plan_year=today.year)
        .order_by("plan_year", "pk")
        .first()
    )
    if source is None or len(users) < 3:
        return None, False
    existing = WorkPlan.objects.filter(office=source.office, plan_year=today.year, revision_of=None).first()
    if existing is not None:
        return existing, False
    staff, reviewer, county_user = users["staff"], users["reviewer"], users["county"]
    with transaction.atomic():
        plan = work_plan_copy(source=source, plan_year=today.year, acting_user=staff)
        work_plan_submit(plan=plan, acting_user=staff)
        plan = work_plan_publish(plan=plan, acting_user=reviewer)
        published_on = min(plan.issue_date or datetime.date(today.year, 1, 1), today - 30 * DAY)
        story = Story()
        by_county: dict[int, list[Assignment]] = {}
        for assignment in (
            Assignment.objects.filter(plan=plan)
            .select_related("county__city")
            .order_by("county__code", "county__name", "due_date", "pk")
        ):
            by_county.setdefault(assignment.county_id, []).append(assignment)
        others = 0
        for assignments in by_county.values():
            county = assignments[0].county
            if (county.city.code, county.name) == DEMO_COUNTY:
                _demo_county_story(assignments, today, story, staff)
            else:
                _other_county_story(others, assignments, today, story, staff)
                others += 1
        _act(plan, story, county_user=county_user, reviewer=reviewer)
        _date(plan, story, published_on=published_on, today=today)
    plan.refresh_from_db()
    return plan, True


def _author(assignment: Assignment, county_user):
    # Only the demo county has a login; the others' reports were sent by no one the demo knows.
    return county_user if assignment.county_id in _counties_of(county_user) else None


def _counties_of(user) -> set[int]:
    from organisation.access import access_for

    return set(access_for(user).counties)


def _act(plan: WorkPlan, story: Story, *, county_user, reviewer) -> None:
    waiting = {a.pk for a in story.unacknowledged}
    open_ = [a for a in Assignment.objects.filter(plan=plan, state=State.ASSIGNED) if a.pk not in waiting]
    mine = _counties_of(county_user)
    assignments_acknowledge(assignments=[a for a in open_ if a.county_id in mine], acting_user=county_user)
    assignments_acknowledge(assignments=[a for a in open_ if a.county_id not in mine], acting_user=None)
    for assignment in story.accepted:
        report = report_submit(
            assignment=assignment,
            acting_user=_author(assignment, county_user),
            progress="done",
            text=TEXTS["done"],
        )
        report_review(report=report, acting_user=reviewer, accept=True)
    for assignment in story.returned:
        report = report_submit(
            assignment=assignment,
            acting_user=_author(assignment, county_user),
            progress="done",
            text=TEXTS["returned"],
        )
        report_review(report=report, acting_user=reviewer, accept=False, comment=TEXTS["return_comment"])
    for assignment in story.reported:
        report_submit(
            assignment=assignment,
            acting_user=_author(assignment, county_user),
            progress="in_progress",
            text=TEXTS["under_way"],
        )


def _date(plan: WorkPlan, story: Story, *, published_on: datetime.date, today: datetime.date) -> None:
    """When it all happened: published a month or more ago, acknowledged two days later,
    each piece of work reported a few days before it was due and accepted the day after,
    the returned one last week, what awaits review yesterday."""
    published = _at(published_on, 9)
    WorkPlan.objects.filter(pk=plan.pk).update(published_at=published)
    PlanRevision.objects.filter(plan=plan).update(published_at=published)
    plan_action_logs(plan_ids=[plan.pk]).update(datetime=published)
    assignments = Assignment.objects.filter(plan=plan)
    assignments.update(created_at=published)
    assignments.exclude(acknowledged_at=None).update(acknowledged_at=_at(published_on + 2 * DAY, 10))
    first = published_on + 3 * DAY
    for assignment in story.accepted:
        reported_on = min(max(assignment.due_date - 3 * DAY, first), today - 2 * DAY)
        reviewed = _at(reported_on + DAY, 10)
        ProgressReport.objects.filter(assignment=assignment).update(
            created_at=_at(reported_on, 15), reviewed_at=reviewed
        )
        Assignment.objects.filter(pk=assignment.pk).update(closed_at=reviewed)
    for assignment in story.returned:
        ProgressReport.objects.filter(assignment=assignment).update(
            created_at=_at(today - 6 * DAY, 15), reviewed_at=_at(today - 4 * DAY, 10)
        )
    for assignment in story.reported:
        ProgressReport.objects.filter(assignment=assignment).update(created_at=_at(today - DAY, 16))
