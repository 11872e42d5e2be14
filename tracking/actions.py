"""The action types the county side writes to the audit log (audit.ActionLog): one event per
state change of an assignment, its reports and reminders."""

from django.utils.translation import gettext_lazy as _

from audit.registry import action_type_register as _register

# A county's work (tracking.services.reports, tracking.services.assignments, tracking.services.reminders).
ASSIGNMENT_ACKNOWLEDGED = _register("tracking.assignment.acknowledged", _("Assignment acknowledged"))
ASSIGNMENT_DUE_DATE_MOVED = _register("tracking.assignment.due_date_moved", _("Due date moved"))
# Obligations of the other kinds met or dropped by what the app records (a school visit, a
# school closed), with no report to review.
ASSIGNMENT_FULFILLED = _register("tracking.assignment.fulfilled", _("Obligation fulfilled"))
ASSIGNMENT_WITHDRAWN = _register("tracking.assignment.withdrawn", _("Obligation withdrawn"))
REPORT_SUBMITTED = _register("tracking.report.submitted", _("Progress report submitted"))
REPORT_ACCEPTED = _register("tracking.report.accepted", _("Progress report accepted"))
REPORT_RETURNED = _register("tracking.report.returned", _("Progress report returned"))
REMINDER_SENT = _register("tracking.reminder.sent", _("Reminder sent"))
