"""The secret in a user's feed addresses (FeedToken): made, renewed, revoked; a renewed or
revoked secret opens nothing."""

import secrets

from django.db import transaction
from django.utils import timezone

from plans.models import FeedToken


def feed_token_get(*, token: str) -> FeedToken | None:
    """The token a feed address carries, with its user; None when unknown or revoked."""
    if not token or len(token) > FeedToken._meta.get_field("token").max_length:
        return None
    return FeedToken.objects.select_related("user").filter(token=token, user__is_active=True).first()


@transaction.atomic
def feed_token_renew(*, user) -> FeedToken:
    """A new secret for `user`'s feed addresses; the old addresses stop working at once."""
    token, _created = FeedToken.objects.update_or_create(
        user=user,
        defaults={"token": secrets.token_urlsafe(32), "created_at": timezone.now()},
    )
    return token


@transaction.atomic
def feed_token_revoke(*, user) -> None:
    """`user`'s feed addresses stop working (until the user makes new ones)."""
    FeedToken.objects.filter(user=user).delete()
