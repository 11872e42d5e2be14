"""The notification pages in the browser: a county member sets a 企业微信 robot and their
choices, staff retry a failed message; axe finds no serious violation on any of them."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from notifications.models import Message, OfficeChannel
from tests.browser.helpers import sign_in
from tests.notifications.data import world_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _serious(page) -> list[str]:
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    return [
        f"{v['id']} {[' '.join(node['target']) for node in v['nodes'][:3]]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_a_county_member_sets_a_robot_and_their_choices(live_server, page, settings):
    settings.NOTIFICATIONS_WECOM_URL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"
    world = world_build(tasks=1)
    world.member.username = "member"
    world.member.save(update_fields=["username"])
    sign_in(page, live_server, "member")

    page.get_by_role("link", name="通知").click()
    page.wait_for_url("**/notifications/settings/")
    assert _serious(page) == []
    page.get_by_label("报告已通过 · 电子邮箱").uncheck()
    page.get_by_label("免打扰开始").fill("22:00")
    page.get_by_label("免打扰结束").fill("07:00")
    page.get_by_role("button", name="保存设置").click()
    page.get_by_text("通知设置已保存").wait_for()
    assert not page.get_by_label("报告已通过 · 电子邮箱").is_checked()

    page.get_by_role("link", name=f"{world.county_office.name}的群机器人").click()
    assert _serious(page) == []
    section = page.locator("section", has=page.get_by_role("heading", name="企业微信群机器人"))
    section.get_by_label("Webhook 地址").fill("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=browser-key")
    section.get_by_role("button", name="设置机器人").click()
    page.get_by_text("群机器人已保存").wait_for()
    assert "browser-key" not in page.content()
    assert OfficeChannel.objects.filter(office=world.county_office, channel="wecom").exists()


def test_staff_retry_a_failed_message_from_the_log(live_server, page):
    world = world_build(tasks=1)
    world.staff.username = "staffer"
    world.staff.save(update_fields=["username"])
    message = Message.objects.create(
        event="report_returned",
        event_key="report_returned:report:1",
        channel="email",
        recipient=f"contact:{world.county.pk}",
        address="contact@county.example",
        office=world.office,
        county=world.county,
        subject="报告被退回：推进督导工作",
        body="正文",
        status=Message.Status.FAILED,
        attempts=6,
        answer="SMTPServerDisconnected",
    )
    sign_in(page, live_server, "staffer")
    page.goto(f"{live_server.url}/notifications/log/?status=failed")
    assert _serious(page) == []
    page.get_by_role("button", name="立即重发").click()
    page.get_by_text("通知已发送").wait_for()
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
