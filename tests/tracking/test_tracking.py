"""Supervised work: publishing sends assignments, counties acknowledge and report with
evidence, staff review, revisions update assignments without touching reports, reminders go
once a day, and a county sees only its own."""

import datetime
import re
import uuid

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from organisation.models import Membership
from plans.models import WorkPlan
from plans.services import plan_snapshot, work_plan_publish, work_plan_revise, work_plan_submit
from plans.services.content import plan_content_write
from tests.factories import (
    CountyFactory,
    OfficeFactory,
    RegionFactory,
    ScheduleEntryFactory,
    TaskFactory,
    UserFactory,
    WorkPlanFactory,
    county_user_create,
    staff_user_create,
    work_plan_build,
)
from tracking.models import Assignment, EvidenceFile, ProgressReport, Reminder
from tracking.services.reminders import reminders_send
from tracking.services.reports import assignments_acknowledge, report_review, report_submit

pytestmark = pytest.mark.django_db
State = Assignment.State

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200


@pytest.fixture
def region():
    return RegionFactory(name="测试市")


@pytest.fixture
def office(region):
    return OfficeFactory(region=region)


@pytest.fixture
def counties(region):
    return [CountyFactory(city=region, name=f"测试{n}区") for n in range(3)]


@pytest.fixture
def editor(office):
    return staff_user_create(office=office)


@pytest.fixture
def reviewer(office):
    return staff_user_create(office=office, role=Membership.Role.REVIEWER)


def publish(plan, editor, reviewer):
    work_plan_submit(plan=plan, acting_user=editor)
    return work_plan_publish(plan=plan, acting_user=reviewer)


@pytest.fixture
def published(office, counties, editor, reviewer):
    """Task 1 names two counties and has two calendar lines; task 2 goes to every county;
    task 3 names none (the office's own work)."""
    plan = WorkPlanFactory(office=office, status=WorkPlan.Status.DRAFT, plan_year=2024)
    first = TaskFactory(plan=plan, number=1, counties=counties[:2])
    ScheduleEntryFactory(plan=plan, task=first, position=1, period="3月", month_set=(3,))
    ScheduleEntryFactory(plan=plan, task=first, position=2, period="6月底前", month_set=(6,))
    TaskFactory(plan=plan, number=2, addresses_all_counties=True)
    TaskFactory(plan=plan, number=3)
    return publish(plan, editor, reviewer)


# --- What publishing sends -------------------------------------------------------------------


def test_publishing_sends_each_county_its_tasks_by_calendar_line(published, counties):
    sent = Assignment.objects.filter(plan=published)

    # Task 1: 2 lines × 2 counties; task 2: every county of the region, no lines; task 3: none.
    assert sent.count() == 4 + 3
    assert not sent.filter(task__number=3).exists()
    assert set(sent.filter(task__number=2).values_list("county", flat=True)) == {c.pk for c in counties}
    march = sent.get(county=counties[0], entry__period="3月")
    assert (march.due_date, march.state) == (datetime.date(2024, 3, 29), State.ASSIGNED)  # the 31st is a Sunday
    assert "3月" in march.label and march.task.number == 1
    assert sent.get(county=counties[2], task__number=2).due_date == datetime.date(2024, 12, 31)


def test_a_calendar_line_naming_its_own_counties_goes_to_those(office, counties, editor, reviewer):
    plan = WorkPlanFactory(office=office, status=WorkPlan.Status.DRAFT, plan_year=2024)
    task = TaskFactory(plan=plan, number=1, counties=counties)
    ScheduleEntryFactory(plan=plan, task=task, position=1, month_set=(5,), counties=[counties[1]])
    ScheduleEntryFactory(plan=plan, task=None, position=2, month_set=(7,), counties=[counties[2]])

    publish(plan, editor, reviewer)

    assert sorted(Assignment.objects.values_list("county__name", "entry__position")) == [
        (counties[1].name, 1),
        (counties[2].name, 2),
    ]


