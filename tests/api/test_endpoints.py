"""What each endpoint shows and refuses, role by role: the pages' rules, never more. A county
reads its own obligations and reports only, a bureau user another office's issued plans and
never its drafts; a county reports through tracking's service, its files checked as the
portal's are."""

import datetime
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from api.models import ApiToken
from audit.models import ActionLog
from inspections.models import Rectification
from organisation.models import Membership
from plans.models import WorkPlan
from tests.api.helpers import api_client
from tests.factories import (
    CountyFactory,
    OfficeFactory,
    TaskFactory,
    county_user_create,
    staff_user_create,
    work_plan_build,
)
from tests.inspections.rectification_builders import inspection_make, item_make, work_world
from tracking import actions
from tracking.models import Assignment, EvidenceFile, ProgressReport
from tracking.services.reports import report_submit

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def assignment_make(plan, county, *, number=1, label="任务") -> Assignment:
    return Assignment.objects.create(
        office=plan.office,
        year=plan.plan_year,
        plan=plan,
        task=plan.tasks.get(number=number),
        county=county,
        label=label,
        due_date=datetime.date(2020, 6, 30),
        due_date_rule=datetime.date(2020, 6, 30),
    )


@pytest.fixture
def office_a():
    """Office A: a published plan giving work to county X and county Y, a draft; Y's report."""
    office = OfficeFactory(name="甲市教育督导室")
    x, y = CountyFactory(name="甲县"), CountyFactory(name="乙县")
    published = work_plan_build(tasks=2, counties=[x], office=office)
    TaskFactory(plan=published, number=3, counties=[y])
    draft = work_plan_build(
        tasks=1, counties=[x], office=office, status=WorkPlan.Status.DRAFT, title="机密草稿", doc_number=""
    )
    county_y = county_user_create(county=y)
    owed_x = assignment_make(published, x, label="甲县的任务")
    owed_y = assignment_make(published, y, number=3, label="乙县的任务")
    report_y = report_submit(
        assignment=owed_y,
        acting_user=county_y,
        progress="done",
        text="乙县的报告",
        files=[SimpleUploadedFile("r.pdf", PDF)],
    )
    return {
        "office": office,
        "x": x,
        "y": y,
        "published": published,
        "draft": draft,
        "owed_x": owed_x,
        "owed_y": owed_y,
        "report_y": report_y,
        "county_x": county_user_create(county=x),
        "county_y": county_y,
        "editor": staff_user_create(office=office),
        "viewer": staff_user_create(office=office, role=Membership.Role.VIEWER),
        "other_staff": staff_user_create(office=OfficeFactory(name="乙市教育督导室")),
    }


def test_a_bureau_user_of_another_office_reads_issued_plans_never_drafts(office_a, ids):
    api = api_client(office_a["other_staff"])
    draft, published = office_a["draft"], office_a["published"]

    assert ids(api.get("/api/plans/")) == [published.pk]
    assert api.get(f"/api/plans/{draft.pk}/").status_code == 404
    assert api.get(f"/api/plans/{published.pk}/").json()["title"] == published.title
    task_plans = {row["plan"] for row in api.get("/api/tasks/").json()["results"]}
    line_plans = {row["plan"] for row in api.get("/api/calendar-lines/").json()["results"]}
    assert task_plans == line_plans == {published.pk}
    assert "机密草稿" not in api.get(f"/api/tasks/?plan={draft.pk}").content.decode()


def test_the_offices_viewer_reads_its_drafts(office_a, ids):
    api = api_client(office_a["viewer"])
    assert set(ids(api.get("/api/plans/"))) == {office_a["draft"].pk, office_a["published"].pk}
    assert ids(api.get("/api/plans/?status=draft")) == [office_a["draft"].pk]
    assert len(ids(api.get(f"/api/tasks/?plan={office_a['draft'].pk}"))) == 1


def test_a_county_reads_the_issued_plans_naming_it_and_its_own_work_only(office_a, ids):
    api = api_client(office_a["county_x"])
    assert ids(api.get("/api/plans/")) == [office_a["published"].pk]
    assert ids(api.get("/api/obligations/")) == [office_a["owed_x"].pk]
    assert api.get(f"/api/obligations/{office_a['owed_y'].pk}/").status_code == 404
    assert ids(api.get("/api/reports/")) == []
    assert api.get(f"/api/reports/{office_a['report_y'].pk}/").status_code == 404
    assert ids(api.get("/api/counties/")) == [office_a["x"].pk]
    assert api.get(f"/api/counties/{office_a['y'].pk}/").status_code == 404


