"""The admin: administrators edit the message templates; the rest is read here, changed on
the pages (a robot's webhook is never shown, even here)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from notifications.events import DEFAULTS, PLACEHOLDERS
from notifications.models import DeliveryAttempt, Message, MessageTemplate, OfficeChannel


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    list_display = ["event", "subject", "updated_at"]
    fields = ["event", "subject", "body"]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        default = DEFAULTS.get(initial.get("event"))
        if default is not None:
            initial.setdefault("subject", str(default.subject))
            initial.setdefault("body", str(default.body))
        return initial

    def get_form(self, request, obj=None, **kwargs):
        kwargs["help_texts"] = {
            "body": _("Names in braces are filled in: %(names)s.")
            % {"names": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)}
        }
        return super().get_form(request, obj, **kwargs)


@admin.register(OfficeChannel)
class OfficeChannelAdmin(admin.ModelAdmin):
    list_display = ["office", "channel", "enabled", "updated_at", "updated_by"]
    fields = ["office", "channel", "enabled", "events", "updated_at", "updated_by"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    fields = ["at", "ok", "answer"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "event", "channel", "recipient", "county", "status", "attempts"]
    list_filter = ["status", "channel", "event"]
    search_fields = ["event_key", "subject", "address"]
    inlines = [DeliveryAttemptInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Message._meta.fields]

    def has_add_permission(self, request):
        return False
