"""The Celery app of the background jobs (jobs/): its settings are Django's CELERY_* ones, its
tasks each app's tasks.py. Without CELERY_BROKER_URL the tasks run in the process (eager)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supervision.settings")

app = Celery("supervision")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
