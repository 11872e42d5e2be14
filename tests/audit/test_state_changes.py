"""Every state change leaves exactly one audit event, with who did it and what it was about."""

import datetime
from contextlib import contextmanager

import pytest
from django.core import mail

from audit.models import ActionLog
from organisation.services.contacts import county_contact_update
from plans.models import Task, WorkPlan
from plans.outputs.excel_import import plan_schedule_import
from plans.services import work_plan_import
from plans.services.editing import work_plan_copy, work_plan_create, work_plan_update
from plans.services.lifecycle import (
    work_plan_archive,
    work_plan_discard,
    work_plan_publish,
    work_plan_return,
    work_plan_revise,
    work_plan_submit,
)
from tests.factories import county_user_create
from tests.plans.test_import import seed
from tests.plans.test_outputs import edited, row_of, workbook_of
from tracking.models import Assignment
from tracking.services.assignments import assignment_due_date_set
from tracking.services.reminders import reminder_send_to_county
from tracking.services.reports import assignments_acknowledge, report_review, report_submit

pytestmark = pytest.mark.django_db


class Logged:
    entry: ActionLog | None = None


@contextmanager
def one_event():
    """The block must leave exactly one new ActionLog: `logged.entry`."""
    before = set(ActionLog.objects.values_list("pk", flat=True))
    logged = Logged()
    yield logged
    new = list(ActionLog.objects.exclude(pk__in=before))
    assert len(new) == 1, [e.action_type for e in new]
    logged.entry = new[0]


def in_review(draft, editor):
    return work_plan_submit(plan=draft, acting_user=editor)


def published(draft, editor, reviewer):
    return work_plan_publish(plan=in_review(draft, editor), acting_user=reviewer)


# --- A plan's lifecycle ------------------------------------------------------------------------


def test_submitting_logs_one_event(draft, editor, office):
    with one_event() as logged:
        work_plan_submit(plan=draft, acting_user=editor)

    entry = logged.entry
    assert (entry.action_type, entry.user, entry.office, entry.target) == (
        "plans.plan.submitted",
        editor,
        office,
        draft,
    )


def test_returning_logs_the_comment(draft, editor, reviewer):
    plan = in_review(draft, editor)

    with one_event() as logged:
        work_plan_return(plan=plan, acting_user=reviewer, comment="补充时间安排")

    assert (logged.entry.action_type, logged.entry.user, logged.entry.data) == (
        "plans.plan.returned",
        reviewer,
        {"comment": "补充时间安排"},
    )


def test_publishing_logs_the_revision_and_the_note(draft, editor, reviewer):
    plan = in_review(draft, editor)

    with one_event() as logged:
        work_plan_publish(plan=plan, acting_user=reviewer, note="首次发布")

    assert (logged.entry.action_type, logged.entry.user, logged.entry.data) == (
        "plans.plan.published",
        reviewer,
        {"comment": "首次发布", "revision": 1},
    )


def test_a_revision_logs_its_start_its_steps_and_its_publication_on_the_plan(draft, editor, reviewer):
    plan = published(draft, editor, reviewer)

    with one_event() as started:
        revision = work_plan_revise(plan=plan, acting_user=editor)
    with one_event() as submitted:
        work_plan_submit(plan=revision, acting_user=editor)
    with one_event() as done:
        work_plan_publish(plan=revision, acting_user=reviewer)

    assert (started.entry.action_type, started.entry.data, started.entry.object_id) == (
        "plans.plan.revision_started",
        {"revision": 2},
        plan.pk,
    )
    assert (done.entry.action_type, done.entry.data, done.entry.object_id) == (
        "plans.plan.published",
        {"revision": 2},
        plan.pk,
    )
    # The draft's own step belongs to the plan's story once the draft is gone.
    submitted.entry.refresh_from_db()
    assert (submitted.entry.object_id, submitted.entry.data) == (plan.pk, {"revision": 2})


def test_discarding_a_revision_logs_it_on_the_plan(draft, editor, reviewer):
    plan = published(draft, editor, reviewer)
    revision = work_plan_revise(plan=plan, acting_user=editor)

    with one_event() as logged:
        work_plan_discard(plan=revision, acting_user=editor)

    assert (logged.entry.action_type, logged.entry.object_id, logged.entry.data) == (
        "plans.plan.revision_discarded",
        plan.pk,
        {"revision": 2},
    )


def test_deleting_a_draft_logs_it(draft, editor):
    plan_id = draft.pk

    with one_event() as logged:
        work_plan_discard(plan=draft, acting_user=editor)

    assert not WorkPlan.objects.filter(pk=plan_id).exists()
    assert (logged.entry.action_type, logged.entry.object_id, logged.entry.user) == (
        "plans.plan.discarded",
        plan_id,
        editor,
    )


def test_archiving_logs_one_event(draft, editor, reviewer):
    plan = published(draft, editor, reviewer)

    with one_event() as logged:
        work_plan_archive(plan=plan, acting_user=reviewer)

    assert (logged.entry.action_type, logged.entry.user) == ("plans.plan.archived", reviewer)


def test_creating_and_copying_a_plan_log_one_event_each(office, editor, draft):
    with one_event() as created:
        work_plan_create(office=office, plan_year=2031, title="2031年工作要点", acting_user=editor)
    with one_event() as copied:
        work_plan_copy(source=draft, plan_year=2032, acting_user=editor)

    assert created.entry.action_type == copied.entry.action_type == "plans.plan.created"
    assert "复制" in copied.entry.comment or "Copied" in copied.entry.comment


