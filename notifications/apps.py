from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Notifications: what happened to a county's work (new obligations, due soon, overdue, a
    report returned or accepted, a plan published, a bulletin naming it) sent to its people by
    e-mail, SMS and its office's 企业微信 and 钉钉 group robots, with a delivery log."""

    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        import notifications.permissions  # noqa: F401
        import notifications.receivers  # noqa: F401
