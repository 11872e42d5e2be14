"""Reviewing a county's report: nobody reviews what they sent themselves, in the rule the
pages ask and in the service."""

import pytest
import rules
from django.core.exceptions import ValidationError
from django.urls import reverse

from organisation.models import Membership
from plans.models import WorkPlan
from plans.services import work_plan_publish, work_plan_submit
from tests.factories import (
    CountyFactory,
    MembershipFactory,
    OfficeFactory,
    RegionFactory,
    UserFactory,
    county_user_create,
    staff_user_create,
    work_plan_build,
)
from tracking.models import Assignment, ProgressReport
from tracking.services.reports import report_review, report_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return OfficeFactory(region=RegionFactory(name="测试市"))


@pytest.fixture
def county(office):
    return CountyFactory(city=office.region, name="测试一区")


@pytest.fixture
def plan(office, county):
    plan = work_plan_build(tasks=2, counties=[county], office=office, status=WorkPlan.Status.DRAFT)
    work_plan_submit(plan=plan, acting_user=staff_user_create(office=office))
    return work_plan_publish(plan=plan, acting_user=staff_user_create(office=office, role=Membership.Role.REVIEWER))


@pytest.fixture
def two_hats(office, county):
    """A user of the county's office who is also an editor in the issuing office."""
    user = county_user_create(county=county)
    MembershipFactory(user=user, office=office, role=Membership.Role.EDITOR)
    return user


def test_a_user_with_a_county_and_an_editor_role_cannot_accept_their_own_report(plan, county, two_hats):
    assignment = Assignment.objects.filter(plan=plan, county=county).first()
    report = report_submit(assignment=assignment, acting_user=two_hats, progress="done", text="已完成")

    with pytest.raises(ValidationError) as refused:
        report_review(report=report, acting_user=two_hats, accept=True)

    assert refused.value.code == "own_report"
    assert "本人报送" in refused.value.messages[0]
    report.refresh_from_db()
    assignment.refresh_from_db()
    assert report.review == ProgressReport.Review.PENDING and assignment.state == Assignment.State.REPORTED


def test_an_administrator_does_not_review_their_own_report_either(plan, county):
    admin = county_user_create(county=county, user=UserFactory(is_superuser=True))
    report = report_submit(
        assignment=Assignment.objects.filter(plan=plan, county=county).first(),
        acting_user=admin,
        progress="done",
        text="已完成",
    )

    assert not rules.test_rule("review_report", admin, report)
    with pytest.raises(ValidationError):
        report_review(report=report, acting_user=admin, accept=False, comment="退回自己")


def test_the_rule_lets_another_editor_review_and_not_the_author(plan, county, office, two_hats):
    report = report_submit(
        assignment=Assignment.objects.filter(plan=plan, county=county).first(),
        acting_user=two_hats,
        progress="done",
        text="已完成",
    )
    colleague = staff_user_create(office=office)

    assert rules.test_rule("review_report", colleague, report)
    assert not rules.test_rule("review_report", two_hats, report)
    assert not rules.test_rule("review_report", staff_user_create(office=office, role=Membership.Role.VIEWER), report)
    assert not rules.test_rule("review_report", staff_user_create(), report)  # another office


def test_the_author_sees_no_review_form_and_a_forged_review_is_refused(client, plan, county, office, two_hats):
    assignment = Assignment.objects.filter(plan=plan, county=county).first()
    report = report_submit(assignment=assignment, acting_user=two_hats, progress="done", text="已完成")
    url = reverse("tracking:assignment_detail", args=[assignment.pk])
    client.force_login(two_hats)

    page = client.get(url).content.decode()
    assert reverse("tracking:report_review", args=[report.pk]) not in page
    assert "须由本机关其他人审核" in page

    response = client.post(reverse("tracking:report_review", args=[report.pk]), {"decision": "accept"}, follow=True)
    assert "本人报送" in response.content.decode()
    report.refresh_from_db()
    assert report.review == ProgressReport.Review.PENDING

    client.force_login(staff_user_create(office=office))
    assert reverse("tracking:report_review", args=[report.pk]) in client.get(url).content.decode()


def test_the_page_lists_the_reports_newest_first_with_their_text_files_and_comments(client, plan, county, office):
    from django.core.files.uploadedfile import SimpleUploadedFile

    assignment = Assignment.objects.filter(plan=plan, county=county).first()
    author = county_user_create(county=county, user=UserFactory(first_name="", last_name="", username="区督导员"))
    reviewer = staff_user_create(office=office, role=Membership.Role.REVIEWER)
    first = report_submit(
        assignment=assignment, acting_user=author, progress="in_progress", text="第一段\n\n<b>第二段</b>"
    )
    report_review(report=first, acting_user=reviewer, accept=False, comment="请补充<照片>")
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    second = report_submit(
        assignment=assignment,
        acting_user=author,
        progress="done",
        text="已完成",
        files=[SimpleUploadedFile("自查报告.pdf", pdf)],
    )
    url = reverse("tracking:assignment_detail", args=[assignment.pk])

    client.force_login(author)
    page = client.get(url).content.decode()
    assert page.index(f"report--{second.review}") < page.index("report--returned")
    assert "<p>第一段</p>" in page and "<p>&lt;b&gt;第二段&lt;/b&gt;</p>" in page and "第二段</b>" not in page
    evidence = second.evidence.get()
    assert f'<a href="{reverse("tracking:evidence_download", args=[evidence.pk])}">自查报告.pdf</a>' in page
    assert "请补充&lt;照片&gt;" in page
    assert "区督导员" in page
    assert "review-form" not in page  # the county does not review

    client.force_login(reviewer)
    page = client.get(url).content.decode()
    assert page.count('class="stacked-form review-form"') == 1  # the pending report's alone
    assert reverse("tracking:report_review", args=[second.pk]) in page
    assert reverse("tracking:report_review", args=[first.pk]) not in page


def test_an_assignment_without_reports_says_so(client, plan, county):
    assignment = Assignment.objects.filter(plan=plan, county=county).first()
    client.force_login(county_user_create(county=county))

    assert "尚无报告" in client.get(reverse("tracking:assignment_detail", args=[assignment.pk])).content.decode()
