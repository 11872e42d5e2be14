"""The action types the plans area writes to the audit log (audit.ActionLog): one event per
state change, a plan's lifecycle steps and its drafts' saves and imports. The county side's are
in tracking.actions; the names are dotted (app.object.verb)."""

from django.utils.translation import gettext_lazy as _

from audit.registry import action_type_register as _register

# A plan's lifecycle (plans.services.lifecycle, plans.services.editing, plans.services.imports).
PLAN_CREATED = _register("plans.plan.created", _("Created"))
PLAN_IMPORTED = _register("plans.plan.imported", _("Imported"))
PLAN_REIMPORTED = _register("plans.plan.reimported", _("Re-imported"))
PLAN_EDITED = _register("plans.plan.edited", _("Edited"))
PLAN_SUBMITTED = _register("plans.plan.submitted", _("Submitted for review"))
PLAN_RETURNED = _register("plans.plan.returned", _("Returned for changes"))
PLAN_PUBLISHED = _register("plans.plan.published", _("Published"))
PLAN_REVISION_STARTED = _register("plans.plan.revision_started", _("Revision started"))
PLAN_REVISION_DISCARDED = _register("plans.plan.revision_discarded", _("Revision discarded"))
PLAN_DISCARDED = _register("plans.plan.discarded", _("Draft deleted"))
PLAN_ARCHIVED = _register("plans.plan.archived", _("Archived"))

# The steps a plan's history shows as its lifecycle (and whose comments it prints).
PLAN_LIFECYCLE = {
    PLAN_CREATED.name,
    PLAN_IMPORTED.name,
    PLAN_REIMPORTED.name,
    PLAN_EDITED.name,
    PLAN_SUBMITTED.name,
    PLAN_RETURNED.name,
    PLAN_PUBLISHED.name,
    PLAN_REVISION_STARTED.name,
    PLAN_REVISION_DISCARDED.name,
    PLAN_DISCARDED.name,
    PLAN_ARCHIVED.name,
}
