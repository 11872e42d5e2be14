"""整改 items: issued once as the county's obligation on the official calendar, closed (销号) by
accepting the county's report of the work done, only after a follow-up check confirmed it when
one is needed; returned, reminded and escalated, each step in the audit trail."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import ActionLog
from inspections import actions
from inspections.models import Inspection, Rectification
from inspections.rectification import (
    follow_up_add,
    follow_up_create,
    rectification_confirm,
    rectification_escalate,
    rectification_issue,
    rectification_not_confirmed,
    rectification_obligation,
    rectification_remind,
    rectifications_issue,
)
from tests.inspections.rectification_builders import DEADLINE, PDF, TODAY, finding_make, item_make, upload, work_world
from tracking.models import Assignment, ProgressReport
from tracking.services.reports import report_review, report_submit

pytestmark = pytest.mark.django_db
State = Assignment.State


@pytest.fixture(autouse=True)
def today(monkeypatch):
    localdate = timezone.localdate
    monkeypatch.setattr(timezone, "localdate", lambda value=None, *args: TODAY if value is None else localdate(value))


@pytest.fixture
def people():
    return work_world()


def _events(item, action) -> list[ActionLog]:
    return list(ActionLog.objects.filter(object_id=item.pk, action_type=action.name).order_by("pk"))


def _report_done(people, item, text="已整改完毕。") -> ProgressReport:
    return report_submit(
        assignment=rectification_obligation(item),
        acting_user=people["county_a1"],
        progress="done",
        text=text,
        files=[upload("整改报告.pdf", PDF)],
    )


def test_issuing_writes_the_item_and_one_obligation_for_its_county(people):
    item = item_make(people)
    obligation = rectification_obligation(item)
    assert (obligation.kind, obligation.office, obligation.county, obligation.year) == (
        "rectification",
        people["office"],
        people["a1"],
        2026,
    )
    assert obligation.due_date == DEADLINE and obligation.state == State.ASSIGNED
    assert obligation.subject == item and obligation.label == "甲一区 · 2026年春季学校安全专项督导"
    assert not item.deadline_moved
    [event] = _events(item, actions.RECTIFICATION_ISSUED)
    assert event.data["assignment"] == obligation.pk and event.office_id == people["office"].pk


def test_a_finding_is_issued_once(people):
    item = item_make(people)
    with pytest.raises(ValidationError) as again:
        rectification_issue(finding=item.finding, requirement="再次", due_date=DEADLINE, acting_user=people["editor_a"])
    assert again.value.code == "issued"
    assert Rectification.objects.count() == 1
    assert Assignment.objects.filter(kind="rectification").count() == 1


def test_a_deadline_on_a_holiday_moves_back_to_the_working_day_before(people):
    # 2026-04-05 is a Sunday of the 清明 holiday (4–6 April): due on Friday 3 April.
    item = item_make(people, due_date=datetime.date(2026, 4, 5))
    assert item.deadline_moved and rectification_obligation(item).due_date == datetime.date(2026, 4, 3)
    [event] = _events(item, actions.RECTIFICATION_ISSUED)
    assert (event.data["asked"], event.data["due"]) == ("2026-04-05", "2026-04-03")


def test_a_deadline_in_the_past_or_no_requirement_is_refused_and_nothing_written(people):
    finding = finding_make(people)
    with pytest.raises(ValidationError) as past:
        rectification_issue(
            finding=finding, requirement="整改", due_date=TODAY - datetime.timedelta(days=1), acting_user=None
        )
    assert "due_date" in past.value.error_dict
    with pytest.raises(ValidationError) as empty:
        rectification_issue(finding=finding, requirement=" ", due_date=DEADLINE, acting_user=None)
    assert "requirement" in empty.value.error_dict
    assert not Rectification.objects.exists() and not Assignment.objects.exists()


def test_many_findings_are_issued_at_once_with_one_deadline_or_none(people):
    first, second = finding_make(people, "a1"), finding_make(people, "a2", text="校门口无护学岗。")
    items = rectifications_issue(
        inspection=people["inspection"],
        findings=[first, second],
        due_date=DEADLINE,
        needs_follow_up=True,
        acting_user=people["editor_a"],
    )
    assert {i.county for i in items} == {people["a1"], people["a2"]}
    assert all(i.needs_follow_up for i in items)
    assert "校门口无护学岗" in next(i for i in items if i.county == people["a2"]).requirement
    third = finding_make(people, "a2", text="第三个问题")
    with pytest.raises(ValidationError):
        rectifications_issue(
            inspection=people["inspection"], findings=[third, first], due_date=DEADLINE, acting_user=None
        )
    assert Rectification.objects.count() == 2  # the lot refused: the third not issued either


def test_a_done_report_closes_an_item_that_needs_no_follow_up(people):
    item = item_make(people)
    report = _report_done(people, item)
    report_review(report=report, acting_user=people["editor_a"], accept=True)
    assert rectification_obligation(item).state == State.ACCEPTED


def test_closing_is_refused_until_a_follow_up_check_confirms_it(people):
    item = item_make(people, needs_follow_up=True)
    report = _report_done(people, item)
    with pytest.raises(ValidationError) as refused:
        report_review(report=report, acting_user=people["editor_a"], accept=True)
    assert refused.value.code == "not_closable" and "整改情况督查" in refused.value.messages[0]
    report.refresh_from_db()
    assert report.review == ProgressReport.Review.PENDING
    assert rectification_obligation(item).state == State.REPORTED

    check = follow_up_create(
        office=people["office"],
        title="整改情况督查",
        starts_on=datetime.date(2026, 4, 7),
        ends_on=datetime.date(2026, 4, 8),
        rectifications=[item],
        acting_user=people["editor_a"],
    )
    assert check.kind == Inspection.Kind.FOLLOW_UP and list(check.follows_up.all()) == [item]
    assert list(check.counties.all()) == [people["a1"]]
    rectification_confirm(rectification=item, inspection=check, acting_user=people["editor_a"], note="现场核实到位")
    item.refresh_from_db()
    assert item.confirmed_by == check and item.confirmed_at is not None
    report_review(report=report, acting_user=people["editor_a"], accept=True)
    assert rectification_obligation(item).state == State.ACCEPTED
    assert [
        e.action_type
        for e in ActionLog.objects.filter(object_id=item.pk).order_by("pk")
        if e.action_type.startswith("inspections.rectification.")
    ] == [
        actions.RECTIFICATION_ISSUED.name,
        actions.RECTIFICATION_FOLLOW_UP.name,
        actions.RECTIFICATION_CONFIRMED.name,
    ]


def test_a_report_is_returned_with_a_comment_and_the_county_reports_again(people):
    item = item_make(people)
    report = _report_done(people, item)
    report_review(report=report, acting_user=people["editor_a"], accept=False, comment="缺少陪餐照片")
    obligation = rectification_obligation(item)
    assert obligation.state == State.RETURNED and obligation.is_open
    again = _report_done(people, item, text="已补充照片。")
    assert again.pk != report.pk and rectification_obligation(item).state == State.REPORTED


def test_not_confirmed_on_site_returns_the_pending_report_with_the_note(people):
    item = item_make(people, needs_follow_up=True)
    report = _report_done(people, item)
    check = follow_up_create(
        office=people["office"],
        title="回头看",
        starts_on=datetime.date(2026, 4, 7),
        ends_on=datetime.date(2026, 4, 7),
        rectifications=[item],
        acting_user=people["editor_a"],
    )
    with pytest.raises(ValidationError) as no_note:
        rectification_not_confirmed(rectification=item, inspection=check, note="", acting_user=people["editor_a"])
    assert "note" in no_note.value.error_dict
    [returned] = rectification_not_confirmed(
        rectification=item, inspection=check, note="现场仍未设置陪餐记录。", acting_user=people["editor_a"]
    )
    assert returned.pk == report.pk and returned.review_comment == "现场仍未设置陪餐记录。"
    assert rectification_obligation(item).state == State.RETURNED
    item.refresh_from_db()
    assert item.confirmed_by is None
    [event] = _events(item, actions.RECTIFICATION_NOT_CONFIRMED)
    assert event.data["comment"] == "现场仍未设置陪餐记录。"


def test_a_check_confirms_only_the_items_it_checks_and_only_once(people):
    item, other = item_make(people, needs_follow_up=True), item_make(people, "a2", needs_follow_up=True)
    check = follow_up_create(
        office=people["office"],
        title="回头看",
        starts_on=datetime.date(2026, 4, 7),
        ends_on=datetime.date(2026, 4, 7),
        rectifications=[item],
        acting_user=None,
    )
    with pytest.raises(ValidationError) as unchecked:
        rectification_confirm(rectification=other, inspection=check, acting_user=None)
    assert unchecked.value.code == "not_checked"
    assert follow_up_add(inspection=check, rectifications=[other, item], acting_user=None) == 1
    rectification_confirm(rectification=other, inspection=check, acting_user=None)
    with pytest.raises(ValidationError) as twice:
        rectification_confirm(rectification=other, inspection=check, acting_user=None)
    assert twice.value.code == "confirmed"
    with pytest.raises(ValidationError) as not_follow_up:
        follow_up_add(inspection=people["inspection"], rectifications=[item], acting_user=None)
    assert "inspection" in not_follow_up.value.error_dict


def test_a_closed_item_is_not_put_on_a_follow_up_check(people):
    item = item_make(people)
    report_review(report=_report_done(people, item), acting_user=people["editor_a"], accept=True)
    with pytest.raises(ValidationError) as closed:
        follow_up_create(
            office=people["office"],
            title="回头看",
            starts_on=datetime.date(2026, 4, 7),
            ends_on=datetime.date(2026, 4, 7),
            rectifications=[item],
            acting_user=None,
        )
    assert "items" in closed.value.error_dict
    assert not Inspection.objects.filter(kind="follow_up").exists()


def test_escalation_is_flagged_changed_and_audited(people):
    item = item_make(people)
    with pytest.raises(ValidationError) as no_note:
        rectification_escalate(rectification=item, escalation="talk", note=" ", acting_user=people["editor_a"])
    assert "note" in no_note.value.error_dict
    rectification_escalate(rectification=item, escalation="talk", note="逾期未整改", acting_user=people["editor_a"])
    item.refresh_from_db()
    assert item.escalation == "talk" and item.escalated_at is not None and item.escalation_note == "逾期未整改"
    with pytest.raises(ValidationError) as unchanged:
        rectification_escalate(rectification=item, escalation="talk", note="再次", acting_user=people["editor_a"])
    assert unchanged.value.error_dict["escalation"][0].code == "unchanged"
    rectification_escalate(rectification=item, escalation="bulletin", note="约谈后仍未整改", acting_user=None)
    rectification_escalate(rectification=item, escalation="", note="已整改，撤销", acting_user=None)
    item.refresh_from_db()
    assert item.escalation == "" and item.escalated_at is None
    steps = [(e.data["from"], e.data["to"]) for e in _events(item, actions.RECTIFICATION_ESCALATED)]
    assert steps == [("", "talk"), ("talk", "bulletin"), ("bulletin", "")]


def test_a_reminder_goes_through_trackings_reminders_and_is_audited(people, django_capture_on_commit_callbacks):
    item = item_make(people, due_date=datetime.date(2026, 3, 4))
    people["county_a1"].email = "a1@example.org"
    people["county_a1"].save()
    with django_capture_on_commit_callbacks(execute=True):
        reminder = rectification_remind(rectification=item, acting_user=people["editor_a"])
    assert rectification_obligation(item) in reminder.assignments.all()
    assert mail.outbox and "a1@example.org" in mail.outbox[0].to
    [event] = _events(item, actions.RECTIFICATION_REMINDED)
    assert event.data["reminder"] == reminder.pk


def test_a_visits_finding_is_issued_in_the_name_of_an_office_over_its_county(people):
    from inspections.findings import finding_record

    finding = finding_record(acting_user=people["inspector_user"], visit=people["visit"], text="饮水机滤芯过期。")
    with pytest.raises(ValidationError) as no_office:
        rectification_issue(finding=finding, requirement="更换滤芯", due_date=DEADLINE, acting_user=None)
    assert no_office.value.code == "office"
    item = rectification_issue(
        finding=finding, requirement="更换滤芯", due_date=DEADLINE, office=people["office"], acting_user=None
    )
    assert (item.office, item.county, item.year) == (people["office"], people["a1"], 2026)
    assert rectification_obligation(item).county == people["a1"]
