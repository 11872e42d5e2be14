"""Writing the settings: a person's choices and quiet hours, an office's group robots."""

import datetime

from django.db import transaction
from django.utils import timezone

from audit.services import log_action
from notifications import actions
from notifications.crypto import encrypt
from notifications.models import OfficeChannel, Preference, Subscription


@transaction.atomic
def preferences_save(
    *,
    user,
    choices: dict[tuple[str, str], bool],
    quiet_start: datetime.time | None,
    quiet_end: datetime.time | None,
    phone: str | None = None,
) -> Preference:
    """`choices`: (event, channel) → on/off. Every choice is stored, so a later change of the
    defaults does not change what someone chose."""
    preference, _created = Preference.objects.select_for_update().get_or_create(user=user)
    preference.quiet_start, preference.quiet_end = quiet_start, quiet_end
    fields = ["quiet_start", "quiet_end"]
    if phone is not None:
        preference.phone = phone
        fields.append("phone")
    preference.full_clean()
    preference.save(update_fields=fields)
    Subscription.objects.filter(user=user).delete()
    Subscription.objects.bulk_create(
        [Subscription(user=user, event=event, channel=channel, enabled=on) for (event, channel), on in choices.items()]
    )
    return preference


@transaction.atomic
def office_channel_set(
    *,
    office,
    channel: str,
    acting_user,
    enabled: bool,
    events: list[str],
    webhook: str = "",
    secret: str | None = None,
) -> OfficeChannel:
    """Set an office's group robot. An empty `webhook` keeps the saved one; `secret` None keeps
    the saved secret, "" removes it. Neither is logged: the audit event says what changed."""
    robot = OfficeChannel.objects.select_for_update().filter(office=office, channel=channel).first()
    robot = robot or OfficeChannel(office=office, channel=channel)
    changed = []
    if webhook:
        robot.webhook_encrypted = encrypt(webhook)
        changed.append("webhook")
    if secret is not None:
        robot.secret_encrypted = encrypt(secret)
        changed.append("secret")
    robot.enabled, robot.events = enabled, list(events)
    robot.updated_at, robot.updated_by = timezone.now(), acting_user
    robot.save()
    log_action(
        robot,
        actions.CHANNEL_SET,
        user=acting_user,
        office=office,
        data={"channel": channel, "enabled": enabled, "events": list(events), "replaced": changed},
    )
    return robot


@transaction.atomic
def office_channel_remove(*, office, channel: str, acting_user) -> bool:
    robot = OfficeChannel.objects.select_for_update().filter(office=office, channel=channel).first()
    if robot is None:
        return False
    log_action(robot, actions.CHANNEL_REMOVED, user=acting_user, office=office, data={"channel": channel})
    robot.delete()
    return True
