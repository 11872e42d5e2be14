"""Sending: e-mail, 企业微信 and 钉钉 robots and Alibaba Cloud SMS against a local stand-in that
checks their payloads and signatures; failures retried with back-off, then shown as failed;
nothing sent twice."""

import datetime
import json

import pytest
from django.core import mail
from django.utils import timezone

from notifications.crypto import encrypt
from notifications.models import DeliveryAttempt, Message, OfficeChannel
from notifications.services.delivery import message_deliver, message_retry_now, messages_deliver_due
from tests.factories import staff_user_create
from tests.notifications.conftest import ALIYUN_KEY_ID, ALIYUN_SECRET, DINGTALK_SECRET
from tests.notifications.data import world_build

pytestmark = pytest.mark.django_db


def _message(world, channel="email", **fields) -> Message:
    recipient = {"email": "user:1", "sms": "user:1"}.get(channel, f"office:{world.county_office.pk}")
    defaults = {
        "event": "report_returned",
        "event_key": f"report_returned:report:{Message.objects.count() + 1}",
        "channel": channel,
        "recipient": recipient,
        "address": {"email": "member@county.example", "sms": "13800138000"}.get(channel, ""),
        "robot_office": world.county_office if channel in ("wecom", "dingtalk") else None,
        "office": world.office,
        "county": world.county,
        "subject": "[督导工作台] 报告被退回：推进督导工作",
        "body": "测试市督导室退回了测试一区的报告：请补充。\n查看：http://127.0.0.1:8000/assignments/1/",
        "next_attempt_at": timezone.now(),
    }
    return Message.objects.create(**{**defaults, **fields})


def _robot(world, channel, webhook, secret=""):
    return OfficeChannel.objects.create(
        office=world.county_office,
        channel=channel,
        webhook_encrypted=encrypt(webhook),
        secret_encrypted=encrypt(secret),
        events=["report_returned"],
    )


def test_an_email_is_sent_once_and_logged():
    world = world_build(tasks=1)
    message = _message(world)

    counts = messages_deliver_due()
    again = messages_deliver_due()

    assert counts == {"sent": 1, "failed": 0} and again == {"sent": 0, "failed": 0}
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["member@county.example"] and mail.outbox[0].subject == message.subject
    message.refresh_from_db()
    assert message.status == Message.Status.SENT and message.attempts == 1 and message.sent_at is not None
    assert list(message.delivery_attempts.values_list("ok", flat=True)) == [True]


def test_a_wecom_robot_gets_markdown_at_its_key(providers):
    world = world_build(tasks=1)
    _robot(world, "wecom", providers.wecom_webhook)
    message = _message(world, "wecom")

    message_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert message.status == Message.Status.SENT, message.answer
    assert '"errcode": 0' in message.answer
    sent = providers.requests[-1]
    payload = json.loads(sent["body"])
    assert sent["path"] == "/cgi-bin/webhook/send" and payload["msgtype"] == "markdown"
    assert message.subject in payload["markdown"]["content"] and message.body in payload["markdown"]["content"]


def test_a_dingtalk_robot_gets_a_signed_request(providers):
    world = world_build(tasks=1)
    _robot(world, "dingtalk", providers.dingtalk_webhook, DINGTALK_SECRET)
    message = _message(world, "dingtalk")

    message_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert message.status == Message.Status.SENT, message.answer
    query = providers.requests[-1]["query"]
    assert set(query) == {"access_token", "timestamp", "sign"}
    assert json.loads(providers.requests[-1]["body"])["markdown"]["title"] == message.subject


def test_a_dingtalk_robot_with_the_wrong_secret_fails_and_is_retried_later(providers, settings):
    settings.NOTIFICATIONS_RETRY_BASE = 60
    world = world_build(tasks=1)
    _robot(world, "dingtalk", providers.dingtalk_webhook, "SECwrong")
    message = _message(world, "dingtalk")
    now = timezone.now()

    message_deliver(message_id=message.pk, now=now)

    message.refresh_from_db()
    assert message.status == Message.Status.RETRYING and message.attempts == 1
    assert "sign not match" in message.answer
    assert message.next_attempt_at == now + datetime.timedelta(seconds=60)


def test_failures_back_off_exponentially_and_end_failed(providers, settings):
    settings.NOTIFICATIONS_RETRY_BASE = 60
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 4
    world = world_build(tasks=1)
    _robot(world, "wecom", providers.wecom_webhook)
    message = _message(world, "wecom")
    providers.forced = [(500, {"errmsg": "busy"})] * 4
    now = timezone.now()
    waits = []

    for _ in range(4):
        assert messages_deliver_due(now=now - datetime.timedelta(seconds=1)) == {"sent": 0, "failed": 0}
        messages_deliver_due(now=now)
        message.refresh_from_db()
        if message.next_attempt_at:
            waits.append((message.next_attempt_at - now).total_seconds())
            now = message.next_attempt_at

    assert waits == [60, 120, 240]
    assert message.status == Message.Status.FAILED and message.attempts == 4
    assert DeliveryAttempt.objects.filter(message=message, ok=False).count() == 4
    assert "HTTP 500" in message.answer


