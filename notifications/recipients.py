"""Who hears of a county's events, by which channel: the members of its county office (by
e-mail, and by SMS when it is switched on and they gave a number), its contact address (every
event, by e-mail) and its office's group robots (the events the office chose).

A person who chose nothing hears of every event by e-mail and of none by SMS."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings

from notifications.models import Channel, OfficeChannel, Preference, Subscription
from organisation.models import CountyContact, Membership, Office


@dataclass(frozen=True)
class Recipient:
    key: str  # Message.recipient
    channel: str
    address: str = ""
    user_id: int | None = None
    robot_office_id: int | None = None
    quiet: tuple[datetime.time, datetime.time] | None = None


def channel_default(channel: str) -> bool:
    return channel == Channel.EMAIL


def sms_enabled() -> bool:
    return bool(settings.NOTIFICATIONS_SMS.get("provider"))


def recipients_by_county(county_ids) -> dict[int, dict[str, list[Recipient]]]:
    """county id → event → recipients, in six queries whatever the number of counties."""
    from notifications.events import CHOSEN

    county_ids = sorted(set(county_ids))
    found: dict[int, dict[str, list[Recipient]]] = defaultdict(lambda: defaultdict(list))
    if not county_ids:
        return found
    members = list(
        Membership.objects.filter(role=Membership.Role.COUNTY, office__county_id__in=county_ids, user__is_active=True)
        .order_by("office__county_id", "user_id")
        .values_list("office__county_id", "user_id", "user__email")
        .distinct()
    )
    user_ids = sorted({user_id for _county, user_id, _email in members})
    chosen = {
        (user_id, event, channel): enabled
        for user_id, event, channel, enabled in Subscription.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "event", "channel", "enabled"
        )
    }
    preferences = {p.user_id: p for p in Preference.objects.filter(user_id__in=user_ids)}
    with_sms = sms_enabled()
    for county_id, user_id, email in members:
        preference = preferences.get(user_id)
        quiet = (preference.quiet_start, preference.quiet_end) if preference and preference.quiet_start else None
        addresses = {Channel.EMAIL: email, Channel.SMS: preference.phone if preference and with_sms else ""}
        for event in CHOSEN:
            for channel, address in addresses.items():
                if address and chosen.get((user_id, event.value, channel.value), channel_default(channel)):
                    found[county_id][event.value].append(
                        Recipient(f"user:{user_id}", channel.value, address, user_id=user_id, quiet=quiet)
                    )
    for county_id, email in (
        CountyContact.objects.filter(county_id__in=county_ids).exclude(email="").values_list("county_id", "email")
    ):
        for event in CHOSEN:
            found[county_id][event.value].append(Recipient(f"contact:{county_id}", Channel.EMAIL, email))
    office_county = dict(Office.objects.filter(county_id__in=county_ids).values_list("pk", "county_id"))
    for robot in OfficeChannel.objects.filter(office_id__in=sorted(office_county), enabled=True).order_by("pk"):
        for event in robot.events:
            found[office_county[robot.office_id]][event].append(
                Recipient(f"office:{robot.office_id}", robot.channel, robot_office_id=robot.office_id)
            )
    return found