def test_the_issuing_office_reads_every_countys_work_and_reports(office_a, ids):
    api = api_client(office_a["viewer"])
    assert set(ids(api.get("/api/obligations/"))) == {office_a["owed_x"].pk, office_a["owed_y"].pk}
    assert ids(api.get(f"/api/obligations/?county={office_a['y'].pk}")) == [office_a["owed_y"].pk]
    report = api.get(f"/api/reports/{office_a['report_y'].pk}/").json()
    assert report["text"] == "乙县的报告" and report["obligation"] == office_a["owed_y"].pk
    assert report["evidence"][0]["url"] == f"/evidence/{office_a['report_y'].evidence.get().pk}/"
    assert ids(api.get(f"/api/reports/?obligation={office_a['owed_x'].pk}")) == []


def test_another_office_reads_none_of_the_offices_work(office_a, ids):
    api = api_client(office_a["other_staff"])
    assert ids(api.get("/api/obligations/")) == []
    assert ids(api.get("/api/reports/")) == []
    assert api.get(f"/api/obligations/{office_a['owed_x'].pk}/").status_code == 404
    # Every bureau user reads any county's page (plans.view_county).
    assert office_a["y"].pk in ids(api.get(f"/api/counties/?code={office_a['y'].code}"))


def test_a_user_without_membership_reads_nothing(office_a, ids):
    from tests.factories import UserFactory

    api = api_client(UserFactory())
    for path in (
        "plans",
        "tasks",
        "calendar-lines",
        "counties",
        "obligations",
        "reports",
        "inspections",
        "rectifications",
    ):
        assert ids(api.get(f"/api/{path}/")) == [], path


FUTURE = datetime.date.today() + datetime.timedelta(days=60)


def test_inspections_and_rectification_items_by_role(ids):
    people = work_world()
    item_a1 = item_make(people, "a1", due_date=FUTURE)
    item_a2 = item_make(people, "a2", due_date=FUTURE, text="校舍安全隐患。")
    inspection = people["inspection"]

    editor = api_client(people["editor_a"])
    assert ids(editor.get("/api/inspections/")) == [inspection.pk]
    assert set(ids(editor.get("/api/rectifications/"))) == {item_a1.pk, item_a2.pk}
    county = api_client(people["county_a1"])
    assert ids(county.get("/api/rectifications/")) == [item_a1.pk]
    assert county.get(f"/api/rectifications/{item_a2.pk}/").status_code == 404
    other = api_client(people["editor_b"])
    assert ids(other.get("/api/inspections/")) == [] and ids(other.get("/api/rectifications/")) == []
    assert Rectification.objects.count() == 2


# --- A county reports ----------------------------------------------------------------------------


def test_a_county_posts_a_report_with_evidence(office_a):
    api = api_client(office_a["county_x"], scope=ApiToken.Scope.READ_WRITE)
    owed = office_a["owed_x"]
    key = str(uuid.uuid4())
    sent = {
        "progress": "done",
        "text": "已完成自查。",
        "files": [SimpleUploadedFile("自查报告.pdf", PDF)],
        "submission_key": key,
    }

    response = api.post(f"/api/obligations/{owed.pk}/reports/", sent)
    assert response.status_code == 201, response.content
    body = response.json()
    report = ProgressReport.objects.get(pk=body["id"])
    assert report.author == office_a["county_x"] and report.text == "已完成自查。"
    assert [e["name"] for e in body["evidence"]] == ["自查报告.pdf"]
    assert EvidenceFile.objects.get(report=report).sha256 == body["evidence"][0]["sha256"]
    owed.refresh_from_db()
    assert owed.state == Assignment.State.REPORTED
    assert ActionLog.objects.filter(action_type=actions.REPORT_SUBMITTED.name, object_id=report.pk).count() == 1

    # The same key again (a retry): the stored report, nothing twice.
    sent["files"] = [SimpleUploadedFile("自查报告.pdf", PDF)]
    again = api.post(f"/api/obligations/{owed.pk}/reports/", sent)
    assert again.status_code == 200 and again.json()["id"] == report.pk
    assert ProgressReport.objects.filter(assignment=owed).count() == 1


