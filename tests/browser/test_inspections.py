"""An inspection from a plan task to the counties' answers, in Debian chromium: the office's staff
create it with the checklist of its template and ask for the self-assessment; 金水区 answers the
checklist item by item and reports with evidence; staff read the answers beside the checklist."""

import pytest
from playwright.sync_api import expect

from inspections.models import Inspection
from inspections.services.checklists import ItemData, checklist_template_save
from organisation.models import County, Membership, Region
from tests.browser.helpers import sign_in
from tests.factories import (
    MembershipFactory,
    OfficeFactory,
    TaskFactory,
    UserFactory,
    WorkPlanFactory,
    county_user_create,
)
from tracking.models import Assignment, ProgressReport

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_inspection_from_its_template_to_the_countys_answers(live_server, page, tmp_path):
    zhengzhou = Region.objects.get(code="410100")
    jinshui = County.objects.get(name="金水区", city=zhengzhou)
    office = OfficeFactory(name="郑州市人民政府教育督导室", region=zhengzhou)
    MembershipFactory(office=office, role=Membership.Role.EDITOR, user=UserFactory(username="zz_staff"))
    county_user_create(county=jinshui, user=UserFactory(username="jinshui"))
    plan = WorkPlanFactory(office=office, plan_year=2026, title="2026年郑州市教育督导工作要点")
    TaskFactory(plan=plan, number=1, title="开展中小学校责任督学挂牌督导专项督导")
    checklist_template_save(
        office=office,
        kind="special",
        name="挂牌督导专项督导清单",
        items=[
            ItemData("督学责任区", "责任督学配备到位", "查阅任命文件", "责任督学名单"),
            ItemData("挂牌督导", "每月到校督导不少于一次", "查阅督导记录", "督导记录表"),
        ],
        acting_user=None,
    )
    evidence = tmp_path / "自查报告.pdf"
    evidence.write_bytes(PDF)

    # The office's staff create the inspection: its checklist comes from the template.
    sign_in(page, live_server, "zz_staff")
    page.get_by_role("link", name="督导检查", exact=True).click()
    page.get_by_role("link", name="新建督导检查").click()
    page.get_by_label("督导类别").select_option(label="专项督导")
    page.get_by_label("标题").fill("2026年挂牌督导制度落实情况专项督导")
    page.get_by_label("实地督导开始日期").fill("2026-06-15")
    page.get_by_label("实地督导结束日期").fill("2026-06-17")
    page.get_by_label("自查自评截止日期").fill("2026-06-05")
    page.get_by_label("工作要点任务").select_option(label="1. 开展中小学校责任督学挂牌督导专项督导")
    page.get_by_label("金水区").check()
    page.locator("select[name=team-0-role]").select_option(label="组长")
    page.locator("input[name=team-0-name]").fill("张组长")
    page.get_by_role("button", name="创建督导检查").click()

    expect(page.locator(".message--success")).to_contain_text("督导检查及其检查清单已创建")
    expect(page.locator(".checklist-table")).to_contain_text("责任督学配备到位")
    expect(page.locator(".inspection-tasks")).to_contain_text("开展中小学校责任督学挂牌督导专项督导")
    page.get_by_role("button", name="通知各县（市、区）开展自查自评").click()
    expect(page.locator(".message--success")).to_contain_text("自查自评")
    expect(page.locator("#self-heading")).to_be_visible()

    # 金水区 finds it in its portal, answers the checklist and reports with evidence.
    sign_in(page, live_server, "jinshui")
    page.goto(f"{live_server.url}/my/")
    page.get_by_role("link", name="自查自评：2026年挂牌督导制度落实情况专项督导").click()
    expect(page.locator("#self-assessment-heading")).to_have_text("自查自评清单")
    page.get_by_role("link", name="填写自查清单").click()
    items = page.locator(".self-assessment__item")
    items.nth(0).get_by_label("达到", exact=True).check()
    items.nth(0).get_by_label("情况说明").fill("各校均已配备责任督学。")
    items.nth(1).get_by_label("部分达到", exact=True).check()
    items.nth(1).get_by_label("情况说明").fill("个别学校督导记录不全。")
    page.get_by_role("button", name="保存自查自评").click()
    expect(page.locator(".message--success")).to_contain_text("自查自评已保存")
    expect(page.locator(".page-head")).to_contain_text("已作答 2 / 2 项")
    page.get_by_role("link", name="报送自查自评及佐证材料").click()
    expect(page.locator(".checklist-table")).to_contain_text("部分达到")
    page.get_by_label("已完成").check()
    page.get_by_label("完成情况").fill("已完成自查自评，报送自查报告。")
    page.get_by_label("佐证材料").set_input_files(str(evidence))
    page.get_by_role("button", name="报送").click()
    expect(page.locator(".message--success")).to_have_text("报告已报送。")

    # The staff read 金水区's answers beside the checklist.
    sign_in(page, live_server, "zz_staff")
    inspection = Inspection.objects.get()
    page.goto(f"{live_server.url}{inspection.get_absolute_url()}")
    table = page.locator(".checklist-table")
    expect(table.locator("thead")).to_contain_text("金水区")
    expect(table.locator(".rating--met")).to_have_text("达到")
    expect(table.locator(".rating--partly")).to_have_text("部分达到")
    expect(page.locator("#self-heading + .table-wrap")).to_contain_text("2 / 2")
    obligation = Assignment.objects.get(kind="self_assessment", county=jinshui)
    assert obligation.state == Assignment.State.REPORTED
    assert ProgressReport.objects.get(assignment=obligation).evidence.count() == 1