def test_staff_retry_a_failed_message_now_and_it_is_logged(providers):
    world = world_build(tasks=1)
    _robot(world, "wecom", providers.wecom_webhook)
    message = _message(world, "wecom", status=Message.Status.FAILED, next_attempt_at=None, attempts=6)

    sent = message_retry_now(message=message, acting_user=world.staff)

    assert sent.status == Message.Status.SENT and sent.attempts == 7
    from audit.models import ActionLog

    assert ActionLog.objects.filter(action_type="notifications.message.retried", object_id=message.pk).count() == 1


def test_a_message_is_not_sent_by_two_runners(providers):
    world = world_build(tasks=1)
    _robot(world, "wecom", providers.wecom_webhook)
    message = _message(world, "wecom")
    now = timezone.now()

    assert message_deliver(message_id=message.pk, now=now) is not None
    assert message_deliver(message_id=message.pk, now=now) is None
    assert len(providers.requests) == 1


def test_a_removed_robot_fails_at_once_without_retrying(providers):
    world = world_build(tasks=1)
    message = _message(world, "wecom")

    message_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert message.status == Message.Status.FAILED and providers.requests == []


def test_sms_is_off_by_default():
    world = world_build(tasks=1)
    message = _message(world, "sms")

    message_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert message.status == Message.Status.FAILED and message.answer == "SMS is switched off"


@pytest.fixture
def aliyun(providers, settings):
    settings.NOTIFICATIONS_SMS = {
        "provider": "aliyun",
        "access_key_id": ALIYUN_KEY_ID,
        "access_key_secret": ALIYUN_SECRET,
        "sign_name": "督导工作台",
        "template_code": "SMS_123456789",
        "endpoint": providers.base + "/",
    }
    return providers


def test_an_sms_goes_through_alibaba_cloud_signed_as_documented(aliyun):
    world = world_build(tasks=1)
    message = _message(world, "sms")

    message_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert message.status == Message.Status.SENT, message.answer
    query = aliyun.requests[-1]["query"]
    assert query["PhoneNumbers"] == ["13800138000"] and query["SignName"] == ["督导工作台"]
    assert json.loads(query["TemplateParam"][0]) == {"content": message.subject[:35]}


def test_an_sms_signed_with_the_wrong_secret_is_refused(aliyun, settings):
    settings.NOTIFICATIONS_SMS = {**settings.NOTIFICATIONS_SMS, "access_key_secret": "not-the-secret"}
    world = world_build(tasks=1)
    message = _message(world, "sms")

    message_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert message.status == Message.Status.RETRYING and "SignatureDoesNotMatch" in message.answer


def test_a_message_in_quiet_hours_waits_for_their_end(settings):
    from notifications.models import Preference
    from notifications.services.writing import Notice, notices_write

    world = world_build(tasks=1)
    Preference.objects.create(user=world.member, quiet_start=datetime.time(22), quiet_end=datetime.time(7))
    tz = timezone.get_default_timezone()
    late = datetime.datetime(2026, 5, 4, 23, 30, tzinfo=tz)
    notice = Notice(
        "report_returned", "report_returned:report:1", world.county.pk, world.county.name, world.office.pk, "/"
    )

    notices_write([notice], now=late)

    mine = Message.objects.get(recipient=f"user:{world.member.pk}")
    contact = Message.objects.get(recipient=f"contact:{world.county.pk}")
    assert mine.next_attempt_at == datetime.datetime(2026, 5, 5, 7, 0, tzinfo=tz)
    assert contact.next_attempt_at == late
    assert messages_deliver_due(now=late) == {"sent": 1, "failed": 0}
    assert messages_deliver_due(now=datetime.datetime(2026, 5, 5, 7, 0, tzinfo=tz)) == {"sent": 1, "failed": 0}


@pytest.mark.parametrize(
    ("clock", "until"),
    [
        ((23, 30), (1, 7, 0)),
        ((6, 59), (0, 7, 0)),
        ((7, 0), None),
        ((12, 0), None),
        ((22, 0), (1, 7, 0)),
    ],
)
def test_quiet_hours_over_midnight(clock, until):
    from notifications.quiet import quiet_until

    tz = timezone.get_default_timezone()
    now = datetime.datetime(2026, 5, 4, *clock, tzinfo=tz)
    found = quiet_until(now, datetime.time(22), datetime.time(7))
    expected = None if until is None else datetime.datetime(2026, 5, 4 + until[0], until[1], until[2], tzinfo=tz)
    assert found == expected


def test_staff_of_another_office_cannot_retry():
    import rules

    world = world_build(tasks=1)
    message = _message(world, status=Message.Status.FAILED, next_attempt_at=None)

    assert rules.has_perm("notifications.retry_message", world.staff, message)
    assert not rules.has_perm("notifications.retry_message", staff_user_create(), message)
