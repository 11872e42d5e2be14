"""The whole 整改 cycle in Debian chromium: staff issue items from an inspection's findings (one
for the chosen findings at once, one from its finding's page, closing only after a follow-up
check); the county reports with evidence; staff close one (销号) and, refused for the other,
return it; the county reports again; a follow-up check confirms it on site; staff close it."""

import datetime

import pytest
from playwright.sync_api import expect

from inspections.models import Rectification
from inspections.rectification import rectification_obligation
from tests.browser.helpers import sign_in
from tests.inspections.rectification_builders import PDF, finding_make, work_world
from tracking.models import Assignment


def _report(page, live_server, obligation, text, evidence):
    page.goto(f"{live_server.url}/assignments/{obligation.pk}/")
    page.get_by_label("已完成").check()
    page.get_by_label("完成情况").fill(text)
    page.get_by_label("佐证材料").set_input_files(str(evidence))
    page.get_by_role("button", name="报送").click()
    expect(page.locator(".message--success")).to_have_text("报告已报送。")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_issue_report_return_close_follow_up_confirm_close(live_server, page, tmp_path):
    people = work_world()
    canteen = finding_make(people, "a1", text="食堂未落实陪餐制度。")
    fire = finding_make(people, "a1", text="消防通道堆放杂物。", severity="serious")
    evidence = tmp_path / "整改报告.pdf"
    evidence.write_bytes(PDF)
    deadline = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()

    # Staff issue 整改: the canteen finding from the findings page, the fire one from its page.
    sign_in(page, live_server, "editor_a")
    page.goto(f"{live_server.url}/inspections/{people['inspection'].pk}/findings/")
    page.locator(f"input[name=findings][value='{canteen.pk}']").check()
    page.get_by_label("截止日期").fill(deadline)
    page.get_by_role("button", name="下发整改").click()
    expect(page.locator(".message--success")).to_have_text("已下发 1 个整改事项。")
    page.get_by_role("link", name="消防通道堆放杂物。").click()
    page.get_by_label("整改要求").fill("清理消防通道，建立巡查制度。")
    page.get_by_label("整改到位的标准").fill("报送清理前后照片和巡查记录。")
    page.get_by_label("截止日期").fill(deadline)
    page.get_by_label("须经整改情况督查现场确认后方可销号").check()
    page.get_by_role("button", name="下发整改").click()
    expect(page.locator("h1")).to_contain_text("整改事项")
    first = Rectification.objects.get(finding=canteen)
    second = Rectification.objects.get(finding=fire)
    assert second.needs_follow_up and not first.needs_follow_up

    # The county sees both in its portal and reports with evidence.
    sign_in(page, live_server, "county_a1")
    page.goto(f"{live_server.url}/my/?view=plan")
    expect(page.locator("main")).to_contain_text("清理消防通道，建立巡查制度。")
    expect(page.locator("main")).to_contain_text("对以下问题进行整改：食堂未落实陪餐制度。")
    page.goto(f"{live_server.url}/assignments/{rectification_obligation(second).pk}/")
    expect(page.locator("main")).to_contain_text("报送清理前后照片和巡查记录。")
    expect(page.locator("main")).to_contain_text("须经整改情况督查现场确认后方可销号")
    _report(page, live_server, rectification_obligation(first), "已建立陪餐制度。", evidence)
    _report(page, live_server, rectification_obligation(second), "已清理消防通道。", evidence)

    # Staff close the first (销号); the second is refused until a follow-up check: they return it.
    sign_in(page, live_server, "editor_a")
    page.goto(f"{live_server.url}/assignments/{rectification_obligation(first).pk}/")
    page.get_by_label("通过", exact=True).check()
    page.get_by_role("button", name="提交审核结果").click()
    expect(page.locator(".message--success")).to_have_text("审核结果已记录。")
    assert rectification_obligation(first).state == Assignment.State.ACCEPTED

    page.goto(f"{live_server.url}/assignments/{rectification_obligation(second).pk}/")
    page.get_by_label("通过", exact=True).check()
    page.get_by_label("意见（退回时必填）").fill("照片齐全。")
    page.get_by_role("button", name="提交审核结果").click()
    expect(page.locator(".error-summary")).to_contain_text("须经整改情况督查现场确认整改到位后方可销号")
    expect(page.get_by_label("意见（退回时必填）")).to_have_value("照片齐全。")
    page.get_by_label("附意见退回").check()
    page.get_by_label("意见（退回时必填）").fill("请补充巡查制度文件。")
    page.get_by_role("button", name="提交审核结果").click()
    expect(page.locator(".message--success")).to_have_text("审核结果已记录。")
    assert rectification_obligation(second).state == Assignment.State.RETURNED

    sign_in(page, live_server, "county_a1")
    _report(page, live_server, rectification_obligation(second), "已补充巡查制度文件。", evidence)

    # A follow-up check goes back to it and confirms it on site; then staff close it.
    sign_in(page, live_server, "editor_a")
    page.goto(f"{live_server.url}/rectification/{second.pk}/")
    page.get_by_label("新督查的名称").fill("消防安全整改情况督查")
    page.get_by_label("实地督查开始日期").fill(deadline)
    page.get_by_label("实地督查结束日期").fill(deadline)
    page.get_by_role("button", name="列入该整改情况督查").click()
    expect(page.locator(".message--success")).to_contain_text("消防安全整改情况督查")
    page.get_by_label("整改到位：现场确认").check()
    page.get_by_role("button", name="记录核查结论").click()
    expect(page.locator(".message--success")).to_have_text("已确认整改到位，现在可以销号。")
    page.goto(f"{live_server.url}/assignments/{rectification_obligation(second).pk}/")
    page.get_by_label("通过", exact=True).check()
    page.get_by_role("button", name="提交审核结果").click()
    expect(page.locator(".message--success")).to_have_text("审核结果已记录。")
    assert rectification_obligation(second).state == Assignment.State.ACCEPTED

    page.goto(f"{live_server.url}/rectification/?state=closed")
    expect(page.locator(".rectification-table tbody tr")).to_have_count(2)
    page.goto(f"{live_server.url}/rectification/{second.pk}/")
    history = page.locator(".history-list")
    expect(history).to_contain_text("下发整改事项")
    expect(history).to_contain_text("列入整改情况督查")
    expect(history).to_contain_text("整改情况督查确认整改到位")
