"""The action types the register writes to the audit log: one event per state change of a
school (closed, merged) or of a zone (its inspector, its schools)."""

from django.utils.translation import gettext_lazy as _

from audit.registry import action_type_register as _register

SCHOOL_CLOSED = _register("inspections.school.closed", _("School closed"))
SCHOOL_MERGED = _register("inspections.school.merged", _("School merged into another"))
SCHOOLS_IMPORTED = _register("inspections.schools.imported", _("Schools imported"))
ZONE_INSPECTOR_ASSIGNED = _register("inspections.zone.inspector_assigned", _("Responsible inspector assigned"))
ZONE_SCHOOLS_CHANGED = _register("inspections.zone.schools_changed", _("Schools of the zone changed"))

# 挂牌督导 visits (inspections.visits): the county's rhythm, a visit recorded, a 督学's account.
VISIT_RHYTHM_SET = _register("inspections.visit_rhythm.set", _("Visit rhythm set"))
VISIT_RECORDED = _register("inspections.visit.recorded", _("School visit recorded"))
INSPECTOR_ACCOUNT_LINKED = _register("inspections.inspector.account_linked", _("Inspector's account linked"))
