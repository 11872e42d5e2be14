"""Times are read in the site's time zone (Asia/Shanghai) everywhere people see them: a report
sent at 04:01 UTC was sent at 12:01, on the page and in the workbook alike."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from organisation.models import Membership
from plans.models import WorkPlan
from plans.services import work_plan_publish, work_plan_submit
from supervision.localtime import datetime_attribute, local_minute_text, site_today
from tests.factories import (
    CountyFactory,
    OfficeFactory,
    RegionFactory,
    TaskFactory,
    WorkPlanFactory,
    county_user_create,
    staff_user_create,
)
from tracking.models import Assignment, ProgressReport
from tracking.services.reports import report_submit

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
SENT = datetime.datetime(2026, 3, 2, 4, 1, 7, 123456, tzinfo=UTC)  # 12:01 in Shanghai


@pytest.fixture
def report():
    region = RegionFactory(name="测试市")
    office = OfficeFactory(region=region)
    county = CountyFactory(city=region, name="测试区")
    editor = staff_user_create(office=office)
    plan = WorkPlanFactory(office=office, status=WorkPlan.Status.DRAFT, plan_year=2026)
    TaskFactory(plan=plan, number=1, counties=[county])
    work_plan_submit(plan=plan, acting_user=editor)
    work_plan_publish(plan=plan, acting_user=staff_user_create(office=office, role=Membership.Role.REVIEWER))
    assignment = Assignment.objects.get(plan=plan, county=county)
    report = report_submit(
        assignment=assignment, acting_user=county_user_create(county=county), progress="done", text="已完成。"
    )
    ProgressReport.objects.filter(pk=report.pk).update(created_at=SENT)
    return {"plan": plan, "assignment": assignment, "editor": editor}


def test_the_dashboard_workbook_gives_a_reports_time_as_the_page_does(client, report):
    client.force_login(report["editor"])
    page = client.get(reverse("tracking:assignment_detail", args=[report["assignment"].pk])).content.decode()
    response = client.get(reverse("tracking:plan_dashboard", args=[report["plan"].pk]) + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["进展报告"]
    header, row = [cell.value for cell in sheet[1]], [cell.value for cell in sheet[2]]

    exported = row[header.index("报送时间")]
    assert exported == "2026-03-02 12:01"
    assert exported in page
    assert "04:01" not in page


def test_times_are_written_in_the_site_time_zone_whatever_the_active_one():
    with timezone.override("UTC"):
        assert local_minute_text(SENT) == "2026-03-02 12:01"
        assert datetime_attribute(SENT) == "2026-03-02T12:01:07+08:00"
    assert local_minute_text(None) == datetime_attribute(None) == ""


def test_today_is_the_site_date_when_the_utc_date_is_still_yesterday(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2026, 3, 1, 16, 30, tzinfo=UTC))
    assert site_today() == datetime.date(2026, 3, 2)