def test_a_revision_sends_new_targets_withdraws_old_ones_and_keeps_reports(published, counties, editor, reviewer):
    kept = Assignment.objects.get(plan=published, county=counties[0], entry__period="3月")
    report_submit(
        assignment=kept, acting_user=county_user_create(county=counties[0]), progress="in_progress", text="已部署"
    )
    dropped = Assignment.objects.get(plan=published, county=counties[1], entry__period="3月")
    report = report_submit(
        assignment=dropped, acting_user=county_user_create(county=counties[1]), progress="done", text="已完成"
    )

    draft = work_plan_revise(plan=published, acting_user=editor)
    content = plan_snapshot(draft)
    content["tasks"][0]["counties"] = [[counties[0].pk, counties[0].name], [counties[2].pk, counties[2].name]]
    plan_content_write(plan=draft, content=content, match_by="key", acting_user=editor)
    publish(draft, editor, reviewer)

    dropped.refresh_from_db()
    kept.refresh_from_db()
    assert dropped.state == State.WITHDRAWN and "第 2 版修订" in dropped.closed_note
    assert dropped.reports.get() == report and report.text == "已完成"  # untouched
    assert kept.state == State.REPORTED and kept.reports.count() == 1
    assert Assignment.objects.filter(plan=published, county=counties[2], task__number=1).count() == 2
    assert Assignment.objects.filter(plan=published).exclude(state=State.WITHDRAWN).count() == 4 + 3


def test_naming_a_county_again_reopens_its_withdrawn_assignment(published, counties, editor, reviewer):
    def set_task_one(names):
        draft = work_plan_revise(plan=published, acting_user=editor)
        content = plan_snapshot(draft)
        content["tasks"][0]["counties"] = [[c.pk, c.name] for c in names]
        plan_content_write(plan=draft, content=content, match_by="key", acting_user=editor)
        publish(draft, editor, reviewer)

    set_task_one([counties[0]])
    set_task_one(counties[:2])

    again = Assignment.objects.filter(plan=published, county=counties[1], task__number=1)
    assert again.count() == 2 and set(again.values_list("state", flat=True)) == {State.ASSIGNED}


# --- The county's side -----------------------------------------------------------------------


def test_acknowledging_marks_only_new_assignments(published, counties):
    user = county_user_create(county=counties[0])
    mine = list(Assignment.objects.filter(county=counties[0]))

    assert assignments_acknowledge(assignments=mine, acting_user=user) == 3
    assert assignments_acknowledge(assignments=mine, acting_user=user) == 0
    assert set(Assignment.objects.filter(county=counties[0]).values_list("state", flat=True)) == {State.ACKNOWLEDGED}


def test_a_report_with_evidence_is_kept_and_a_resubmission_is_one_report(published, counties):
    assignment = Assignment.objects.filter(county=counties[0]).first()
    user = county_user_create(county=counties[0])
    key = uuid.uuid4()

    def send():
        return report_submit(
            assignment=assignment,
            acting_user=user,
            progress="done",
            text="已完成自查。",
            files=[SimpleUploadedFile("自查报告.pdf", PDF), SimpleUploadedFile("照片.png", PNG)],
            submission_key=key,
        )

    first, second = send(), send()

    assert first == second and ProgressReport.objects.count() == 1
    assert [(e.name, e.content_type) for e in first.evidence.order_by("pk")] == [
        ("自查报告.pdf", "application/pdf"),
        ("照片.png", "image/png"),
    ]
    stored = first.evidence.first().file
    assert stored.name.startswith("evidence/") and "自查" not in stored.name
    assignment.refresh_from_db()
    assert (assignment.state, assignment.progress) == (State.REPORTED, "done")
    assert assignment.acknowledged_at is not None


@pytest.mark.parametrize(
    "name, data, code",
    [
        ("报告.pdf", EXE, "bad_type"),  # a program renamed .pdf
        ("../../etc/passwd.docx", b"PK\x03\x04not a docx", "bad_type"),
        ("big.pdf", PDF + b"0" * 2048, "too_large"),
    ],
)
def test_refused_evidence_stores_nothing(published, counties, settings, name, data, code):
    settings.EVIDENCE_MAX_FILE_BYTES = 1024
    assignment = Assignment.objects.filter(county=counties[0]).first()

    with pytest.raises(Exception) as refused:
        report_submit(
            assignment=assignment,
            acting_user=county_user_create(county=counties[0]),
            progress="done",
            text="见附件",
            files=[SimpleUploadedFile(name, data)],
        )

    assert refused.value.code == code
    assert re.search(r"[\u4e00-\u9fff]", refused.value.messages[0])
    assert not ProgressReport.objects.exists() and not EvidenceFile.objects.exists()


