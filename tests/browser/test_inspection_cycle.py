"""Issue 18's whole cycle in Debian chromium, every step through the pages: a task of a published
plan → a 专项督导 carrying it out, its checklist from the template → the county's 自查自评 with
evidence → findings recorded on site on a phone-width page → 整改 for two findings (one closing
only after a follow-up check) → the county reports on both → staff close one and return the
other, refused to close it before the check → a 整改情况督查 confirms it → staff close it → the
office's dashboard counts both closed → a 督导意见书 is issued and its .docx opens."""

import io

import docx
import pytest
from playwright.sync_api import expect

from inspections.models import Finding, Inspection, Inspector, IssuedDocument, Rectification
from inspections.rectification import rectification_obligation
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
from tests.inspections.rectification_builders import JPEG, PDF
from tests.inspections.work_builders import series_make
from tracking.models import Assignment

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True, "locale": "zh-CN"}
TITLE = "2026年校园安全专项督导"
DEADLINE = "2026-12-30"  # a Wednesday, a working day


def _setting():
    """What no user does in the cycle: the office, its people, its published plan, the county, the
    checklist template and the office's 文号 prefix."""
    zhengzhou = Region.objects.get(code="410100")
    jinshui = County.objects.get(name="金水区", city=zhengzhou)
    office = OfficeFactory(name="郑州市人民政府教育督导室", region=zhengzhou)
    MembershipFactory(office=office, role=Membership.Role.EDITOR, user=UserFactory(username="zz_staff"))
    county_user_create(county=jinshui, user=UserFactory(username="jinshui"))
    # A 督学 of another county of the city, with an account: the staff put them on the team.
    zhongyuan = County.objects.get(name="中原区", city=zhengzhou)
    Inspector.objects.create(county=zhongyuan, name="李督学", user=UserFactory(username="li_inspector"))
    plan = WorkPlanFactory(office=office, plan_year=2026, title="2026年郑州市教育督导工作要点")
    TaskFactory(plan=plan, number=1, title="开展校园安全专项督导")
    checklist_template_save(
        office=office,
        kind="special",
        name="校园安全专项督导清单",
        items=[
            ItemData("消防安全", "消防通道畅通", "现场查看", "巡查记录"),
            ItemData("食品安全", "落实陪餐制度", "查阅陪餐记录", "陪餐记录"),
        ],
        acting_user=None,
    )
    series_make(office, "郑教督")
    return office, jinshui


def _report(page, live_server, obligation, text, evidence):
    page.goto(f"{live_server.url}/assignments/{obligation.pk}/")
    page.get_by_label("已完成").check()
    page.get_by_label("完成情况").fill(text)
    page.get_by_label("佐证材料").set_input_files(str(evidence))
    page.get_by_role("button", name="报送").click()
    expect(page.locator(".message--success")).to_have_text("报告已报送。")


