"""The daily run and the sending as Celery tasks, for celery beat (settings: CELERY_BEAT_SCHEDULE):
the `send_notifications` command itself, so that cron and beat do the same thing. Both are safe to
run twice (a message is unique per event, channel and recipient, and claimed before it is sent)."""

from celery import shared_task
from django.core.management import call_command


@shared_task(name="notifications.send_notifications", acks_late=True, soft_time_limit=1500, time_limit=1800)
def send_notifications(collect: bool = False) -> None:
    call_command("send_notifications", collect=collect)
