"""The to-do inbox of staff: plans in review for those who publish them, reports awaiting
review for those who review them (never their own), across their offices; several reports of
one county on one assignment are one item; 审核下一份 after each decision; a count in the menu."""

import re

import pytest
from django.db.models import F
from django.urls import reverse

from organisation.models import Membership
from plans.models import WorkPlan
from plans.services import work_plan_publish, work_plan_submit
from tests.factories import (
    CountyFactory,
    MembershipFactory,
    OfficeFactory,
    RegionFactory,
    county_user_create,
    staff_user_create,
    work_plan_build,
)
from tracking.models import Assignment, ProgressReport
from tracking.services.reports import report_review, report_submit

pytestmark = pytest.mark.django_db


def published(office, counties, tasks=2, title=None):
    plan = work_plan_build(
        tasks=tasks,
        counties=counties,
        office=office,
        status=WorkPlan.Status.DRAFT,
        **({"title": title} if title else {}),
    )
    work_plan_submit(plan=plan, acting_user=staff_user_create(office=office))
    return work_plan_publish(plan=plan, acting_user=staff_user_create(office=office, role=Membership.Role.REVIEWER))


def report(assignment, user, text):
    return report_submit(assignment=assignment, acting_user=user, progress="done", text=text)


@pytest.fixture
def office():
    return OfficeFactory(region=RegionFactory(name="测试市"))


@pytest.fixture
def counties(office):
    return [CountyFactory(city=office.region, name=f"测试{n}区") for n in range(2)]


@pytest.fixture
def editor(office):
    return staff_user_create(office=office)


@pytest.fixture
def reviewer(office):
    return staff_user_create(office=office, role=Membership.Role.REVIEWER)


@pytest.fixture
def waiting(office, counties, editor):
    """Two reports of one county on one assignment, one of the other county, one the editor
    sent themselves (they work for the county too), one of another office; a plan in review."""
    plan = published(office, counties, title="2020年测试市督导工作要点")
    first, second = Assignment.objects.filter(plan=plan, county=counties[0]).order_by("pk")[:2]
    other = Assignment.objects.filter(plan=plan, county=counties[1]).first()
    county_user = county_user_create(county=counties[0])
    reports = [report(first, county_user, "初报"), report(other, county_user_create(county=counties[1]), "他县")]
    reports.append(report(first, county_user, "补充"))
    MembershipFactory(user=editor, office=county_user.memberships.get().office, role=Membership.Role.COUNTY)
    report(second, editor, "自己报的")
    elsewhere = OfficeFactory(region=RegionFactory(name="别市"))
    far = CountyFactory(city=elsewhere.region)
    report(Assignment.objects.filter(plan=published(elsewhere, [far])).first(), county_user_create(county=far), "别处")
    in_review = work_plan_build(tasks=1, office=office, status=WorkPlan.Status.DRAFT, title="待审的计划")
    work_plan_submit(plan=in_review, acting_user=editor)
    return {"first": first, "other": other, "second": second, "reports": reports, "in_review": in_review}


def groups(html):
    return re.findall(r'href="/assignments/(\d+)/#reports-heading"', html)


def test_an_editor_sees_the_reports_they_may_review_grouped_by_assignment(client, editor, waiting):
    client.force_login(editor)

    html = client.get(reverse("tracking:inbox")).content.decode()

    assert groups(html) == [str(waiting["first"].pk), str(waiting["other"].pk)]  # the longest waiting first
    assert "2 份报告" in html and "3 份报告待审核" in html
    assert "待审的计划" not in html  # an editor does not publish
    assert re.search(r'待办 <span class="nav-count">3</span>', html)


def test_a_reviewer_also_sees_the_plans_in_review(client, reviewer, waiting):
    client.force_login(reviewer)

    html = client.get(reverse("tracking:inbox")).content.decode()

    assert "待审的计划" in html and "1 份计划待发布" in html
    assert groups(html) == [str(waiting["first"].pk), str(waiting["other"].pk), str(waiting["second"].pk)]
    assert re.search(r'待办 <span class="nav-count">5</span>', client.get(reverse("plans:plan_list")).content.decode())


