"""The notification pages: one's own settings, an office's group robots (whose webhook and
secret never come back to any page), the delivery log with its retry button; their queries."""

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import ActionLog
from notifications.crypto import decrypt, encrypt
from notifications.models import Message, OfficeChannel, Preference, Subscription
from tests.factories import staff_user_create
from tests.notifications.conftest import DINGTALK_SECRET, DINGTALK_TOKEN, WECOM_KEY
from tests.notifications.data import world_build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return world_build(tasks=1)


def test_a_person_saves_events_channels_and_quiet_hours(client, world):
    client.force_login(world.member)
    page = client.get(reverse("notifications:preferences"))
    assert page.status_code == 200
    assert "通知设置" in page.text and "报告被退回" in page.text and "免打扰" in page.text
    assert '<th scope="col">短信</th>' not in page.text  # SMS is off: not offered

    data = {f"email__{event}": "on" for event in ("report_returned", "overdue")}
    data.update(quiet_start="22:00", quiet_end="07:00")
    answer = client.post(reverse("notifications:preferences"), data)

    assert answer.status_code == 302
    chosen = dict(Subscription.objects.filter(user=world.member).values_list("event", "enabled"))
    assert chosen["report_returned"] and chosen["overdue"] and not chosen["report_accepted"]
    preference = Preference.objects.get(user=world.member)
    assert (preference.quiet_start.hour, preference.quiet_end.hour) == (22, 7)


def test_half_a_quiet_period_is_refused(client, world):
    client.force_login(world.member)
    answer = client.post(reverse("notifications:preferences"), {"quiet_start": "22:00"})
    assert answer.status_code == 200 and "同时填写" in answer.text
    assert not Preference.objects.exists()


def test_the_settings_page_reads_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    client.force_login(world.member)
    client.get(reverse("notifications:preferences"))
    # session, user, memberships, preference, subscriptions, the offices whose robots they keep
    with django_assert_num_queries(6):
        client.get(reverse("notifications:preferences"))


def _channels_url(world):
    return reverse("notifications:office_channels", args=[world.county_office.pk])


def test_a_county_sets_a_dingtalk_robot_and_never_sees_its_secret_again(client, world, providers):
    client.force_login(world.member)
    webhook = providers.dingtalk_webhook
    answer = client.post(
        _channels_url(world),
        {
            "channel": "dingtalk",
            "dingtalk-webhook": webhook,
            "dingtalk-secret": DINGTALK_SECRET,
            "dingtalk-enabled": "on",
            "dingtalk-events": ["report_returned", "overdue"],
        },
    )
    assert answer.status_code == 302
    robot = OfficeChannel.objects.get(office=world.county_office, channel="dingtalk")
    assert DINGTALK_TOKEN not in robot.webhook_encrypted and DINGTALK_SECRET not in robot.secret_encrypted
    assert decrypt(robot.webhook_encrypted) == webhook and decrypt(robot.secret_encrypted) == DINGTALK_SECRET
    assert robot.events == ["report_returned", "overdue"]
    event = ActionLog.objects.get(action_type="notifications.channel.set")
    assert DINGTALK_TOKEN not in str(event.data) and DINGTALK_SECRET not in str(event.data)

    page = client.get(_channels_url(world))
    assert "已设置加签密钥" in page.text
    assert DINGTALK_TOKEN not in page.text and DINGTALK_SECRET not in page.text
    for path in (reverse("notifications:preferences"), reverse("notifications:delivery_log")):
        assert DINGTALK_SECRET not in client.get(path).text

    # Saving again with the fields empty keeps both.
    client.post(_channels_url(world), {"channel": "dingtalk", "dingtalk-enabled": "on", "dingtalk-events": ["overdue"]})
    robot.refresh_from_db()
    assert decrypt(robot.webhook_encrypted) == webhook and decrypt(robot.secret_encrypted) == DINGTALK_SECRET
    assert robot.events == ["overdue"]


def test_a_webhook_of_another_host_is_refused(client, world, providers):
    client.force_login(world.member)
    answer = client.post(
        _channels_url(world),
        {"channel": "wecom", "wecom-webhook": f"http://example.org/cgi-bin/webhook/send?key={WECOM_KEY}"},
    )
    assert answer.status_code == 200 and "Webhook 地址应为" in answer.text
    assert WECOM_KEY not in answer.text  # not even the refused one is given back
    assert not OfficeChannel.objects.exists()


