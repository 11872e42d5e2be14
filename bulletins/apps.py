from pathlib import Path

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulletinsConfig(AppConfig):
    """通报: bulletins and year summaries drafted from the office's data (plan work, 整改,
    inspections, evaluation results), edited, reviewed and issued with a 文号 of the office's
    one sequence, printed and downloaded as Word; counties read the issued ones that name them."""

    name = "bulletins"
    verbose_name = _("Bulletins")

    def ready(self):
        import bulletins.actions  # noqa: F401
        import bulletins.job_kinds  # noqa: F401
        import bulletins.permissions  # noqa: F401
        from bulletins.models import Bulletin
        from inspections.documents import numbered_models_register, template_kind_register

        # One 文号 sequence per office and year, shared with the inspection documents.
        numbered_models_register(Bulletin)
        template_kind_register(
            "bulletin", label=_("Bulletin"), default=Path(__file__).resolve().parent / "docx" / "bulletin.docx"
        )
