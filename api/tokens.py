"""Personal API tokens: made (the secret shown once), looked up by the hash of the secret a
request carries, revoked. Each step is one audit event."""

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api import actions
from api.models import ApiToken
from audit.services import log_action

# Secrets read "sv_" and 43 URL-safe characters (256 bits): the prefix lets secret scanners and
# people recognise one.
SECRET_PREFIX = "sv_"
SECRET_LENGTH = len(SECRET_PREFIX) + 43
# How long a token may live at most, and how often its last use is written (not every request).
MAX_LIFETIME = datetime.timedelta(days=366)
LAST_USED_GRANULARITY = datetime.timedelta(minutes=1)

error_messages = {
    "expiry_past": _("A token expires in the future."),
    "expiry_too_far": _("A token lives at most a year."),
    "already_revoked": _("This token was already revoked."),
}


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class MadeToken:
    token: ApiToken
    # The only time the secret exists outside the request that carries it.
    secret: str


@transaction.atomic
def api_token_create(*, user, name: str, scope: str, expires_at: datetime.datetime) -> MadeToken:
    now = timezone.now()
    if expires_at <= now:
        raise ValidationError(error_messages["expiry_past"], code="expiry_past")
    if expires_at > now + MAX_LIFETIME:
        raise ValidationError(error_messages["expiry_too_far"], code="expiry_too_far")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name.strip(),
        prefix=secret[: len(SECRET_PREFIX) + 6],
        key_hash=secret_hash(secret),
        scope=scope,
        created_at=now,
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    log_action(token, actions.TOKEN_CREATED, user=user, data={"name": token.name, "scope": scope})
    return MadeToken(token=token, secret=secret)


@transaction.atomic
def api_token_revoke(*, token: ApiToken, acting_user) -> ApiToken:
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is not None:
        raise ValidationError(error_messages["already_revoked"], code="already_revoked")
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    log_action(locked, actions.TOKEN_REVOKED, user=acting_user, data={"name": locked.name})
    return locked


def api_token_authenticate(secret: str) -> ApiToken | None:
    """The live token `secret` opens, with its active user; None otherwise. Its last use is
    written at most once a minute."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) != SECRET_LENGTH:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=secret_hash(secret), revoked_at=None, expires_at__gt=now, user__is_active=True)
        .first()
    )
    if token is not None and (token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRANULARITY):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_token_list(*, user):
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")
