from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    """Background jobs: imports, exports and documents that take too long for a request, run by a
    Celery worker (or in the process without one), each visible to the user who started it."""

    name = "jobs"
    verbose_name = _("Background jobs")

    def ready(self):
        import jobs.actions  # noqa: F401
        import jobs.permissions  # noqa: F401
