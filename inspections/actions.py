"""The action types the register writes to the audit log: one event per state change of a
school (closed, merged) or of a zone (its inspector, its schools)."""

from django.utils.translation import gettext_lazy as _

from audit.registry import action_type_register as _register

SCHOOL_CLOSED = _register("inspections.school.closed", _("School closed"))
SCHOOL_MERGED = _register("inspections.school.merged", _("School merged into another"))
SCHOOLS_IMPORTED = _register("inspections.schools.imported", _("Schools imported"))
ZONE_INSPECTOR_ASSIGNED = _register("inspections.zone.inspector_assigned", _("Responsible inspector assigned"))
ZONE_SCHOOLS_CHANGED = _register("inspections.zone.schools_changed", _("Schools of the zone changed"))

# --- Findings and rectification -----------------------------------------------------------------
# One event per step of a 整改 item, read back as the item's escalation history.
FINDING_RECORDED = _register("inspections.finding.recorded", _("Finding recorded"))
RECTIFICATION_ISSUED = _register("inspections.rectification.issued", _("Rectification item issued"))
RECTIFICATION_REMINDED = _register("inspections.rectification.reminded", _("Reminder sent (催办)"))
RECTIFICATION_ESCALATED = _register("inspections.rectification.escalated", _("Escalation changed"))
RECTIFICATION_FOLLOW_UP = _register("inspections.rectification.follow_up", _("Put on a follow-up check (整改情况督查)"))
RECTIFICATION_CONFIRMED = _register("inspections.rectification.confirmed", _("Confirmed by the follow-up check"))
RECTIFICATION_NOT_CONFIRMED = _register(
    "inspections.rectification.not_confirmed", _("Not confirmed by the follow-up check")
)
FOLLOW_UP_CREATED = _register("inspections.follow_up.created", _("Follow-up check created"))