# --- Writes to a draft ---------------------------------------------------------------------------


def test_an_edit_page_save_logs_one_event_with_counts(draft, editor):
    from tests.plans.test_editing import _content

    content = _content(draft)
    content["tasks"][0]["title"] = "改过的任务"

    with one_event() as logged:
        plan = work_plan_update(plan=draft, content=content, expected_version=draft.version, acting_user=editor)

    assert (logged.entry.action_type, logged.entry.user) == ("plans.plan.edited", editor)
    assert logged.entry.data == {"sections": 1, "tasks": 2, "entries": 2, "version": plan.version}


def test_an_excel_import_logs_one_event_with_its_rows(draft, editor):
    def edit(workbook):
        tasks = workbook.worksheets[0]
        first = Task.objects.get(plan=draft, number=1)
        tasks.cell(row_of(tasks, first.title), 2).value = "表格里改的标题"

    data = edited(workbook_of(draft), edit)

    with one_event() as logged:
        plan_schedule_import(plan=draft, data=data, expected_version=draft.version, acting_user=editor)

    entry = logged.entry
    assert (entry.action_type, entry.user, entry.data["source"]) == ("plans.plan.imported", editor, "excel")
    assert entry.data["task_rows"] == 2


def test_a_sheet_that_changes_nothing_logs_nothing(draft, editor):
    before = ActionLog.objects.count()

    plan_schedule_import(plan=draft, data=workbook_of(draft), expected_version=draft.version, acting_user=editor)

    assert ActionLog.objects.count() == before


def test_a_notice_import_and_its_reimport_into_the_draft_log_one_event_each(editor):
    text = seed("004").read_text(encoding="utf-8")

    with one_event() as imported:
        plan = work_plan_import(text=text, acting_user=editor).plan
    with one_event() as reimported:
        work_plan_import(text=text + "\n", acting_user=editor, replace=True, expected_version=plan.version)

    assert (imported.entry.action_type, imported.entry.data["source"]) == ("plans.plan.imported", "notice")
    assert imported.entry.data["tasks"] == plan.tasks.count() > 0
    assert (reimported.entry.action_type, reimported.entry.object_id) == ("plans.plan.reimported", plan.pk)
    plan.refresh_from_db()
    assert reimported.entry.data["version"] == plan.version == 2


# --- A county's work -------------------------------------------------------------------------------


@pytest.fixture
def assignment(draft, editor, reviewer, county):
    plan = published(draft, editor, reviewer)
    return Assignment.objects.filter(plan=plan, county=county).first()


def test_acknowledging_logs_one_event_per_assignment(assignment, county, office):
    county_user = county_user_create(county=county)

    with one_event() as logged:
        assignments_acknowledge(assignments=[assignment], acting_user=county_user)

    entry = logged.entry
    assert (entry.action_type, entry.target, entry.user, entry.office) == (
        "tracking.assignment.acknowledged",
        assignment,
        county_user,
        office,
    )
    assert entry.data == {"plan": assignment.plan_id, "county": county.pk}


def test_submitting_and_reviewing_a_report_log_one_event_each(assignment, county, editor):
    county_user = county_user_create(county=county)

    with one_event() as submitted:
        report = report_submit(assignment=assignment, acting_user=county_user, progress="done", text="已完成")
    with one_event() as returned:
        report_review(report=report, acting_user=editor, accept=False, comment="请补充材料")
    again = report_submit(assignment=assignment, acting_user=county_user, progress="done", text="已补充")
    with one_event() as accepted:
        report_review(report=again, acting_user=editor, accept=True)

    assert (submitted.entry.action_type, submitted.entry.target, submitted.entry.user) == (
        "tracking.report.submitted",
        report,
        county_user,
    )
    assert submitted.entry.data["progress"] == "done"
    assert (returned.entry.action_type, returned.entry.comment, returned.entry.data["state"]) == (
        "tracking.report.returned",
        "请补充材料",
        "returned",
    )
    assert (accepted.entry.action_type, accepted.entry.user, accepted.entry.data["state"]) == (
        "tracking.report.accepted",
        editor,
        "accepted",
    )


def test_moving_a_due_date_logs_the_old_and_new_dates_and_the_reason(assignment, editor, office):
    old = assignment.due_date
    new = old - datetime.timedelta(days=7)

    with one_event() as logged:
        assignment_due_date_set(assignment=assignment, due_date=new, reason="提前检查", acting_user=editor)

    entry = logged.entry
    assert (entry.action_type, entry.user, entry.office) == ("tracking.assignment.due_date_moved", editor, office)
    assert entry.data == {
        "plan": assignment.plan_id,
        "old": old.isoformat(),
        "new": new.isoformat(),
        "reason": "提前检查",
    }


def test_a_reminder_logs_one_event(office, county, editor, reviewer):
    from tests.tracking.test_reminders import LAST_YEAR, publish

    publish(editor, office=office, counties=[county], year=LAST_YEAR)
    county_contact_update(county=county, name="王", email="office@example.org", phone="", acting_user=editor)

    with one_event() as logged:
        reminder = reminder_send_to_county(county=county, acting_user=editor)

    entry = logged.entry
    assert (entry.action_type, entry.target, entry.user, entry.office) == (
        "tracking.reminder.sent",
        reminder,
        editor,
        office,
    )
    assert entry.data == {"county": county.pk, "kind": reminder.kind, "assignments": 1}
    assert mail.outbox == []  # sent once the transaction commits
