"""Sending: deliver one waiting message, deliver what is due. Plain functions that the command
runs today and a task queue may run tomorrow.

A message is claimed by one UPDATE from waiting to sending before anything goes out, so two
runners never send it both; the provider is called outside any transaction. A failure is
retried with exponential back-off (settings.NOTIFICATIONS_RETRY_BASE seconds, doubled at each
attempt) until settings.NOTIFICATIONS_MAX_ATTEMPTS; then it fails for staff to see and retry."""

import datetime
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import log_action
from notifications import actions, channels, sms
from notifications.crypto import decrypt
from notifications.models import Channel, DeliveryAttempt, Message, OfficeChannel

WAITING = (Message.Status.PENDING, Message.Status.RETRYING)
# A runner that died while sending leaves its message "sending": after this long it is retried.
STALE_SENDING = datetime.timedelta(minutes=15)
# Once a message has gone out, its record is written again while the database restarts (seconds
# here), so that the stale claim above does not send it a second time.
RECORD_WAITS = (0.5, 1, 2, 4, 8, 15)

error_messages = {
    "not_retryable": _("Only a message that failed or waits for its next attempt can be sent again."),
}


def retry_delay(attempts: int) -> datetime.timedelta:
    """The wait after the `attempts`-th failed attempt: base, 2×base, 4×base, …"""
    return datetime.timedelta(seconds=settings.NOTIFICATIONS_RETRY_BASE * 2 ** max(attempts - 1, 0))


def _send(message: Message) -> tuple[bool, str, bool]:
    """(delivered, answer, worth retrying)."""
    if message.channel == Channel.EMAIL:
        return (*channels.send_email(address=message.address, subject=message.subject, body=message.body), True)
    if message.channel == Channel.SMS:
        if not sms.configured():
            return False, "SMS is switched off", False
        return (*sms.send(phone=message.address, subject=message.subject), True)
    robot = OfficeChannel.objects.filter(office_id=message.robot_office_id, channel=message.channel).first()
    webhook = decrypt(robot.webhook_encrypted) if robot is not None and robot.enabled else ""
    if not webhook:
        return False, "the group robot was removed or switched off", False
    if message.channel == Channel.WECOM:
        return (*channels.send_wecom(webhook=webhook, subject=message.subject, body=message.body), True)
    return (
        *channels.send_dingtalk(
            webhook=webhook, secret=decrypt(robot.secret_encrypted), subject=message.subject, body=message.body
        ),
        True,
    )


def write_through_database_loss(write, *, message: Message | None = None, waits=RECORD_WAITS) -> None:
    """Run `write`; while the database is away, reconnect and run it again after each wait.
    Inside a transaction (a caller's, a test's) nothing can be retried, so the error goes up."""
    for wait in (*waits, None):
        state = (message.attempts, message.answer, message.status) if message is not None else None
        try:
            return write()
        except (OperationalError, InterfaceError):
            if wait is None or connection.in_atomic_block:
                raise
            if message is not None:
                message.attempts, message.answer, message.status = state
            connection.close()
            time.sleep(wait)


def message_deliver(*, message_id: int, now: datetime.datetime | None = None) -> Message | None:
    """Send one waiting message whose time has come. None when it is not (any more) waiting:
    sent, or claimed by another runner."""
    now = now or timezone.now()
    # While sending, next_attempt_at says when a runner that died meanwhile is given up on.
    claimed = Message.objects.filter(pk=message_id, status__in=WAITING, next_attempt_at__lte=now).update(
        status=Message.Status.SENDING, next_attempt_at=now + STALE_SENDING
    )
    if not claimed:
        return None
    message = Message.objects.get(pk=message_id)
    delivered, answer, retry = _send(message)
    answer = answer[:2000]

    def record():
        with transaction.atomic():
            DeliveryAttempt.objects.create(message=message, at=now, ok=delivered, answer=answer)
            message.attempts += 1
            message.answer = answer
            message.next_attempt_at = None
            if delivered:
                message.status, message.sent_at = Message.Status.SENT, now
            elif retry and message.attempts < settings.NOTIFICATIONS_MAX_ATTEMPTS:
                message.status = Message.Status.RETRYING
                message.next_attempt_at = now + retry_delay(message.attempts)
            else:
                message.status = Message.Status.FAILED
            message.save(update_fields=["attempts", "answer", "status", "sent_at", "next_attempt_at"])

    write_through_database_loss(record, message=message)
    return message


def messages_deliver_due(*, now: datetime.datetime | None = None, limit: int = 1000) -> dict[str, int]:
    """Send every waiting message whose time has come (quiet hours over, back-off waited).
    Returns how many were sent and how many failed."""
    now = now or timezone.now()
    Message.objects.filter(status=Message.Status.SENDING, next_attempt_at__lte=now).update(
        status=Message.Status.RETRYING, next_attempt_at=now
    )
    ids = list(
        Message.objects.filter(status__in=WAITING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    counts = {"sent": 0, "failed": 0}
    for message_id in ids:
        message = message_deliver(message_id=message_id, now=now)
        if message is not None:
            counts["sent" if message.status == Message.Status.SENT else "failed"] += 1
    return counts


def message_retry_now(*, message: Message, acting_user) -> Message:
    """Staff send a failed (or waiting) message again at once."""
    now = timezone.now()
    with transaction.atomic():
        locked = Message.objects.select_for_update().get(pk=message.pk)
        if locked.status not in (Message.Status.FAILED, *WAITING):
            raise ValidationError(error_messages["not_retryable"], code="not_retryable")
        locked.status, locked.next_attempt_at = Message.Status.RETRYING, now
        locked.save(update_fields=["status", "next_attempt_at"])
        log_action(
            locked, actions.MESSAGE_RETRIED, user=acting_user, office=locked.office, data={"attempts": locked.attempts}
        )
    return message_deliver(message_id=locked.pk, now=now) or locked