def test_staff_return_a_report_and_accept_the_next(published, counties, editor):
    assignment = Assignment.objects.filter(county=counties[0]).first()
    county = county_user_create(county=counties[0])
    first = report_submit(assignment=assignment, acting_user=county, progress="done", text="已完成")

    with pytest.raises(Exception) as refused:
        report_review(report=first, acting_user=editor, accept=False, comment="")
    assert refused.value.code == "comment_required"
    report_review(report=first, acting_user=editor, accept=False, comment="缺少自查报告")
    assignment.refresh_from_db()
    assert assignment.state == State.RETURNED

    second = report_submit(assignment=assignment, acting_user=county, progress="done", text="补交自查报告")
    report_review(report=second, acting_user=editor, accept=True)

    assignment.refresh_from_db()
    assert (assignment.state, assignment.closed_at is not None) == (State.ACCEPTED, True)
    assert list(assignment.reports.values_list("review", flat=True).order_by("created_at")) == ["returned", "accepted"]
    with pytest.raises(Exception) as closed:
        report_submit(assignment=assignment, acting_user=county, progress="done", text="再报")
    assert closed.value.code == "closed"


def test_accepting_work_under_way_keeps_the_assignment_open(published, counties, editor):
    assignment = Assignment.objects.filter(county=counties[0]).first()
    report = report_submit(
        assignment=assignment, acting_user=county_user_create(county=counties[0]), progress="in_progress", text="进行中"
    )

    report_review(report=report, acting_user=editor, accept=True)

    assignment.refresh_from_db()
    assert assignment.state == State.ACKNOWLEDGED


# --- Reminders -------------------------------------------------------------------------------


def test_reminders_go_once_a_day_to_each_county_with_work_due(published, counties, django_capture_on_commit_callbacks):
    county_user_create(county=counties[0], user=UserFactory(email="jinshui@example.org"))
    today = datetime.date(2024, 3, 25)  # the March lines are due on Friday the 29th

    dry = reminders_send(today=today, within_working_days=5, dry_run=True)
    assert [len(draft.assignments) for draft, _r in dry if draft.county == counties[0]] == [1]
    assert not mail.outbox and not Reminder.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(today=today, within_working_days=5)
        reminders_send(today=today, within_working_days=5)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jinshui@example.org"]
    assert "催办" in message.subject or "到期" in message.subject
    assert "2024-03-29" in message.body and reverse("tracking:portal") in message.body
    assert Reminder.objects.get().county == counties[0]


def test_the_reminder_command_prints_what_it_would_send(published, counties, capsys):
    county_user_create(county=counties[1], user=UserFactory(email="a@example.org"))

    call_command("send_reminders", "--dry-run", "--date", "2024-03-26", "--within", "5")

    out = capsys.readouterr().out
    assert counties[1].name in out and "a@example.org" in out
    assert not Reminder.objects.exists()


# --- Pages -----------------------------------------------------------------------------------


