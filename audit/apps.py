from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """One event per state change of anything that has states: who did what to which record,
    when, and with what comment, reason or counts (as pretix's LogEntry)."""

    name = "audit"
    verbose_name = _("Audit log")