def test_a_county_user_and_a_viewer_have_no_inbox(client, office, counties, waiting):
    client.force_login(county_user_create(county=counties[0]))
    assert client.get(reverse("tracking:inbox")).status_code == 403
    assert "待办" not in client.get(reverse("tracking:portal")).content.decode()
    client.force_login(staff_user_create(office=office, role=Membership.Role.VIEWER))
    assert client.get(reverse("tracking:inbox")).status_code == 403


def test_review_next_goes_on_to_the_longest_waiting_report_then_back_to_the_inbox(client, editor, waiting):
    client.force_login(editor)
    initial, other, follow_up = waiting["reports"]

    def review(report):
        return client.post(reverse("tracking:report_review", args=[report.pk]), {"decision": "accept", "then": "next"})

    detail = client.get(reverse("tracking:assignment_detail", args=[waiting["first"].pk])).content.decode()
    assert f'href="/assignments/{waiting["other"].pk}/">审核下一份' in detail
    assert review(initial).url == reverse("tracking:assignment_detail", args=[waiting["other"].pk])
    assert review(other).url == reverse("tracking:assignment_detail", args=[waiting["first"].pk])  # its second report
    response = review(follow_up)
    assert response.url == reverse("tracking:inbox")
    assert "没有其他待您审核的报告了" in client.get(response.url).content.decode()
    assert set(
        ProgressReport.objects.filter(pk__in=[initial.pk, other.pk, follow_up.pk]).values_list("review", flat=True)
    ) == {"accepted"}


def test_the_inbox_takes_a_pinned_number_of_queries_whatever_waits(
    client, office, counties, reviewer, waiting, django_assert_num_queries
):
    client.force_login(reviewer)
    client.get(reverse("tracking:inbox"))

    # session, user, memberships with the menu's count; plans in review; reports.
    with django_assert_num_queries(5):
        client.get(reverse("tracking:inbox"))
    plan = published(office, counties, tasks=10)
    county_user = county_user_create(county=counties[1])
    for assignment in Assignment.objects.filter(plan=plan, county=counties[1]):
        report(assignment, county_user, "已完成")
    with django_assert_num_queries(5):
        html = client.get(reverse("tracking:inbox")).content.decode()
    assert len(groups(html)) == 13


def test_a_report_still_pending_on_an_assignment_closed_by_another_is_still_counted(client, editor, waiting):
    # The first of two reports accepted closes the assignment; the second still awaits review.
    initial, _other, follow_up = waiting["reports"]
    report_review(report=initial, acting_user=staff_user_create(office=waiting["first"].office), accept=True)
    assert Assignment.objects.get(pk=waiting["first"].pk).state == Assignment.State.ACCEPTED
    client.force_login(editor)

    html = client.get(reverse("tracking:inbox")).content.decode()

    assert groups(html) == [str(waiting["other"].pk), str(waiting["first"].pk)]  # the longest waiting first
    assert re.search(r'待办 <span class="nav-count">2</span>', html)
    assert ProgressReport.objects.get(pk=follow_up.pk).review == ProgressReport.Review.PENDING


def test_each_report_is_filed_under_its_assignments_office(waiting):
    reports = ProgressReport.objects.all()

    assert reports.count() == 5
    assert not reports.exclude(office=F("assignment__office")).exists()


def test_a_feed_reads_the_memberships_without_the_count(django_assert_num_queries, reviewer, waiting):
    # A calendar feed shows no menu: the reviewer's memberships alone, the same offices.
    from django.contrib.auth import get_user_model

    from organisation.access import access_for, access_without_inbox

    with_count = access_for(get_user_model().objects.get(pk=reviewer.pk))
    user = get_user_model().objects.get(pk=reviewer.pk)
    with django_assert_num_queries(1):
        plain = access_without_inbox(user)
        assert access_for(user) is plain  # kept for the request, not read again

    assert with_count.inbox == 5 and plain.inbox == 0
    assert plain.offices == with_count.offices and plain.cities == with_count.cities
