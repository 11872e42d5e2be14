from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    """Work plans: a plan and its parts, import, drafting, review, revisions and outputs."""

    name = "plans"
    verbose_name = _("Work plans")

    def ready(self):
        # The rules register on import: without this, `user.has_perm` answers False until some
        # module that imports them (a view, a selector) happens to be loaded.
        import plans.job_kinds  # noqa: F401
        import plans.permissions  # noqa: F401
        import plans.receivers  # noqa: F401