def _review(page, live_server, obligation, *, accept=True, comment=""):
    page.goto(f"{live_server.url}/assignments/{obligation.pk}/")
    page.get_by_label("通过" if accept else "附意见退回", exact=True).check()
    if comment:
        page.get_by_label("意见（退回时必填）").fill(comment)
    page.get_by_role("button", name="提交审核结果").click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_whole_inspection_cycle(live_server, browser, page, tmp_path):
    office, jinshui = _setting()
    evidence = tmp_path / "佐证材料.pdf"
    evidence.write_bytes(PDF)
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(JPEG)

    # Staff create a 专项督导 carrying out the plan's task; its checklist comes from the template.
    sign_in(page, live_server, "zz_staff")
    page.get_by_role("link", name="督导检查", exact=True).click()
    page.get_by_role("link", name="新建督导检查").click()
    page.get_by_label("督导类别").select_option(label="专项督导")
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("实地督导开始日期").fill("2026-12-14")
    page.get_by_label("实地督导结束日期").fill("2026-12-16")
    page.get_by_label("自查自评截止日期").fill("2026-12-10")
    page.get_by_label("工作要点任务").select_option(label="1. 开展校园安全专项督导")
    page.get_by_label("金水区").check()
    page.locator("select[name=team-0-role]").select_option(label="组长")
    page.locator("input[name=team-0-name]").fill("张组长")
    page.locator("select[name=team-1-role]").select_option(label="成员")
    page.locator("input[name=team-1-name]").fill("李督学")
    page.locator("select[name=team-1-inspector]").select_option(label="李督学")
    page.get_by_role("button", name="创建督导检查").click()
    expect(page.locator(".message--success")).to_contain_text("督导检查及其检查清单已创建")
    expect(page.locator(".checklist-table")).to_contain_text("消防通道畅通")
    expect(page.locator(".inspection-tasks")).to_contain_text("开展校园安全专项督导")
    inspection = Inspection.objects.get()
    inspection_url = f"{live_server.url}{inspection.get_absolute_url()}"

    # The task of the published plan shows the inspection carrying it out.
    page.locator(".inspection-tasks a").click()
    expect(page.locator("main")).to_contain_text(TITLE)

    # Moved to 自查自评: the county is asked.
    page.goto(inspection_url)
    page.get_by_role("button", name="通知各县（市、区）开展自查自评").click()
    expect(page.locator(".stages__current")).to_have_text("自查自评")

    # 金水区 answers the checklist and reports with evidence.
    sign_in(page, live_server, "jinshui")
    page.goto(f"{live_server.url}/my/")
    page.get_by_role("link", name=f"自查自评：{TITLE}").click()
    page.get_by_role("link", name="填写自查清单").click()
    items = page.locator(".self-assessment__item")
    items.nth(0).get_by_label("部分达到", exact=True).check()
    items.nth(0).get_by_label("情况说明").fill("个别学校消防通道有杂物。")
    items.nth(1).get_by_label("达到", exact=True).check()
    items.nth(1).get_by_label("情况说明").fill("各校均落实陪餐制度。")
    page.get_by_role("button", name="保存自查自评").click()
    expect(page.locator(".page-head")).to_contain_text("已作答 2 / 2 项")
    page.get_by_role("link", name="报送自查自评及佐证材料").click()
    page.get_by_label("已完成").check()
    page.get_by_label("完成情况").fill("已完成自查自评。")
    page.get_by_label("佐证材料").set_input_files(str(evidence))
    page.get_by_role("button", name="报送").click()
    expect(page.locator(".message--success")).to_have_text("报告已报送。")

    # Staff see the answers and start the visit on site.
    sign_in(page, live_server, "zz_staff")
    page.goto(inspection_url)
    expect(page.locator(".checklist-table .rating--partly")).to_have_text("部分达到")
    page.get_by_role("button", name="开始实地督导").click()
    expect(page.locator(".stages__current")).to_have_text("实地督导")

    # On site, a 督学 of the team records findings for 金水区 on a phone.
    phone = browser.new_context(**PHONE)
    mobile = phone.new_page()
    sign_in(mobile, live_server, "li_inspector")
    mobile.goto(f"{live_server.url}/inspections/{inspection.pk}/findings/")
    mobile.get_by_role("link", name="记录问题").click()
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 375
    for text, severity in (("消防通道堆放杂物。", "严重"), ("食堂陪餐记录不全。", "一般")):
        mobile.get_by_label("县（市、区）", exact=True).select_option(label="金水区")
        mobile.get_by_label("发现的问题").fill(text)
        mobile.get_by_label(severity, exact=True).check()
        mobile.get_by_label("照片").set_input_files(str(photo))
        mobile.get_by_role("button", name="保存问题").click()
        expect(mobile.locator(".message--success")).to_have_text("问题已记录。")
        mobile.goto(f"{live_server.url}/inspections/{inspection.pk}/findings/new/")
    phone.close()
    fire = Finding.objects.get(text="消防通道堆放杂物。")
    canteen = Finding.objects.get(text="食堂陪餐记录不全。")
    assert fire.severity == "serious" and fire.county == jinshui and fire.files.count() == 1
    assert fire.created_by.username == canteen.created_by.username == "li_inspector"

    # Staff issue 整改: the canteen finding from the list, the fire one (follow-up needed) from its page.
    page.goto(f"{live_server.url}/inspections/{inspection.pk}/findings/")
    expect(page.locator("main")).to_contain_text("消防通道堆放杂物。")
    page.locator(f"input[name=findings][value='{canteen.pk}']").check()
    page.get_by_label("截止日期").fill(DEADLINE)
    page.get_by_role("button", name="下发整改").click()
    expect(page.locator(".message--success")).to_have_text("已下发 1 个整改事项。")
    page.get_by_role("link", name="消防通道堆放杂物。").click()
    page.get_by_label("整改要求").fill("清理消防通道，建立巡查制度。")
    page.get_by_label("整改到位的标准").fill("报送清理前后照片和巡查记录。")
    page.get_by_label("截止日期").fill(DEADLINE)
    page.get_by_label("须经整改情况督查现场确认后方可销号").check()
    page.get_by_role("button", name="下发整改").click()
    expect(page.locator("h1")).to_contain_text("整改事项")
    first = Rectification.objects.get(finding=canteen)
    second = Rectification.objects.get(finding=fire)

    # 金水区 sees both in its portal and reports on both with evidence.
    sign_in(page, live_server, "jinshui")
    page.goto(f"{live_server.url}/my/?view=plan")
    expect(page.locator("main")).to_contain_text("清理消防通道，建立巡查制度。")
    expect(page.locator("main")).to_contain_text("食堂陪餐记录不全。")
    _report(page, live_server, rectification_obligation(first), "已补全陪餐记录。", evidence)
    _report(page, live_server, rectification_obligation(second), "已清理消防通道。", evidence)

    # Staff close the first (销号); the second cannot be closed before the follow-up check: returned.
    sign_in(page, live_server, "zz_staff")
    _review(page, live_server, rectification_obligation(first))
    expect(page.locator(".message--success")).to_have_text("审核结果已记录。")
    _review(page, live_server, rectification_obligation(second))
    expect(page.locator(".error-summary")).to_contain_text("须经整改情况督查现场确认整改到位后方可销号")
    _review(page, live_server, rectification_obligation(second), accept=False, comment="请补充巡查制度文件。")
    expect(page.locator(".message--success")).to_have_text("审核结果已记录。")
    assert rectification_obligation(second).state == Assignment.State.RETURNED

    sign_in(page, live_server, "jinshui")
    _report(page, live_server, rectification_obligation(second), "已补充巡查制度文件。", evidence)

    # A 整改情况督查 goes back to it and confirms it on site; then staff close it.
    sign_in(page, live_server, "zz_staff")
    page.goto(f"{live_server.url}/rectification/{second.pk}/")
    page.get_by_label("新督查的名称").fill("校园消防安全整改情况督查")
    page.get_by_label("实地督查开始日期").fill("2026-12-21")
    page.get_by_label("实地督查结束日期").fill("2026-12-21")
    page.get_by_role("button", name="列入该整改情况督查").click()
    expect(page.locator(".message--success")).to_contain_text("校园消防安全整改情况督查")
    follow_up = Inspection.objects.get(title="校园消防安全整改情况督查")
    assert follow_up.kind == Inspection.Kind.FOLLOW_UP
    page.get_by_label("整改到位：现场确认").check()
    page.get_by_role("button", name="记录核查结论").click()
    expect(page.locator(".message--success")).to_have_text("已确认整改到位，现在可以销号。")
    _review(page, live_server, rectification_obligation(second))
    expect(page.locator(".message--success")).to_have_text("审核结果已记录。")
    assert rectification_obligation(second).state == Assignment.State.ACCEPTED

    # The office's dashboard counts both closed for 金水区.
    page.goto(f"{live_server.url}/inspections/")
    page.get_by_role("link", name="统计", exact=True).click()
    table = page.locator("#rectification-heading + .table-wrap table")
    row = table.locator("tbody tr", has_text="金水区")
    expect(row.locator("td").nth(0)).to_have_text("2")  # issued
    expect(row.locator("td").nth(1)).to_have_text("0")  # open
    expect(row.locator("td").nth(2)).to_have_text("2")  # closed out

    # The 督导意见书 to 金水区 is issued; its Word file downloads and opens.
    page.goto(inspection_url)
    page.get_by_role("link", name="文书：督导意见书、整改通知书、督导报告").click()
    page.get_by_role("button", name="向金水区签发督导意见书").click()
    document = IssuedDocument.objects.get()
    page.wait_for_url(f"**/documents/{document.pk}/")
    number = f"郑教督〔{document.year}〕1号"
    expect(page.locator(".red-head__number")).to_have_text(number)
    expect(page.locator(".recipients")).to_have_text("金水区人民政府：")
    with page.expect_download() as info:
        page.get_by_role("link", name="下载 Word（.docx）").click()
    assert info.value.suggested_filename.endswith(".docx")
    with open(info.value.path(), "rb") as fh:
        word = docx.Document(io.BytesIO(fh.read()))
    text = "\n".join(p.text for p in word.paragraphs)
    assert number in text and "金水区人民政府：" in text and "消防通道堆放杂物" in text
