from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    """督导检查 and 整改: inspections and rectification items (roadmap stage 3)."""

    name = "inspections"
    verbose_name = _("Inspections")
