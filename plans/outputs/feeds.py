"""The secret in a user's feed addresses (FeedToken): made, renewed, revoked; a renewed or
revoked secret opens nothing. Only the secret's SHA-256 is stored, so the addresses are shown
once, when made; a lost one is renewed."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from organisation.access import access_without_inbox
from plans.models import FeedToken
from supervision.prepared import Prepared


def feed_secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


_token_of_read = Prepared(lambda *, user_id: FeedToken.objects.filter(user_id=user_id).order_by()[:1])
# Every feed request asks it (calendar clients poll): compiled once a process.
_token_read = Prepared(
    lambda *, token_hash: (
        FeedToken.objects.select_related("user").filter(token_hash=token_hash, user__is_active=True).order_by()[:1]
    )
)


def feed_token_of(*, user) -> FeedToken | None:
    """The user's token, if they have made feed addresses."""
    return next(iter(_token_of_read(user_id=user.pk)), None)


def feed_token_get(*, token: str) -> FeedToken | None:
    """The token a feed address carries, with its user; None when unknown or revoked. The
    user's memberships are read as a feed needs them, without the menu's 待办 count."""
    if not token or len(token) > 64:
        return None
    found = next(iter(_token_read(token_hash=feed_secret_hash(token))), None)
    if found is not None:
        access_without_inbox(found.user)
    return found


@transaction.atomic
def feed_token_renew(*, user) -> FeedToken:
    """A new secret for `user`'s feed addresses; the old addresses stop working at once. The
    secret is on the returned token (`secret`) and nowhere else."""
    secret = secrets.token_urlsafe(32)
    token, _created = FeedToken.objects.update_or_create(
        user=user,
        defaults={"token_hash": feed_secret_hash(secret), "created_at": timezone.now()},
    )
    token.secret = secret
    return token


@transaction.atomic
def feed_token_revoke(*, user) -> None:
    """`user`'s feed addresses stop working (until the user makes new ones)."""
    FeedToken.objects.filter(user=user).delete()