def test_a_reports_files_are_checked_by_tracking(office_a):
    api = api_client(office_a["county_x"], scope=ApiToken.Scope.READ_WRITE)
    owed = office_a["owed_x"]
    response = api.post(
        f"/api/obligations/{owed.pk}/reports/",
        {"progress": "done", "text": "见附件。", "files": [SimpleUploadedFile("照片.pdf", b"MZ\x90\x00 not a pdf")]},
    )
    assert response.status_code == 400
    assert "照片.pdf" in response.json()["detail"][0]
    assert not ProgressReport.objects.filter(assignment=owed).exists()
    assert api.post(f"/api/obligations/{owed.pk}/reports/", {"progress": "done", "text": ""}).status_code == 400


def test_nobody_else_reports_on_a_countys_obligation(office_a):
    owed = office_a["owed_x"]
    sent = {"progress": "done", "text": "代报。"}
    other_county = api_client(office_a["county_y"], scope=ApiToken.Scope.READ_WRITE)
    assert other_county.post(f"/api/obligations/{owed.pk}/reports/", sent).status_code == 404
    editor = api_client(office_a["editor"], scope=ApiToken.Scope.READ_WRITE)
    assert editor.post(f"/api/obligations/{owed.pk}/reports/", sent).status_code == 403
    read_only = api_client(office_a["county_x"])
    assert read_only.post(f"/api/obligations/{owed.pk}/reports/", sent).status_code == 403
    assert not ProgressReport.objects.filter(assignment=owed).exists()


def test_the_lists_page_by_cursor(office_a):
    api = api_client(office_a["viewer"])
    first = api.get("/api/tasks/?page_size=2").json()
    second = api.get(first["next"]).json()
    assert len(first["results"]) == 2 and first["results"][-1]["id"] < second["results"][0]["id"]
    assert "count" not in first


# --- Queries -------------------------------------------------------------------------------------

# token (with its user), memberships, the rows, and each list's prefetches.
LISTS = {
    "plans": 3,
    "tasks": 4,
    "calendar-lines": 4,
    "counties": 3,
    "obligations": 3,
    "reports": 4,
    "inspections": 3,
    "rectifications": 3,
}


def _grow(office, county, county_user, editor, size):
    plan = work_plan_build(tasks=size, counties=[county], office=office)
    for _ in range(size):
        inspection = inspection_make(office, [county])
        item_make({"editor_a": editor, "inspection": inspection, "x": county}, "x", due_date=FUTURE)
    for number in range(1, size + 1):
        owed = assignment_make(plan, county, number=number)
        report_submit(
            assignment=owed,
            acting_user=county_user,
            progress="done",
            text="报告",
            files=[SimpleUploadedFile("r.pdf", PDF + str(number).encode())],
        )


@pytest.mark.parametrize("path", sorted(LISTS))
def test_list_queries_do_not_depend_on_the_number_of_rows(path, office_a, django_assert_num_queries):
    api = api_client(office_a["editor"])
    api.get("/api/plans/")  # the token's first use is written once a minute, not measured here
    rows = []
    for size in (2, 12):
        _grow(office_a["office"], office_a["x"], office_a["county_x"], office_a["editor"], size)
        with django_assert_num_queries(LISTS[path]):
            response = api.get(f"/api/{path}/")
        assert response.status_code == 200
        rows.append(len(response.json()["results"]))
    assert rows[0] < rows[1] or rows[0] == 100, rows


def test_what_is_not_an_id_or_a_filter_is_refused_without_an_error(office_a):
    api = api_client(office_a["county_x"], scope=ApiToken.Scope.READ_WRITE)
    assert api.get("/api/plans/abc/").status_code == 404
    assert api.post("/api/obligations/x1/reports/", {"progress": "done", "text": "x"}).status_code == 404
    assert api.get("/api/obligations/?year=abc").status_code == 400
    assert api.get("/api/obligations/?due_after=2020-13-01").status_code == 400
    assert api.get("/api/plans/?cursor=not-a-cursor").status_code == 404
