"""The action types the jobs app writes to the audit log: a job started (what it was asked to do,
by whom, for which office). Its progress and end are the Job row's, not events."""

from django.utils.translation import gettext_lazy as _

from audit.registry import action_type_register as _register

JOB_STARTED = _register("jobs.job.started", _("Background job started"))
