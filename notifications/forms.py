"""The settings forms. A robot's webhook and secret are never given back to the page: the
fields start empty, and an empty field keeps what is saved."""

import urllib.parse

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from notifications.events import CHOSEN
from notifications.models import PERSONAL, Channel
from notifications.recipients import channel_default, sms_enabled

ROBOT_BASE = {
    Channel.WECOM: lambda: settings.NOTIFICATIONS_WECOM_URL,
    Channel.DINGTALK: lambda: settings.NOTIFICATIONS_DINGTALK_URL,
}
# The query parameter that carries a robot's own key in its webhook.
ROBOT_KEY = {Channel.WECOM: "key", Channel.DINGTALK: "access_token"}


def personal_channels() -> list[Channel]:
    return [channel for channel in PERSONAL if channel == Channel.EMAIL or sms_enabled()]


class PreferencesForm(forms.Form):
    quiet_start = forms.TimeField(label=_("Quiet from"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    quiet_end = forms.TimeField(label=_("Quiet until"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    phone = forms.RegexField(
        label=_("Mobile number"),
        regex=r"^1\d{10}$",
        required=False,
        max_length=11,
        error_messages={"invalid": _("Enter an 11-digit mobile number.")},
    )

    def __init__(self, *args, subscriptions: dict, preference, **kwargs):
        kwargs.setdefault(
            "initial",
            {"quiet_start": preference.quiet_start, "quiet_end": preference.quiet_end, "phone": preference.phone},
        )
        super().__init__(*args, **kwargs)
        self.channels = personal_channels()
        if Channel.SMS not in self.channels:
            del self.fields["phone"]
        self.rows = []
        for event in CHOSEN:
            cells = []
            for channel in self.channels:
                name = f"{channel.value}__{event.value}"
                self.fields[name] = forms.BooleanField(
                    label=f"{event.label} · {channel.label}",
                    required=False,
                    initial=subscriptions.get((event.value, channel.value), channel_default(channel)),
                )
                cells.append(name)
            self.rows.append((event, cells))

    def table(self):
        return [(event, [self[name] for name in names]) for event, names in self.rows]

    def clean(self):
        data = super().clean()
        if (data.get("quiet_start") is None) != (data.get("quiet_end") is None):
            raise ValidationError(_("Give both ends of the quiet hours, or neither."), code="quiet_half")
        return data

    def choices(self) -> dict[tuple[str, str], bool]:
        return {
            (event.value, channel.value): self.cleaned_data[f"{channel.value}__{event.value}"]
            for event in CHOSEN
            for channel in self.channels
        }


class OfficeChannelForm(forms.Form):
    webhook = forms.CharField(
        label=_("Webhook URL"),
        required=False,
        max_length=500,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Leave empty to keep the saved one. It is never shown again."),
    )
    secret = forms.CharField(
        label=_("Signing secret"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to keep the saved one."),
    )
    remove_secret = forms.BooleanField(label=_("Remove the saved signing secret"), required=False)
    enabled = forms.BooleanField(label=_("Send to this group"), required=False, initial=True)
    events = forms.MultipleChoiceField(
        label=_("Events the group is told of"),
        choices=[(event.value, event.label) for event in CHOSEN],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, channel: str, saved, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel, self.saved = channel, saved
        self.fields["events"].initial = saved.events if saved else [event.value for event in CHOSEN]
        self.fields["enabled"].initial = saved.enabled if saved else True
        if channel != Channel.DINGTALK:
            del self.fields["secret"], self.fields["remove_secret"]

    def clean_webhook(self):
        url = self.cleaned_data["webhook"].strip()
        if not url:
            if self.saved is None:
                raise ValidationError(_("Give the robot's webhook URL."), code="required")
            return ""
        base = ROBOT_BASE[self.channel]()
        parsed = urllib.parse.urlsplit(url)
        key = urllib.parse.parse_qs(parsed.query).get(ROBOT_KEY[self.channel])
        if url.split("?")[0] != base or not key or not key[0].strip():
            raise ValidationError(
                _("The webhook URL must be %(base)s?%(key)s=… as the group's robot settings give it."),
                code="not_robot",
                params={"base": base, "key": ROBOT_KEY[self.channel]},
            )
        return url

    def secret_value(self) -> str | None:
        """None keeps the saved secret; "" removes it."""
        if self.channel != Channel.DINGTALK:
            return None
        if self.cleaned_data.get("remove_secret"):
            return ""
        return self.cleaned_data.get("secret") or None
