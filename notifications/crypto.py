"""The robots' webhook URLs and secrets, encrypted at rest with Fernet (AES-128-CBC + HMAC).

The key is settings.NOTIFICATIONS_KEY when set (a Fernet key, so that SECRET_KEY can be rotated
without losing the saved robots), else derived from SECRET_KEY: a database copy alone never
holds a usable webhook."""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _fernet() -> Fernet:
    key = getattr(settings, "NOTIFICATIONS_KEY", "")
    if not key:
        digest = hashlib.sha256(b"supervision-planner notifications\0" + settings.SECRET_KEY.encode()).digest()
        key = base64.urlsafe_b64encode(digest)
    return Fernet(key)


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode() if text else ""


def decrypt(token: str) -> str:
    """The clear text; "" for none, or when the key has changed since it was saved."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""
