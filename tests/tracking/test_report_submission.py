"""报送 once: a form's key answers only on its own assignment and for its own user, and the same
report sent again (a double-click, a retry, Back then 报送) is stored once, files included."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from organisation.models import Membership
from plans.models import WorkPlan
from plans.services import work_plan_publish, work_plan_submit
from tests.factories import (
    CountyFactory,
    OfficeFactory,
    RegionFactory,
    county_user_create,
    staff_user_create,
    work_plan_build,
)
from tracking.models import Assignment, EvidenceFile, ProgressReport
from tracking.services.reports import report_review, report_submit

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def office():
    return OfficeFactory(region=RegionFactory(name="测试市"))


@pytest.fixture
def counties(office):
    return [CountyFactory(city=office.region, name=f"测试{n}区") for n in range(2)]


@pytest.fixture
def plan(office, counties):
    plan = work_plan_build(tasks=2, counties=counties, office=office, status=WorkPlan.Status.DRAFT)
    work_plan_submit(plan=plan, acting_user=staff_user_create(office=office))
    return work_plan_publish(plan=plan, acting_user=staff_user_create(office=office, role=Membership.Role.REVIEWER))


def send(assignment, user, key, text="已完成自查。", data=PDF):
    return report_submit(
        assignment=assignment,
        acting_user=user,
        progress="done",
        text=text,
        files=[SimpleUploadedFile("自查报告.pdf", data)],
        submission_key=key,
    )


def test_a_key_of_another_counties_assignment_is_a_fresh_report_here(plan, counties):
    theirs = Assignment.objects.filter(plan=plan, county=counties[1]).first()
    mine = Assignment.objects.filter(plan=plan, county=counties[0]).first()
    key = uuid.uuid4()
    their_report = send(theirs, county_user_create(county=counties[1]), key, text="他县的报告")

    report = send(mine, county_user_create(county=counties[0]), key, text="本县的报告")

    assert not report.is_repeat and report != their_report
    assert (report.assignment, report.text) == (mine, "本县的报告")
    assert ProgressReport.objects.count() == 2 and EvidenceFile.objects.count() == 2
    mine.refresh_from_db()
    assert mine.state == Assignment.State.REPORTED


def test_a_key_used_on_one_assignment_is_a_fresh_report_on_another_of_the_same_user(plan, counties):
    first, second = Assignment.objects.filter(plan=plan, county=counties[0])[:2]
    user, key = county_user_create(county=counties[0]), uuid.uuid4()

    send(first, user, key)
    again = send(second, user, key)

    assert not again.is_repeat and again.assignment == second
    assert send(second, user, key) == again  # and single-use there in turn
    assert ProgressReport.objects.count() == 2


def test_the_same_key_on_the_same_assignment_answers_with_the_stored_report(plan, counties):
    assignment = Assignment.objects.filter(plan=plan, county=counties[0]).first()
    user, key = county_user_create(county=counties[0]), uuid.uuid4()
    first = send(assignment, user, key)

    again = send(assignment, user, key, text="改过的文字")

    assert again == first and again.is_repeat and again.text == "已完成自查。"
    assert ProgressReport.objects.count() == 1 and EvidenceFile.objects.count() == 1


def test_the_same_report_under_a_new_key_is_stored_once_while_it_awaits_review(plan, counties, office):
    assignment = Assignment.objects.filter(plan=plan, county=counties[0]).first()
    user = county_user_create(county=counties[0])
    first = send(assignment, user, uuid.uuid4())

    assert send(assignment, user, uuid.uuid4()) == first  # Back, then 报送: a new key, same report
    assert not send(assignment, user, uuid.uuid4(), data=PDF + b"%v2\n").is_repeat  # another file
    assert ProgressReport.objects.count() == 2

    latest = ProgressReport.objects.latest("pk")
    report_review(report=latest, acting_user=staff_user_create(office=office), accept=False, comment="请补充")
    resent = send(assignment, user, uuid.uuid4(), data=PDF + b"%v2\n")  # after a review: on purpose
    assert not resent.is_repeat and ProgressReport.objects.count() == 3


def test_back_and_send_on_the_page_says_it_was_already_sent(client, plan, counties):
    assignment = Assignment.objects.filter(plan=plan, county=counties[0]).first()
    client.force_login(county_user_create(county=counties[0]))
    url = reverse("tracking:report_create", args=[assignment.pk])

    def post():
        return client.post(
            url,
            {
                "progress": "done",
                "text": "已完成自查。",
                "submission_key": str(uuid.uuid4()),
                "files": [SimpleUploadedFile("自查报告.pdf", PDF)],
            },
            follow=True,
        )

    assert "报告已报送" in post().content.decode()
    assert "未重复保存" in post().content.decode()
    assert ProgressReport.objects.count() == 1 and EvidenceFile.objects.count() == 1
