"""The action types notifications write to the audit log."""

from django.utils.translation import gettext_lazy as _

from audit.registry import action_type_register as _register

CHANNEL_SET = _register("notifications.channel.set", _("Group robot set"))
CHANNEL_REMOVED = _register("notifications.channel.removed", _("Group robot removed"))
MESSAGE_RETRIED = _register("notifications.message.retried", _("Notification sent again"))
