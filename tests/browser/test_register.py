"""A county office fills in the register: imports the downloaded template, reads its schools,
makes a zone with its 责任督学 and schools, and reads the coverage, in Debian chromium."""

import pytest
from playwright.sync_api import expect

from inspections.models import Inspector
from organisation.models import County
from tests.browser.helpers import sign_in
from tests.factories import UserFactory, county_user_create


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_county_imports_the_template_and_assigns_a_zone(live_server, page, tmp_path):
    county = County.objects.get(name="金水区", city__code="410100")
    county_user_create(county=county, user=UserFactory(username="jinshui"))
    Inspector.objects.create(county=county, name="王督学", kind=Inspector.Kind.FULL_TIME)

    sign_in(page, live_server, "jinshui")
    page.get_by_role("link", name="名册").click()
    page.get_by_role("link", name="从表格导入").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载模板").click()
    template = tmp_path / "学校名册.xlsx"
    download.value.save_as(template)
    page.get_by_label("工作簿（.xlsx）").set_input_files(str(template))
    page.get_by_role("button", name="检查文件").click()
    expect(page.locator("body")).to_contain_text("新增 2 所")
    page.get_by_role("button", name="导入这些学校").click()

    expect(page.locator(".school-table")).to_contain_text("金水区第一示范小学")
    expect(page.locator(".school-table")).to_contain_text("金水区实验中学")

    page.get_by_role("link", name="督学责任区").click()
    page.get_by_role("link", name="添加责任区").click()
    page.get_by_label("县（市、区）").select_option(label="金水区")
    page.get_by_label("名称").fill("第一责任区")
    page.get_by_role("button", name="保存").click()
    page.get_by_role("combobox", name="责任督学").select_option(label="王督学")
    page.get_by_role("button", name="更换责任督学").click()
    expect(page.locator(".page-head")).to_contain_text("王督学")
    page.get_by_role("link", name="选择学校").click()
    page.get_by_label("金水区第一示范小学").check()
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".school-list")).to_contain_text("金水区第一示范小学")

    page.goto(f"{live_server.url}/register/coverage/")
    expect(page.locator("table")).to_contain_text("1 / 2")
