from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    """The county side: what published plans give each county to do, reports and their review,
    reminders, the portal and the dashboards."""

    name = "tracking"
    verbose_name = _("Tracking")

    def ready(self):
        import tracking.job_kinds  # noqa: F401
        import tracking.kinds  # noqa: F401  (plan work, the first kind of obligation)
        import tracking.permissions  # noqa: F401
        import tracking.receivers  # noqa: F401
