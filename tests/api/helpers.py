"""Calling the API as a program does: a personal token in the Authorization header, no session."""

import datetime

from django.test import Client
from django.utils import timezone

from api.models import ApiToken
from api.tokens import api_token_create


def token_make(user, *, scope=ApiToken.Scope.READ, days=30) -> str:
    """A live token of `user`; its secret."""
    made = api_token_create(
        user=user, name="脚本", scope=scope, expires_at=timezone.now() + datetime.timedelta(days=days)
    )
    return made.secret


class ApiClient(Client):
    """A test client that sends `secret` as a bearer token on every request."""

    def __init__(self, secret: str | None = None, **defaults):
        if secret is not None:
            defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
        super().__init__(**defaults)


def api_client(user, *, scope=ApiToken.Scope.READ) -> ApiClient:
    return ApiClient(token_make(user, scope=scope))