def test_a_county_reads_only_its_own_assignments_reports_and_files(client, published, counties):
    theirs = Assignment.objects.filter(county=counties[1]).first()
    report = report_submit(
        assignment=theirs,
        acting_user=county_user_create(county=counties[1]),
        progress="done",
        text="他县的报告",
        files=[SimpleUploadedFile("他县.pdf", PDF)],
    )
    client.force_login(county_user_create(county=counties[0]))

    portal = client.get(reverse("tracking:portal")).content.decode()

    assert theirs.label in portal  # the same task is theirs too…
    assert f"/assignments/{theirs.pk}/" not in portal  # …but not their assignment
    assert client.get(reverse("tracking:assignment_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("tracking:evidence_download", args=[report.evidence.get().pk])).status_code == 404
    assert (
        client.post(reverse("tracking:report_create", args=[theirs.pk]), {"progress": "done", "text": "x"}).status_code
        == 404
    )
    assert client.post(reverse("tracking:report_review", args=[report.pk]), {"decision": "accept"}).status_code == 404


def test_the_portal_groups_work_by_plan_and_by_month_with_counts(client, published, counties, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: datetime.date(2024, 3, 26))
    client.force_login(county_user_create(county=counties[0]))

    html = client.get(reverse("tracking:portal")).content.decode()
    by_month = client.get(reverse("tracking:portal"), {"view": "month"}).content.decode()

    assert "我的工作" in html and published.title in html
    assert re.search(r'stat__n">1</span> 7个工作日内到期', html)
    assert "assignment--soon" in html
    assert "2024年三月" in by_month and "2024年六月" in by_month


def test_acknowledge_and_report_through_the_pages(client, published, counties, editor):
    county = county_user_create(county=counties[0])
    client.force_login(county)
    assignment = Assignment.objects.filter(county=counties[0]).first()

    client.post(reverse("tracking:assignment_acknowledge"), {"plan": published.pk})
    response = client.post(
        reverse("tracking:report_create", args=[assignment.pk]),
        {
            "progress": "done",
            "text": "已完成",
            "submission_key": str(uuid.uuid4()),
            "files": [SimpleUploadedFile("a.pdf", PDF)],
        },
    )
    assert response.status_code == 302
    refused = client.post(
        reverse("tracking:report_create", args=[assignment.pk]),
        {
            "progress": "done",
            "text": "再报",
            "submission_key": str(uuid.uuid4()),
            "files": [SimpleUploadedFile("a.pdf", EXE)],
        },
    )
    assert refused.status_code == 400
    assert "再报" in refused.content.decode()  # what was typed is kept
    assert "不是 PDF" in refused.content.decode()
    assert ProgressReport.objects.count() == 1

    client.force_login(editor)
    report = ProgressReport.objects.get()
    client.post(reverse("tracking:report_review", args=[report.pk]), {"decision": "accept"})
    assignment.refresh_from_db()
    assert assignment.state == State.ACCEPTED
    dashboard = client.get(reverse("tracking:plan_dashboard", args=[published.pk])).content.decode()
    assert "共 7 项责任分工，已完成 1 项" in dashboard


def test_staff_move_a_due_date_with_a_reason(client, published, counties, editor):
    assignment = Assignment.objects.filter(county=counties[0]).first()
    client.force_login(editor)

    client.post(reverse("tracking:assignment_due_date", args=[assignment.pk]), {"due_date": "2024-04-15", "reason": ""})
    assignment.refresh_from_db()
    assert assignment.due_date == datetime.date(2024, 3, 29)  # refused: no reason

    client.post(
        reverse("tracking:assignment_due_date", args=[assignment.pk]), {"due_date": "2024-04-15", "reason": "迎检推迟"}
    )
    assignment.refresh_from_db()
    assert (assignment.due_date, assignment.due_date_reason) == (datetime.date(2024, 4, 15), "迎检推迟")
    client.force_login(county_user_create(county=counties[0]))
    assert "迎检推迟" in client.get(reverse("tracking:assignment_detail", args=[assignment.pk])).content.decode()


def test_moving_a_due_date_and_reviewing_a_report_are_permissions_of_their_own(published, counties, editor):
    import rules

    assignment = Assignment.objects.filter(county=counties[0]).first()
    county = county_user_create(county=counties[0])

    assert editor.has_perm("tracking.move_due_date", assignment) and editor.has_perm(
        "tracking.review_assignment", assignment
    )
    assert not county.has_perm("tracking.move_due_date", assignment)
    assert rules.perm_exists("tracking.move_due_date") and rules.perm_exists("tracking.review_assignment")


def test_the_publish_page_shows_the_rules_and_what_each_county_gets(client, office, counties, editor, reviewer):
    plan = work_plan_build(tasks=2, counties=counties[:2], office=office, status=WorkPlan.Status.DRAFT)
    work_plan_submit(plan=plan, acting_user=editor)
    client.force_login(reviewer)

    html = client.get(reverse("tracking:publish_preview", args=[plan.pk])).content.decode()

    assert "发布后将下发" in html
    assert "4 项责任分工" in html
    assert counties[0].name in html and counties[2].name not in html
    client.force_login(editor)
    assert client.get(reverse("tracking:publish_preview", args=[plan.pk])).status_code == 403


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_dashboard_and_portal_take_the_same_queries_for_3_and_30_counties_and_10_and_100_tasks(
    client, editor, reviewer, office
):
    counts = []
    for n_counties, n_tasks in ((3, 10), (30, 100)):
        counties = CountyFactory.create_batch(n_counties, city=office.region)
        plan = work_plan_build(tasks=n_tasks, counties=counties, office=office, status=WorkPlan.Status.DRAFT)
        publish(plan, editor, reviewer)
        county_user = county_user_create(county=counties[0])
        client.force_login(editor)
        dashboard = _count(client, reverse("tracking:plan_dashboard", args=[plan.pk]))
        listing = _count(client, reverse("tracking:plan_dashboard", args=[plan.pk]) + "?state=open")
        office_year = _count(client, reverse("tracking:office_dashboard", args=[office.pk, plan.plan_year]))
        client.force_login(county_user)
        portal = _count(client, reverse("tracking:portal"))
        detail = _count(
            client, reverse("tracking:assignment_detail", args=[plan.assignments.filter(county=counties[0]).first().pk])
        )
        counts.append((dashboard, listing, office_year, portal, detail))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "tracking:portal"]
)
def test_acknowledging_never_sends_the_user_off_the_site(client, published, counties, target):
    client.force_login(county_user_create(county=counties[0]))

    response = client.post(reverse("tracking:assignment_acknowledge"), {"plan": published.pk, "next": target})

    assert response.status_code == 302 and response.url == reverse("tracking:portal")


