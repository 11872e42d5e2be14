from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The REST API over the areas beneath it, and the personal tokens that open it."""

    name = "api"
    verbose_name = _("API")

    def ready(self):
        import api.actions  # noqa: F401
        import api.schema  # noqa: F401
