"""SMS through a gateway: one provider, Alibaba Cloud SMS (dysmsapi SendSms, API version
2017-05-25), switched off unless settings.NOTIFICATIONS_SMS names it.

Chosen over Tencent Cloud because its RPC signature (HMAC-SHA1 over the sorted, percent-encoded
query, "GET&%2F&…", keyed by AccessKeySecret + "&") needs nothing beyond the standard library and
SendSms takes the template's parameters as one JSON value. An SMS says only the subject: carriers
accept registered templates only, so the template (NOTIFICATIONS_SMS["template_code"]) has one
parameter, ${content}."""

import base64
import datetime
import hashlib
import hmac
import json
import urllib.parse
import uuid

from django.conf import settings

from notifications.channels import http_json

API_VERSION = "2017-05-25"
# What a template parameter may hold (Alibaba Cloud refuses longer values).
CONTENT_LIMIT = 35


def configured() -> bool:
    config = settings.NOTIFICATIONS_SMS
    return config.get("provider") == "aliyun" and all(
        config.get(name) for name in ("access_key_id", "access_key_secret", "sign_name", "template_code")
    )


def percent_encode(value: str) -> str:
    """RFC 3986 encoding as Alibaba Cloud's signature specifies (space %20, * %2A, ~ kept)."""
    return urllib.parse.quote(str(value), safe="~")


def aliyun_signature(params: dict[str, str], secret: str, method: str = "GET") -> str:
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))
    string_to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def send(*, phone: str, subject: str) -> tuple[bool, str]:
    config = settings.NOTIFICATIONS_SMS
    params = {
        "AccessKeyId": config["access_key_id"],
        "Action": "SendSms",
        "Format": "JSON",
        "PhoneNumbers": phone,
        "RegionId": config.get("region", "cn-hangzhou"),
        "SignName": config["sign_name"],
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": uuid.uuid4().hex,
        "SignatureVersion": "1.0",
        "TemplateCode": config["template_code"],
        "TemplateParam": json.dumps({"content": subject[:CONTENT_LIMIT]}, ensure_ascii=False),
        "Timestamp": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "Version": API_VERSION,
    }
    signature = aliyun_signature(params, config["access_key_secret"])
    query = "&".join(
        f"{percent_encode(k)}={percent_encode(v)}" for k, v in [("Signature", signature), *sorted(params.items())]
    )
    endpoint = config.get("endpoint", "https://dysmsapi.aliyuncs.com/").rstrip("/") + "/"
    status, answer = http_json(f"{endpoint}?{query}", method="GET")
    try:
        ok = status == 200 and json.loads(answer).get("Code") == "OK"
    except (ValueError, AttributeError):
        ok = False
    return ok, f"HTTP {status} {answer}".strip()