def test_acknowledging_with_nonsense_ids_changes_nothing(client, published, counties):
    client.force_login(county_user_create(county=counties[0]))

    for data in ({"plan": "长"}, {"plan": "9" * 40}, {"assignment": ["x", "9" * 40]}):
        assert client.post(reverse("tracking:assignment_acknowledge"), data).status_code == 302
    assert not Assignment.objects.filter(state=State.ACKNOWLEDGED).exists()


def _revise_task_one(published, counties, editor):
    """A draft revision of `published`: task 1 goes to counties 0 and 2 (no longer 1), and its
    second calendar line moves from June to September."""
    draft = work_plan_revise(plan=published, acting_user=editor)
    content = plan_snapshot(draft)
    content["tasks"][0]["counties"] = [[counties[0].pk, counties[0].name], [counties[2].pk, counties[2].name]]
    june = next(e for e in content["entries"] if e["period"] == "6月底前")
    june.update(period="9月", months=[9])
    plan_content_write(plan=draft, content=content, match_by="key", acting_user=editor)
    work_plan_submit(plan=draft, acting_user=editor)
    return draft


def test_the_publish_page_of_a_revision_shows_what_each_county_gains_and_loses(
    client, published, counties, editor, reviewer
):
    draft = _revise_task_one(published, counties, editor)
    client.force_login(reviewer)

    page = client.get(reverse("tracking:publish_preview", args=[draft.pk])).content.decode()

    section = page[page.index("各县（市、区）增减的责任分工") : page.index("</section>", page.index("增减的责任分工"))]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section))
    by_county = dict(re.findall(r"(测试\d区) 测试市 (.*?)(?= 测试\d区 测试市|$)", text))
    assert set(by_county) == {c.name for c in counties}
    assert (
        by_county[counties[0].name].count("改期") == 1
        and "2024年6月28日 → 2024年9月30日" in by_county[counties[0].name]
    )
    assert by_county[counties[1].name].count("已撤销") == 2 and "原截止 2024年3月29日" in by_county[counties[1].name]
    assert by_county[counties[2].name].count("新增") == 2 and "截止 2024年9月30日" in by_county[counties[2].name]
    assert "新增" not in by_county[counties[0].name] and "已撤销" not in by_county[counties[0].name]


def test_the_publish_preview_is_what_publishing_then_does(published, counties, editor, reviewer):
    from tracking.services.assignments import assignments_preview

    draft = _revise_task_one(published, counties, editor)
    before = {a.pk: (a.state, a.due_date) for a in Assignment.objects.filter(plan=published)}
    preview = assignments_preview(plan=draft)

    work_plan_publish(plan=draft, acting_user=reviewer)

    after = list(Assignment.objects.filter(plan=published))
    created = {(a.county_id, a.label, a.due_date) for a in after if a.pk not in before}
    withdrawn = {a.pk for a in after if a.state == State.WITHDRAWN and before[a.pk][0] != State.WITHDRAWN}
    redated = {(a.pk, before[a.pk][1], a.due_date) for a in after if a.pk in before and a.due_date != before[a.pk][1]}
    assert created == {(c.county_id, c.label, c.new_due) for c in preview if c.kind == "new"}
    assert withdrawn == {c.assignment.pk for c in preview if c.kind == "withdrawn"}
    assert redated == {(c.assignment.pk, c.old_due, c.new_due) for c in preview if c.kind == "redated"}
    assert (len(created), len(withdrawn), len(redated)) == (2, 2, 1)


# --- What the dashboard's matrix and a report's form cost -------------------------------------


