"""Notifications follow the audit log: each committed batch of events may tell counties something."""

import logging

from django.dispatch import receiver

from audit.signals import action_logged
from notifications.services.events import notifications_from_logs

logger = logging.getLogger(__name__)


@receiver(action_logged)
def logged_notify(sender, *, logs, **kwargs):
    # The change is committed already: a failure to write its notices must not fail the page
    # that made it; it is logged instead.
    try:
        notifications_from_logs(logs)
    except Exception:
        logger.exception("notifications for %d audit events were not written", len(logs))