def test_a_robot_is_removed(client, world, providers):
    OfficeChannel.objects.create(
        office=world.county_office, channel="wecom", webhook_encrypted=encrypt(providers.wecom_webhook)
    )
    client.force_login(world.member)
    answer = client.post(_channels_url(world), {"channel": "wecom", "remove": "1"})
    assert answer.status_code == 302 and not OfficeChannel.objects.exists()
    assert ActionLog.objects.filter(action_type="notifications.channel.removed").count() == 1


def test_only_the_office_keeps_its_robots(client, world):
    client.force_login(staff_user_create())
    assert client.get(_channels_url(world)).status_code == 403
    client.force_login(world.staff)  # the issuing office's staff do not keep the county's robots
    assert client.get(_channels_url(world)).status_code == 403
    assert client.get(reverse("notifications:office_channels", args=[world.office.pk])).status_code == 200


def test_the_robots_page_reads_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    OfficeChannel.objects.create(office=world.county_office, channel="wecom", webhook_encrypted=encrypt("x"))
    client.force_login(world.member)
    client.get(_channels_url(world))
    # session, user, memberships, the office, its robots (with who changed them)
    with django_assert_num_queries(5):
        client.get(_channels_url(world))


def _failed(world, n):
    return Message.objects.create(
        event="report_returned",
        event_key=f"report_returned:report:{n}",
        channel="email",
        recipient=f"contact:{world.county.pk}",
        address="contact@county.example",
        office=world.office,
        county=world.county,
        subject=f"报告被退回{n}",
        body="正文",
        status=Message.Status.FAILED,
        attempts=6,
        answer="SMTPServerDisconnected",
    )


def test_staff_read_failures_in_the_log_and_retry_one(client, world):
    message = _failed(world, 1)
    client.force_login(world.staff)
    page = client.get(reverse("notifications:delivery_log") + "?status=failed")
    assert page.status_code == 200 and "报告被退回1" in page.text and "立即重发" in page.text

    answer = client.post(reverse("notifications:message_retry", args=[message.pk]))

    assert answer.status_code == 302
    message.refresh_from_db()
    assert message.status == Message.Status.SENT and message.attempts == 7


def test_the_log_shows_another_office_nothing(client, world):
    message = _failed(world, 1)
    other = staff_user_create()
    client.force_login(other)
    assert "报告被退回1" not in client.get(reverse("notifications:delivery_log")).text
    assert client.post(reverse("notifications:message_retry", args=[message.pk])).status_code == 404
    client.force_login(world.member)  # a county's user reads no log
    assert client.get(reverse("notifications:delivery_log")).status_code == 403


def test_the_log_reads_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    for n in range(3):
        _failed(world, n)
    client.force_login(world.staff)
    client.get(reverse("notifications:delivery_log"))
    # session, user, memberships, count, messages with their county, office, person and robot, attempts
    with django_assert_num_queries(6):
        client.get(reverse("notifications:delivery_log"))
    for n in range(3, 30):
        _failed(world, n)
    with django_assert_num_queries(6):
        client.get(reverse("notifications:delivery_log"))
    assert timezone.now()


def test_an_administrator_edits_an_events_text_starting_from_the_default(client):
    from notifications.models import MessageTemplate
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    add = reverse("admin:notifications_messagetemplate_add")
    page = client.get(add + "?event=overdue")
    assert page.status_code == 200
    assert "[督导工作台] 已逾期：{what}" in page.text and "{county}" in page.text

    answer = client.post(
        add, {"event": "overdue", "subject": "逾期提醒：{what}", "body": "{county}：{what}已逾期。{url}"}
    )

    assert answer.status_code == 302
    assert MessageTemplate.objects.get(event="overdue").subject == "逾期提醒：{what}"


def test_the_admin_never_shows_a_robots_webhook(client, world):
    from tests.factories import UserFactory

    robot = OfficeChannel.objects.create(
        office=world.county_office,
        channel="wecom",
        webhook_encrypted=encrypt(f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={WECOM_KEY}"),
    )
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = client.get(reverse("admin:notifications_officechannel_change", args=[robot.pk]))
    assert page.status_code == 200
    assert WECOM_KEY not in page.text and robot.webhook_encrypted not in page.text