def test_the_dashboard_matrix_links_each_cell_to_its_assignments_with_a_translated_title(
    client, published, counties, editor
):
    counties[1].name = "测试<1>区"
    counties[1].save()
    client.force_login(editor)

    page = client.get(reverse("tracking:plan_dashboard", args=[published.pk])).content.decode()

    rows = re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", page, re.S)
    assert len(rows) == 3
    first = rows[0]
    # Task 1's March line and task 2 (due at the year's end) for the first county.
    assert f'<a href="?county={counties[0].pk}&amp;month=3" title="1 项中已完成 0 项，逾期 1 项">0/1</a>' in first
    assert f'<a href="?county={counties[0].pk}&amp;month=12" title="1 项中已完成 0 项，逾期 1 项">0/1</a>' in first
    assert first.count('class="num cell cell--empty"></td>') == 12 - 3
    assert "测试&lt;1&gt;区" in rows[1] and "测试<1>区" not in page
    remind = reverse("tracking:reminder_send", args=[published.pk, counties[0].pk])
    assert re.search(
        rf'<form method="post" action="{remind}" class="inline-form">'
        r'<input type="hidden" name="csrfmiddlewaretoken" value="\w+"><button type="submit" [^>]*>催办</button></form>',
        first,
    )
    assert "从未催办" in first
    # Each row's form is for its own county (the address is reversed once a page).
    for row, county in zip(rows, counties, strict=False):
        assert f'action="{reverse("tracking:reminder_send", args=[published.pk, county.pk])}"' in row


def test_the_dashboard_lists_give_due_day_county_and_the_label_cut_and_escaped(client, published, counties, editor):
    counties[0].name = "测试<0>区"
    counties[0].save()
    assignment = Assignment.objects.filter(county=counties[0]).order_by("due_date", "pk").first()
    assignment.label = "<b>" + "很长的任务名称" * 10
    assignment.save(update_fields=["label"])
    client.force_login(editor)

    page = client.get(reverse("tracking:plan_dashboard", args=[published.pk])).content.decode()

    # 40 characters: 37 of the label and the Chinese ellipsis ("...", as Django's truncatechars).
    label = "&lt;b&gt;" + ("很长的任务名称" * 10)[:34] + "..."
    url = reverse("tracking:assignment_detail", args=[assignment.pk])
    item = f'<li><span class="nowrap">{assignment.due_date:%m-%d}</span> 测试&lt;0&gt;区 · <a href="{url}">{label}</a></li>'
    assert item in page
    assert "<b>" not in page


def test_a_report_sent_reads_none_of_the_reports_before_it(client, published, counties):
    """The form answers with a redirect: the page's reports and their files, which grow with
    every report, are read only when the form is refused and the page shown again."""
    assignment = Assignment.objects.filter(county=counties[0]).first()
    client.force_login(county_user_create(county=counties[0]))

    def send(n):
        data = {"progress": "in_progress", "text": f"第{n}次报告", "submission_key": str(uuid.uuid4())}
        data["files"] = [SimpleUploadedFile("a.pdf", PDF)]
        with CaptureQueriesContext(connection) as queries:
            assert client.post(reverse("tracking:report_create", args=[assignment.pk]), data).status_code == 302
        return [query["sql"] for query in queries]

    send(1)
    second = send(2)  # the first has no report before it to compare with (Back then 报送)
    for n in range(3, 6):
        later = send(n)

    assert len(later) == len(second)
    # One read of files: the latest report's, to tell a report sent twice (Back then 报送).
    files_read = [sql for sql in later if sql.startswith("SELECT") and "tracking_evidencefile" in sql]
    assert len(files_read) == 1
    assert ProgressReport.objects.filter(assignment=assignment).count() == 5


def test_the_dashboard_s_county_filter_offers_its_counties_without_a_query_and_still_checks_one_sent(
    client, published, counties, editor
):
    client.force_login(editor)
    url = reverse("tracking:plan_dashboard", args=[published.pk])

    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()

    select = re.search(r'<select id="id_county" name="county">(.*?)</select>', page, re.S).group(1)
    offered = re.findall(r'<option value="(\d*)"(?: selected)?>([^<]*)</option>', select)
    ordered = sorted(counties, key=lambda county: (county.code, county.name))
    assert offered == [("", "全部县（市、区）")] + [(str(county.pk), county.name) for county in ordered]
    # (The memberships' query joins the offices' counties for their cities.)
    assert not any(
        "organisation_county" in query["sql"]
        and "tracking_assignment" not in query["sql"]
        and "organisation_membership" not in query["sql"]
        for query in queries
    )

    chosen = client.get(url, {"county": counties[1].pk}).content.decode()
    assert f'<option value="{counties[1].pk}" selected>' in chosen
    assert client.get(url, {"county": 10**9}).status_code == 200  # not one of them: the form says so
