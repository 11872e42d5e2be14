"""The action types the bulletins write to the audit log: one per step of a bulletin, and per
change of the office's paragraph templates."""

from django.utils.translation import gettext_lazy as _

from audit.registry import action_type_register as _register

BULLETIN_DRAFTED = _register("bulletins.bulletin.drafted", _("Bulletin drafted"))
BULLETIN_EDITED = _register("bulletins.bulletin.edited", _("Bulletin edited"))
BULLETIN_SUBMITTED = _register("bulletins.bulletin.submitted", _("Bulletin submitted for review"))
BULLETIN_ISSUED = _register("bulletins.bulletin.issued", _("Bulletin issued"))
PARAGRAPHS_EDITED = _register("bulletins.paragraphs.edited", _("Bulletin paragraph templates edited"))
