from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data: setup_demo's accounts and examples and generate_demo's deployment-sized data,
    written through the domain's own services and rule functions (it sits above every other
    app; nothing imports it)."""

    name = "demo"
    verbose_name = _("Demo data")
