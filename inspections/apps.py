from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    """The register: each county's schools, its 督学 (inspectors) and their 责任区 (zones), and
    which schools have no responsible inspector."""

    name = "inspections"
    verbose_name = _("Inspections")

    def ready(self):
        import inspections.actions  # noqa: F401
        import inspections.permissions  # noqa: F401
