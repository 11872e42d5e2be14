"""The daily reminder mail as a Celery task, for celery beat (settings: CELERY_BEAT_SCHEDULE): the
`send_reminders` command itself, at most one automatic reminder a county a day however often it
runs."""

from celery import shared_task
from django.core.management import call_command


@shared_task(name="tracking.send_reminders", acks_late=True, soft_time_limit=1500, time_limit=1800)
def send_reminders() -> None:
    call_command("send_reminders")
