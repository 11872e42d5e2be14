"""The action types the inspection work writes to the audit log: one event per state change of a
school (closed, merged) or of a zone (its inspector, its schools); of an inspection, its checklist
and the office's checklist templates; and of a county's self-assessment."""

from django.utils.translation import gettext_lazy as _

from audit.registry import action_type_register as _register

SCHOOL_CLOSED = _register("inspections.school.closed", _("School closed"))
SCHOOL_MERGED = _register("inspections.school.merged", _("School merged into another"))
SCHOOLS_IMPORTED = _register("inspections.schools.imported", _("Schools imported"))
ZONE_INSPECTOR_ASSIGNED = _register("inspections.zone.inspector_assigned", _("Responsible inspector assigned"))
ZONE_SCHOOLS_CHANGED = _register("inspections.zone.schools_changed", _("Schools of the zone changed"))

# --- Documents ----------------------------------------------------------------------------------
DOCUMENT_ISSUED = _register("inspections.document.issued", _("Inspection document issued"))
# Inspections: one event per change of an inspection, of its checklist or of an office's template,
# and per county's self-assessment saved.
INSPECTION_CREATED = _register("inspections.inspection.created", _("Inspection created"))
INSPECTION_CHANGED = _register("inspections.inspection.changed", _("Inspection changed"))
INSPECTION_MOVED = _register("inspections.inspection.moved", _("Inspection moved to another stage"))
CHECKLIST_EDITED = _register("inspections.checklist.edited", _("Inspection checklist edited"))
TEMPLATE_EDITED = _register("inspections.template.edited", _("Checklist template edited"))
SELF_ASSESSMENT_ANSWERED = _register("inspections.self_assessment.answered", _("Self-assessment answered"))
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

# 挂牌督导 visits (inspections.visits): the county's rhythm, a visit recorded, a 督学's account.
VISIT_RHYTHM_SET = _register("inspections.visit_rhythm.set", _("Visit rhythm set"))
VISIT_RECORDED = _register("inspections.visit.recorded", _("School visit recorded"))
INSPECTOR_ACCOUNT_LINKED = _register("inspections.inspector.account_linked", _("Inspector's account linked"))
