"""Sending one message by one channel. Each sender returns (delivered, the provider's answer)
and raises nothing: a failure is an answer to log and retry.

企业微信 group robot: POST JSON to its webhook (…/cgi-bin/webhook/send?key=…); the answer's
errcode is 0 when sent. 钉钉 custom robot: POST JSON to …/robot/send?access_token=…, with 加签
&timestamp=<ms>&sign=<urlencoded base64 HMAC-SHA256 of "timestamp\\nsecret" keyed by the
secret>; errcode 0 when sent. SMS: notifications.sms."""

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.mail import EmailMessage

# The longest markdown 企业微信 takes is 4096 bytes; 钉钉's is larger, kept the same.
ROBOT_LIMIT = 4000


def http_json(url: str, *, payload: dict | None = None, method: str = "POST") -> tuple[int, str]:
    """(HTTP status, body) of one request; status 0 when nothing answered."""
    data = json.dumps(payload, ensure_ascii=False).encode() if payload is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json; charset=utf-8")
    try:
        with urllib.request.urlopen(request, timeout=settings.NOTIFICATIONS_HTTP_TIMEOUT) as response:
            return response.status, response.read(4096).decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read(4096).decode("utf-8", "replace")
    except (OSError, ValueError) as error:
        return 0, f"{type(error).__name__}: {error}"


def _errcode_ok(status: int, body: str) -> bool:
    if status != 200:
        return False
    try:
        return json.loads(body).get("errcode") == 0
    except (ValueError, AttributeError):
        return False


def _robot_text(subject: str, body: str) -> str:
    text = f"**{subject}**\n\n{body}"
    encoded = text.encode()
    return encoded[:ROBOT_LIMIT].decode("utf-8", "ignore") if len(encoded) > ROBOT_LIMIT else text


def send_email(*, address: str, subject: str, body: str) -> tuple[bool, str]:
    try:
        sent = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address]).send(fail_silently=False)
    except Exception as error:  # SMTP, socket and header errors alike are a failed attempt
        return False, f"{type(error).__name__}: {error}"
    return bool(sent), "accepted by the mail server" if sent else "not sent"


def send_wecom(*, webhook: str, subject: str, body: str) -> tuple[bool, str]:
    status, answer = http_json(
        webhook, payload={"msgtype": "markdown", "markdown": {"content": _robot_text(subject, body)}}
    )
    return _errcode_ok(status, answer), f"HTTP {status} {answer}".strip()


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """钉钉's 加签: base64 of HMAC-SHA256(secret, "timestamp\\nsecret"), URL-encoded."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode())


def send_dingtalk(*, webhook: str, secret: str, subject: str, body: str) -> tuple[bool, str]:
    url = webhook
    if secret:
        timestamp = int(time.time() * 1000)
        url = f"{webhook}&timestamp={timestamp}&sign={dingtalk_sign(secret, timestamp)}"
    payload = {"msgtype": "markdown", "markdown": {"title": subject, "text": _robot_text(subject, body)}}
    status, answer = http_json(url, payload=payload)
    return _errcode_ok(status, answer), f"HTTP {status} {answer}".strip()
