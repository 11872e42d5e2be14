"""A finding written on a phone (a 375 px wide page, in Debian chromium): one column with large
touch targets and the camera offered; what was typed survives a reload (the draft kept in
localStorage) and is cleared once the finding is saved; without JavaScript the form is an
ordinary form and still records the finding."""

import pytest
from playwright.sync_api import expect

from inspections.models import Finding
from tests.browser.helpers import sign_in
from tests.inspections.rectification_builders import JPEG, work_world

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True, "locale": "zh-CN"}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_finding_typed_on_a_phone_survives_a_reload_and_is_recorded(live_server, browser, tmp_path):
    people = work_world()
    inspection = people["inspection"]
    form_url = f"{live_server.url}/inspections/{inspection.pk}/findings/new/"
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(JPEG)

    context = browser.new_context(**PHONE)
    page = context.new_page()
    sign_in(page, live_server, "inspector_a1")  # a 督学 on the inspection's team
    page.goto(form_url)

    # One column on a phone: nothing wider than the screen, large targets, the camera offered.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.get_by_role("button", name="保存问题").bounding_box()["height"] >= 44
    assert page.get_by_label("严重").bounding_box()["height"] >= 18
    assert page.locator("label", has_text="严重").first.bounding_box()["height"] >= 44
    expect(page.locator("input[type=file][capture]")).to_have_count(1)

    page.get_by_label("县（市、区）", exact=True).select_option(label="甲一区")
    page.get_by_label("学校").select_option(label="甲一区实验小学")
    page.get_by_label("发现的问题").fill("楼梯间应急照明损坏，未及时维修。")
    page.get_by_label("严重", exact=True).check()
    expect(page.locator("[data-draft-status]")).to_be_visible()

    # The connection drops, the page is loaded again: what was typed is back.
    page.reload()
    expect(page.get_by_label("发现的问题")).to_have_value("楼梯间应急照明损坏，未及时维修。")
    expect(page.get_by_label("县（市、区）", exact=True)).to_have_value(str(people["a1"].pk))
    expect(page.get_by_label("学校")).to_have_value(str(people["school_a1"].pk))
    expect(page.get_by_label("严重", exact=True)).to_be_checked()
    key = f"finding-draft:inspection:{inspection.pk}"
    assert page.evaluate(f"localStorage.getItem('{key}')") is not None

    page.get_by_label("照片").set_input_files(str(photo))
    page.get_by_role("button", name="保存问题").click()
    expect(page.locator(".message--success")).to_have_text("问题已记录。")
    finding = Finding.objects.get()
    assert finding.severity == "serious" and finding.school == people["school_a1"]
    assert finding.files.get().name == "现场.jpg"
    # Saved: the draft is gone, and the form opens empty.
    assert page.evaluate(f"localStorage.getItem('{key}')") is None
    page.goto(form_url)
    expect(page.get_by_label("发现的问题")).to_have_value("")
    context.close()

    # Without JavaScript the form is an ordinary form.
    plain = browser.new_context(**PHONE, java_script_enabled=False)
    page = plain.new_page()
    sign_in(page, live_server, "editor_a")
    page.goto(form_url)
    page.get_by_label("县（市、区）", exact=True).select_option(label="甲二县")
    page.get_by_label("发现的问题").fill("校门口未设置护学岗。")
    page.get_by_role("button", name="保存问题").click()
    expect(page.locator(".message--success")).to_have_text("问题已记录。")
    assert Finding.objects.filter(county=people["a2"], text="校门口未设置护学岗。").exists()
    plain.close()
