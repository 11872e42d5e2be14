"""A local stand-in for 企业微信, 钉钉 and Alibaba Cloud SMS on 127.0.0.1: it checks each request
as the services document it (the webhook key, 钉钉's 加签, Alibaba Cloud's RPC signature) and
answers as they do, so the senders are tested over real HTTP."""

import base64
import datetime
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

WECOM_KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
DINGTALK_TOKEN = "a1b2c3d4e5f6"
DINGTALK_SECRET = "SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd"
ALIYUN_KEY_ID = "LTAI-test-key"
ALIYUN_SECRET = "test-secret/with+odd=chars"


def _rfc3986(value: str) -> str:
    # Alibaba Cloud's documentation: URL-encode with UTF-8, then "+" → "%20", "*" → "%2A", "%7E" → "~".
    return urllib.parse.quote_plus(value, encoding="utf-8").replace("+", "%20").replace("*", "%2A").replace("%7E", "~")


class FakeProviders:
    def __init__(self):
        self.requests: list[dict] = []
        # Answers to give instead of checking, first in first out: (HTTP status, body).
        self.forced: list[tuple[int, dict]] = []

    # --- 企业微信 group robot: POST /cgi-bin/webhook/send?key=… -------------------------------
    def wecom(self, query, body):
        if query.get("key") != [WECOM_KEY]:
            return {"errcode": 93000, "errmsg": "invalid webhook url"}
        payload = json.loads(body)
        kind = payload.get("msgtype")
        if kind not in ("text", "markdown") or not isinstance(payload.get(kind), dict):
            return {"errcode": 40008, "errmsg": "invalid message type"}
        content = payload[kind].get("content", "")
        if not content or len(content.encode()) > 4096:
            return {"errcode": 40058, "errmsg": "content exceed max length"}
        return {"errcode": 0, "errmsg": "ok"}

    # --- 钉钉 custom robot: POST /robot/send?access_token=…&timestamp=…&sign=… ------------------
    def dingtalk(self, query, body):
        if query.get("access_token") != [DINGTALK_TOKEN]:
            return {"errcode": 300001, "errmsg": "token is not exist"}
        timestamp = query.get("timestamp", [""])[0]
        sign = query.get("sign", [""])[0]  # parse_qs undoes the URL-encoding
        string_to_sign = f"{timestamp}\n{DINGTALK_SECRET}"
        expected = base64.b64encode(
            hmac.new(DINGTALK_SECRET.encode(), string_to_sign.encode(), hashlib.sha256).digest()
        ).decode()
        if not timestamp.isdigit() or abs(time.time() * 1000 - int(timestamp)) > 3600 * 1000:
            return {"errcode": 310000, "errmsg": "timestamp invalid"}
        if sign != expected:
            return {"errcode": 310000, "errmsg": "sign not match"}
        payload = json.loads(body)
        if (
            payload.get("msgtype") != "markdown"
            or not payload["markdown"].get("title")
            or not payload["markdown"].get("text")
        ):
            return {"errcode": 40035, "errmsg": "missing parameter"}
        return {"errcode": 0, "errmsg": "ok"}

    # --- Alibaba Cloud SMS: GET /?Signature=…&Action=SendSms&… (RPC, signature version 1.0) ----
    def aliyun(self, query):
        params = {key: values[0] for key, values in query.items()}
        signature = params.pop("Signature", "")
        canonical = "&".join(f"{_rfc3986(k)}={_rfc3986(v)}" for k, v in sorted(params.items()))
        string_to_sign = "GET&" + _rfc3986("/") + "&" + _rfc3986(canonical)
        expected = base64.b64encode(
            hmac.new((ALIYUN_SECRET + "&").encode(), string_to_sign.encode(), hashlib.sha1).digest()
        ).decode()
        required = {
            "AccessKeyId": ALIYUN_KEY_ID,
            "Action": "SendSms",
            "SignatureMethod": "HMAC-SHA1",
            "SignatureVersion": "1.0",
            "Version": "2017-05-25",
        }
        if any(params.get(k) != v for k, v in required.items()) or not params.get("SignatureNonce"):
            return {"Code": "MissingParameter", "Message": "bad common parameters"}
        stamp = datetime.datetime.strptime(params.get("Timestamp", ""), "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=datetime.UTC
        )
        if abs((datetime.datetime.now(datetime.UTC) - stamp).total_seconds()) > 900:
            return {"Code": "InvalidTimeStamp.Expired", "Message": "expired"}
        if signature != expected:
            return {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched"}
        json.loads(params["TemplateParam"])
        return {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": "F655A8D5-B967"}

    def answer(self, method, path, query, body):
        self.requests.append({"method": method, "path": path, "query": query, "body": body})
        if self.forced:
            return self.forced.pop(0)
        if method == "POST" and path == "/cgi-bin/webhook/send":
            return 200, self.wecom(query, body)
        if method == "POST" and path == "/robot/send":
            return 200, self.dingtalk(query, body)
        if method == "GET" and path == "/":
            return 200, self.aliyun(query)
        return 404, {"error": "not found"}


@pytest.fixture
def providers(settings):
    fake = FakeProviders()

    class Handler(BaseHTTPRequestHandler):
        def _reply(self, method):
            parsed = urllib.parse.urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            status, answer = fake.answer(method, parsed.path, urllib.parse.parse_qs(parsed.query), body)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            self._reply("GET")

        def do_POST(self):
            self._reply("POST")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    settings.NOTIFICATIONS_WECOM_URL = f"{base}/cgi-bin/webhook/send"
    settings.NOTIFICATIONS_DINGTALK_URL = f"{base}/robot/send"
    settings.NOTIFICATIONS_HTTP_TIMEOUT = 5
    fake.base = base
    fake.wecom_webhook = f"{base}/cgi-bin/webhook/send?key={WECOM_KEY}"
    fake.dingtalk_webhook = f"{base}/robot/send?access_token={DINGTALK_TOKEN}"
    yield fake
    server.shutdown()
    server.server_close()
