from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _superusers_only(request) -> bool:
    return request.user.is_active and request.user.is_superuser


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Work plans")

    def ready(self):
        from django.contrib import admin

        # The admin is the administrators' tool: `is_staff` alone opens nothing.
        admin.site.has_permission = _superusers_only
        # The idle-session clock starts at login (its receiver lives with the middleware).
        # The rules register on import: without this, `user.has_perm` answers False until some
        # module that imports them (a view, a selector) happens to be loaded.
        import plans.permissions  # noqa: F401
        import plans.signals  # noqa: F401
        import supervision.middleware  # noqa: F401
