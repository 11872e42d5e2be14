from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    """The register (each county's schools, its 督学 and their 责任区), inspections with their
    checklists, counties' 自查自评, findings, 整改 items, 挂牌督导 visits and the documents issued."""

    name = "inspections"
    verbose_name = _("Inspections")

    def ready(self):
        import inspections.actions  # noqa: F401
        import inspections.dashboards  # noqa: F401  (the province dashboard's columns)
        import inspections.kinds  # noqa: F401  (自查自评, 整改, 挂牌督导 visits)
        import inspections.permissions  # noqa: F401
