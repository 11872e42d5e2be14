"""Staff issue an inspection's 督导意见书 in Debian chromium, open its printable page and download
it as a Word file, read back with python-docx."""

import datetime
import io

import docx
import pytest
from playwright.sync_api import expect

from inspections.models import Finding, Inspection, IssuedDocument
from tests.browser.helpers import sign_in
from tests.factories import CountyFactory, OfficeFactory, UserFactory, staff_user_create
from tests.inspections.work_builders import finding_make, inspection_make, rectification_make, series_make

SCREENSHOTS = "/tmp/documents-{}.png"


def _setting() -> Inspection:
    office = OfficeFactory(name="镇江市人民政府教育督导室")
    staff_user_create(office=office, user=UserFactory(username="editor"))
    series_make(office, "镇教督")
    county = CountyFactory(name="京口区", city=office.region)
    inspection = inspection_make(office, counties=[county], title="义务教育课后服务专项督导")
    finding = finding_make(inspection, county, "课后服务收费未公示。", Finding.Severity.SERIOUS)
    rectification_make(finding, requirement="全面公示课后服务收费项目和标准。", due=datetime.date(2026, 5, 29))
    return inspection


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_issue_an_opinion_print_it_and_open_the_word_file(live_server, page):
    inspection = _setting()
    sign_in(page, live_server, "editor")
    page.goto(f"{live_server.url}/inspections/{inspection.pk}/documents/")
    page.get_by_role("button", name="向京口区签发督导意见书").click()

    # The printable page, numbered in the office's sequence of the year.
    document = IssuedDocument.objects.get()
    page.wait_for_url(f"**/documents/{document.pk}/")
    number = f"镇教督〔{document.year}〕1号"
    expect(page.locator(".red-head__number")).to_have_text(number)
    expect(page.locator(".doc-title")).to_have_text("义务教育课后服务专项督导意见书")
    expect(page.locator(".recipients")).to_have_text("京口区人民政府：")
    expect(page.locator(".sheet")).to_contain_text("课后服务收费未公示。（严重）")
    expect(page.locator(".sheet")).to_contain_text("整改期限：2026年5月29日前")
    page.screenshot(path=SCREENSHOTS.format("print"), full_page=True)
    # Printed, the toolbar goes and the sheet is A4 paper.
    page.emulate_media(media="print")
    expect(page.locator(".print-toolbar")).to_be_hidden()
    page.emulate_media(media="screen")

    with page.expect_download() as info:
        page.get_by_role("link", name="下载 Word（.docx）").click()
    assert info.value.suggested_filename.endswith(".docx") and number in info.value.suggested_filename
    with open(info.value.path(), "rb") as fh:
        word = docx.Document(io.BytesIO(fh.read()))
    text = "\n".join(p.text for p in word.paragraphs)
    assert number in text and "义务教育课后服务专项督导意见书" in text
    assert "课后服务收费未公示" in text and "京口区人民政府：" in text

    # Back on the list, the opinion is issued and can no longer be issued again.
    page.get_by_role("link", name="返回督导文书").click()
    expect(page.get_by_role("link", name=number)).to_be_visible()
    expect(page.get_by_role("button", name="向京口区签发督导意见书")).to_have_count(0)
