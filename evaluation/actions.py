"""The action types the evaluation work writes to the audit log: one event per change of an
indicator sheet, per step of a round, per score saved and per objection raised or answered."""

from django.utils.translation import gettext_lazy as _

from audit.registry import action_type_register as _register

SHEET_IMPORTED = _register("evaluation.sheet.imported", _("Indicator sheet imported"))
SHEET_EDITED = _register("evaluation.sheet.edited", _("Indicator sheet edited"))
SHEET_COPIED = _register("evaluation.sheet.copied", _("Indicator sheet copied"))
ROUND_CREATED = _register("evaluation.round.created", _("Evaluation round created"))
ROUND_CHANGED = _register("evaluation.round.changed", _("Evaluation round changed"))
ROUND_MOVED = _register("evaluation.round.moved", _("Evaluation round moved to another stage"))
SELF_SCORED = _register("evaluation.self.scored", _("Self-assessment scores saved"))
SCORED = _register("evaluation.scored", _("Scores saved"))
REVIEWED = _register("evaluation.reviewed", _("Scores reviewed"))
RESULTS_PUBLISHED = _register("evaluation.results.published", _("Results published"))
RESULTS_CORRECTED = _register("evaluation.results.corrected", _("Published results corrected"))
OBJECTION_RAISED = _register("evaluation.objection.raised", _("Objection raised"))
OBJECTION_ANSWERED = _register("evaluation.objection.answered", _("Objection answered"))
