"""Notification settings (an office's group robots, a person's choices) and the messages sent,
each with its delivery attempts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.events import Event
from organisation.models import County, Office


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk group robot")


# A person's channels, and an office's group robots.
PERSONAL = (Channel.EMAIL, Channel.SMS)
ROBOTS = (Channel.WECOM, Channel.DINGTALK)


class OfficeChannel(models.Model):
    """An office's group robot: its webhook URL and signing secret, encrypted (notifications.crypto)
    and never shown again once saved."""

    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("channel"), max_length=16, choices=[(c.value, c.label) for c in ROBOTS])
    webhook_encrypted = models.TextField(_("webhook URL (encrypted)"))
    secret_encrypted = models.TextField(_("signing secret (encrypted)"), blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    # The events the group is told of.
    events = models.JSONField(_("events"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("office channel")
        verbose_name_plural = _("office channels")
        ordering = ["office", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["office", "channel"], name="officechannel_unique_office_channel"),
            models.CheckConstraint(
                condition=Q(channel__in=[c.value for c in ROBOTS]), name="officechannel_channel_is_robot"
            ),
        ]

    def __str__(self):
        return f"{self.office} · {self.get_channel_display()}"


class Preference(models.Model):
    """A person's quiet hours and mobile number (for SMS)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    quiet_start = models.TimeField(_("quiet from"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet until"), null=True, blank=True)
    phone = models.CharField(_("mobile number"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            # Both ends or neither: a quiet period needs both.
            models.CheckConstraint(
                condition=Q(quiet_start__isnull=True, quiet_end__isnull=True)
                | Q(quiet_start__isnull=False, quiet_end__isnull=False),
                name="preference_quiet_both_or_neither",
            ),
        ]

    def __str__(self):
        return str(self.user)


class Subscription(models.Model):
    """Whether `user` hears of `event` by `channel`. No row: the default (notifications.recipients)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    event = models.CharField(_("event"), max_length=32, choices=Event.choices)
    channel = models.CharField(_("channel"), max_length=16, choices=[(c.value, c.label) for c in PERSONAL])
    enabled = models.BooleanField(_("enabled"))

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["user", "event", "channel"], name="subscription_unique_user_event_channel")
        ]

    def __str__(self):
        return f"{self.user} · {self.event} · {self.channel}"


class MessageTemplate(models.Model):
    """An administrator's text for an event, in place of the default (notifications.events)."""

    event = models.CharField(_("event"), max_length=32, choices=Event.choices, unique=True)
    subject = models.CharField(_("subject line"), max_length=200)
    body = models.TextField(_("text"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["event"]

    def __str__(self):
        return self.get_event_display()


class Message(models.Model):
    """One notice to one recipient by one channel. `event_key` names the occurrence (a report's
    return, an obligation's due date): with the channel and the recipient it is unique, so
    whatever runs twice, nobody is told the same thing twice."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent out")
        RETRYING = "retrying", _("Failed, will retry")
        FAILED = "failed", _("Failed")
        DIGESTED = "digested", _("In a digest")

    event = models.CharField(_("event"), max_length=32, choices=Event.choices)
    event_key = models.CharField(_("event key"), max_length=120)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    # "user:12", "contact:3" (a county's contact address), "office:7" (its group robot).
    recipient = models.CharField(_("recipient"), max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    robot_office = models.ForeignKey(
        Office, verbose_name=_("group of"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # E-mail address or mobile number (empty for a group robot).
    address = models.CharField(_("address"), max_length=254, blank=True)
    # Whose work it is about (the issuing office): its staff read the delivery log.
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    county = models.ForeignKey(
        County, verbose_name=_("county"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(_("subject line"), max_length=300)
    body = models.TextField(_("text"))
    url = models.CharField(_("link"), max_length=300, blank=True)
    digest = models.ForeignKey(
        "self", verbose_name=_("digest"), on_delete=models.SET_NULL, null=True, blank=True, related_name="parts"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    answer = models.TextField(_("provider answer"), blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event_key", "channel", "recipient"], name="message_unique_event_channel_recipient"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "retrying"], next_attempt_at__isnull=False)
                | ~Q(status__in=["pending", "retrying"]),
                name="message_waiting_has_next_attempt",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="message_due_idx"),
            models.Index(fields=["office", "-created_at"], name="message_office_idx"),
        ]

    def __str__(self):
        return f"{self.event_key} → {self.recipient} ({self.channel})"


class DeliveryAttempt(models.Model):
    """One try at sending a message, with what the provider answered."""

    message = models.ForeignKey(
        Message, verbose_name=_("message"), on_delete=models.CASCADE, related_name="delivery_attempts"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    ok = models.BooleanField(_("delivered"))
    answer = models.TextField(_("provider answer"), blank=True)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["message", "at", "id"]

    def __str__(self):
        return f"{self.message_id} · {self.at:%Y-%m-%d %H:%M}"
