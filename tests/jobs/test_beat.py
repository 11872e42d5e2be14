"""celery beat's daily runs are the cron commands themselves: every schedule entry names a task
that is registered, and the tasks write and send what the commands do, once however often they
run."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from notifications.models import Message
from notifications.tasks import send_notifications
from supervision.celery import app as celery_app
from tests.notifications.data import world_build
from tracking.models import Assignment

pytestmark = pytest.mark.django_db


def test_every_beat_entry_names_a_registered_task():
    celery_app.loader.import_default_modules()
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    # The daily notices tell counties of due and overdue work by e-mail too: the reminder mail
    # (send_reminders) beside them would tell them twice.
    assert names == {"notifications.send_notifications"}
    assert names <= set(celery_app.tasks)


def _overdue(world):
    for assignment in Assignment.objects.filter(plan=world.plan):
        assignment.due_date = timezone.localdate() - datetime.timedelta(days=1)
        assignment.created_at = timezone.now() - datetime.timedelta(days=30)
        assignment.save(update_fields=["due_date", "created_at"])


def test_the_daily_notifications_task_writes_and_sends_once():
    world = world_build(tasks=2)
    _overdue(world)

    send_notifications.delay(collect=True)
    sent = len(mail.outbox)
    send_notifications.delay(collect=True)

    assert sent > 0 and len(mail.outbox) == sent
    assert not Message.objects.exclude(status=Message.Status.SENT).exists()
