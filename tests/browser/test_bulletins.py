"""Staff draft a 通报 from the data in Debian chromium, edit a paragraph, submit it; the office's
reviewer issues it with the next 文号; its Word file opens with python-docx."""

import io

import docx
import pytest
from playwright.sync_api import expect

from bulletins.models import Bulletin
from tests.browser.helpers import sign_in
from tests.bulletins.data import quarter


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_bulletin_is_drafted_edited_issued_and_opened_in_word(live_server, page):
    q = quarter()
    sign_in(page, live_server, "editor_a")
    page.goto(f"{live_server.url}/bulletins/")
    page.get_by_role("link", name="起草通报").click()
    page.fill("input[name=period_start]", "2026-04-01")
    page.fill("input[name=period_end]", "2026-06-30")
    page.get_by_label("甲一区").check()
    page.get_by_label("甲二县").check()
    page.select_option("select[name=round]", str(q["round"].pk))
    page.get_by_role("button", name="根据数据起草").click()

    bulletin = Bulletin.objects.get()
    page.wait_for_url(f"**/bulletins/{bulletin.pk}/edit/")
    # The totals paragraph of plan work, as drafted, then reworded.
    totals = page.locator("textarea").filter(has_text="全市应完成工作要点任务5项")
    expect(totals).to_have_count(1)
    totals.fill("全市应完成工作要点任务5项，已完成4项，完成率80.0%，总体进展顺利。")
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_url(f"**/bulletins/{bulletin.pk}/")
    expect(page.locator(".sheet")).to_contain_text("总体进展顺利。")
    expect(page.locator(".red-head__number")).to_have_text("（未编号）")
    page.get_by_role("button", name="提交审核").click()
    expect(page.get_by_role("button", name="编文号并印发")).to_have_count(0)

    sign_in(page, live_server, "reviewer_a")
    page.goto(f"{live_server.url}/bulletins/{bulletin.pk}/")
    page.get_by_role("button", name="编文号并印发").click()
    bulletin.refresh_from_db()
    number = f"甲教督〔{bulletin.year}〕1号"
    assert bulletin.doc_number == number
    expect(page.locator(".red-head__number")).to_have_text(number)

    with page.expect_download() as info:
        page.get_by_role("link", name="下载 Word（.docx）").click()
    with open(info.value.path(), "rb") as fh:
        word = docx.Document(io.BytesIO(fh.read()))
    text = "\n".join(p.text for p in word.paragraphs)
    assert number in text and "总体进展顺利。" in text and bulletin.title in text
