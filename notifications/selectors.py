"""Reads for the notification pages."""

from django.db.models import QuerySet

from notifications.models import Message, OfficeChannel, Preference, Subscription
from notifications.permissions import messages_listed_q, offices_with_channels_kept_by
from organisation.access import access_for
from organisation.models import Office


def preference_get(*, user) -> Preference:
    return Preference.objects.filter(user=user).first() or Preference(user=user)


def subscriptions_of(*, user) -> dict[tuple[str, str], bool]:
    return {(s.event, s.channel): s.enabled for s in Subscription.objects.filter(user=user)}


def offices_with_channels(*, user) -> QuerySet[Office]:
    """The offices whose robots the settings page links: the user's own (an administrator, who
    keeps every office's, reaches the others by their address rather than in a list of all)."""
    kept = offices_with_channels_kept_by(user)
    if kept is None:
        access = access_for(user)
        kept = sorted(set(access.editing_offices) | set(access.county_offices))
    return Office.objects.filter(pk__in=kept).order_by("name")


def office_channels(*, office) -> dict[str, OfficeChannel]:
    return {robot.channel: robot for robot in OfficeChannel.objects.filter(office=office).select_related("updated_by")}


def message_list(*, user, status: str = "") -> QuerySet[Message]:
    """The delivery log `user` reads, newest first; attempts come with each message."""
    messages = Message.objects.select_related("county", "office", "user", "robot_office").prefetch_related(
        "delivery_attempts"
    )
    where = messages_listed_q(user)
    if where is not None:
        messages = messages.filter(where)
    if status:
        messages = messages.filter(status=status)
    return messages.defer("body")


def message_get(*, user, pk: int) -> Message | None:
    messages = Message.objects.all()
    where = messages_listed_q(user)
    if where is not None:
        messages = messages.filter(where)
    return messages.filter(pk=pk).first()
