"""Who keeps which notification settings: everyone their own; an office's group robots its
editors and reviewers, or, for a county office, its own members; the delivery log the staff of
the offices whose work the messages are about (administrators: all of it)."""

import rules
from django.db.models import Q

from organisation.access import access_for, is_admin, is_member


@rules.predicate
def keeps_office_channels(user, office) -> bool:
    if office is None:
        return False
    access = access_for(user)
    return office.pk in access.editing_offices or office.pk in access.county_offices


@rules.predicate
def reads_delivery_log(user) -> bool:
    return bool(access_for(user).editing_offices)


@rules.predicate
def keeps_message(user, message) -> bool:
    return message is not None and message.office_id in access_for(user).editing_offices


def offices_with_channels_kept_by(user) -> list[int] | None:
    """The offices whose robots `user` keeps (None: every office)."""
    access = access_for(user)
    if access.superuser and user.is_active:
        return None
    return sorted(set(access.editing_offices) | set(access.county_offices))


def messages_listed_q(user) -> Q | None:
    """The messages `user` reads in the delivery log (None: all)."""
    access = access_for(user)
    if access.superuser and user.is_active:
        return None
    return Q(office_id__in=access.editing_offices)


rules.add_perm("notifications.change_preferences", is_member)
rules.add_perm("notifications.change_office_channels", is_admin | keeps_office_channels)
rules.add_perm("notifications.view_delivery_log", is_admin | reads_delivery_log)
rules.add_perm("notifications.retry_message", is_admin | keeps_message)
