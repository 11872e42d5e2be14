"""What counties are told of, found where it happens: the audit log's events (a report returned
or accepted, a plan published or revised, a bulletin issued) as they are committed, and the
daily run's look at the obligations (new, due within N working days, overdue)."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from audit.models import ActionLog
from bulletins import actions as bulletin_actions
from bulletins.models import Bulletin
from notifications.events import Event
from notifications.services.writing import Notice, notices_write
from organisation.services.calendar import official_calendar_get
from plans import actions as plan_actions
from plans.models import WorkPlan
from schedule.urgency import DUE_SOON_WORKING_DAYS
from tracking import actions as tracking_actions
from tracking.kinds import live_q, obligations_loaded
from tracking.models import Assignment, ProgressReport

# How far back the daily run looks for obligations issued since its last run (a missed day
# or two is caught up; the event key keeps each one told once).
NEW_WITHIN_DAYS = 3


def _day(value: datetime.date | None) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def _assignment_notice(event: str, key: str, assignment: Assignment, **values) -> Notice:
    return Notice(
        event=event,
        key=key,
        county_id=assignment.county_id,
        county_name=assignment.county.name,
        office_id=assignment.office_id,
        path=reverse("tracking:assignment_detail", args=[assignment.pk]),
        values={"office": assignment.office.name, "what": assignment.label, "due": _day(assignment.due_date), **values},
    )


def _report_notices(logs: list[ActionLog]) -> list[Notice]:
    events = {
        tracking_actions.REPORT_RETURNED.name: Event.REPORT_RETURNED,
        tracking_actions.REPORT_ACCEPTED.name: Event.REPORT_ACCEPTED,
    }
    wanted = {log.object_id: events[log.action_type] for log in logs if log.action_type in events}
    if not wanted:
        return []
    reports = ProgressReport.objects.filter(pk__in=sorted(wanted)).select_related(
        "assignment__county", "assignment__office"
    )
    return [
        _assignment_notice(
            wanted[report.pk],
            f"{wanted[report.pk]}:report:{report.pk}",
            report.assignment,
            comment=report.review_comment,
        )
        for report in reports
    ]


def _plan_notices(logs: list[ActionLog]) -> list[Notice]:
    published = {log.object_id: (log.data or {}).get("revision") or 0 for log in logs}
    if not published:
        return []
    plans = {plan.pk: plan for plan in WorkPlan.objects.filter(pk__in=sorted(published)).select_related("office")}
    # The counties of all the plans in one query (an import publishes hundreds a transaction).
    counties = (
        Assignment.objects.filter(plan_id__in=sorted(plans), state__in=Assignment.OPEN)
        .order_by("plan_id", "county_id")
        .values_list("plan_id", "county_id", "county__name")
        .distinct()
    )
    notices = []
    for plan_id, county_id, county_name in counties:
        plan, revision = plans[plan_id], published[plan_id]
        notices.append(
            Notice(
                event=Event.PLAN_PUBLISHED,
                key=f"plan_published:plan:{plan.pk}:{revision}",
                county_id=county_id,
                county_name=county_name,
                office_id=plan.office_id,
                path=plan.get_absolute_url(),
                values={"office": plan.office.name, "what": plan.title},
            )
        )
    return notices


def _bulletin_notices(logs: list[ActionLog]) -> list[Notice]:
    ids = sorted({log.object_id for log in logs})
    notices = []
    for bulletin in Bulletin.objects.filter(pk__in=ids).select_related("office").prefetch_related("named_counties"):
        what = f"{bulletin.title}（{bulletin.doc_number}）" if bulletin.doc_number else bulletin.title
        for county in bulletin.named_counties.all():
            notices.append(
                Notice(
                    event=Event.BULLETIN_ISSUED,
                    key=f"bulletin_issued:bulletin:{bulletin.pk}",
                    county_id=county.pk,
                    county_name=county.name,
                    office_id=bulletin.office_id,
                    path=bulletin.get_absolute_url(),
                    values={"office": bulletin.office.name, "what": what},
                )
            )
    return notices


def notices_from_logs(logs: list[ActionLog]) -> list[Notice]:
    """The notices a batch of committed audit events calls for."""
    plan_type = ContentType.objects.get_for_model(WorkPlan).pk
    return [
        *_report_notices(logs),
        *_plan_notices(
            [
                log
                for log in logs
                if log.action_type == plan_actions.PLAN_PUBLISHED.name and log.content_type_id == plan_type
            ]
        ),
        *_bulletin_notices([log for log in logs if log.action_type == bulletin_actions.BULLETIN_ISSUED.name]),
    ]


def notifications_from_logs(logs: list[ActionLog]) -> int:
    return notices_write(notices_from_logs(logs))


def daily_notices(*, today: datetime.date, within_working_days: int = DUE_SOON_WORKING_DAYS) -> list[Notice]:
    """Obligations issued in the last few days, due within N working days, or overdue: one notice
    each, keyed by its due date (a moved due date is told again)."""
    cutoff = official_calendar_get().working_days_after(today, within_working_days)
    since = timezone.now() - datetime.timedelta(days=NEW_WITHIN_DAYS)
    open_live = Assignment.objects.filter(live_q(), state__in=Assignment.OPEN)
    assignments = obligations_loaded(
        open_live.filter(due_date__lte=cutoff) | open_live.filter(created_at__gte=since),
        related=("county", "office"),
    ).order_by("county_id", "due_date", "pk")
    notices = []
    for assignment in assignments:
        if assignment.created_at >= since:
            notices.append(
                _assignment_notice(Event.OBLIGATION_NEW, f"obligation_new:assignment:{assignment.pk}", assignment)
            )
        if assignment.due_date < today:
            event = Event.OVERDUE
        elif assignment.due_date <= cutoff:
            event = Event.DUE_SOON
        else:
            continue
        notices.append(
            _assignment_notice(event, f"{event}:assignment:{assignment.pk}:{assignment.due_date}", assignment)
        )
    return notices


# The reviews, whose notices are written as they commit (receivers.logged_notify) and caught
# up by the daily run. A plan's publication and a bulletin's issue are told as they commit only.
CAUGHT_UP_ACTIONS = (tracking_actions.REPORT_RETURNED.name, tracking_actions.REPORT_ACCEPTED.name)


def notifications_catch_up(*, since: datetime.datetime) -> int:
    """The notices of the reviews since `since` that are not written yet. They are written
    after the change commits, so a database lost between the two (a restart, a failover) left
    a change done and nobody told; the event keys keep everyone else from being told twice."""
    logs = list(ActionLog.objects.filter(datetime__gte=since, action_type__in=CAUGHT_UP_ACTIONS).order_by("pk"))
    return notifications_from_logs(logs)


def notifications_collect(*, today: datetime.date, within_working_days: int = DUE_SOON_WORKING_DAYS) -> int:
    """The daily run: write the day's messages, a digest for whoever would get many, and the
    notices of the last days' events that were lost after their commit."""
    written = notices_write(daily_notices(today=today, within_working_days=within_working_days), digest=True)
    return written + notifications_catch_up(since=timezone.now() - datetime.timedelta(days=NEW_WITHIN_DAYS))
