"""What production relies on: the health URL, a 503 while the database is away, one log line a
request, and a deploy check without warnings under the documented settings."""
import json
import logging
import secrets

import pytest
from django.db import OperationalError
from django.urls import reverse

from tests.factories import staff_user_create
from tests.test_settings import run_django

pytestmark = pytest.mark.django_db


def test_the_health_url_answers_ok_without_a_login(client):
    response = client.get("/healthz")

    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_the_health_url_says_503_when_the_database_is_away(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("the connection is closed")

    monkeypatch.setattr("django.db.backends.base.base.BaseDatabaseWrapper.cursor", broken)

    response = client.get("/healthz")

    assert response.status_code == 503 and response.json()["status"] == "unavailable"


def test_a_page_answers_503_try_again_while_the_database_is_away(client, monkeypatch):
    client.force_login(staff_user_create())

    def broken(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("plans.views.plans.work_plan_filterset", broken)
    response = client.get(reverse("plans:plan_list"))

    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "稍后" in response.content.decode()


def test_each_request_is_one_json_log_line(client, caplog):
    client.force_login(staff_user_create())
    with caplog.at_level(logging.INFO, logger="supervision.requests"):
        client.get(reverse("plans:plan_list"))

    (record,) = [r for r in caplog.records if r.name == "supervision.requests"]
    assert (record.method, record.path, record.status) == ("GET", "/plans/", 200)
    assert record.user is not None and record.ms >= 0


def test_the_documented_production_settings_pass_the_deploy_check():
    completed = run_django(
        "import django, sys\n"
        "from django.core.management import call_command\n"
        "django.setup()\n"
        "call_command('check', '--deploy', '--fail-level', 'WARNING')\n",
        DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="duba.example.org",
        SECURE_SSL_REDIRECT="1", SECURE_HSTS_SECONDS="31536000", SECURE_HSTS_INCLUDE_SUBDOMAINS="1",
        SECURE_HSTS_PRELOAD="1", BEHIND_TLS_PROXY="1", STATIC_MANIFEST="1",
        DATABASE_URL="sqlite:////tmp/deploy-check.sqlite3",
    )

    assert completed.returncode == 0, completed.stderr
    assert "no issues" in completed.stdout + completed.stderr


def test_json_log_lines_parse(capsys):
    from django.conf import settings
    from pythonjsonlogger.json import JsonFormatter

    formatter = JsonFormatter(**{k: v for k, v in settings.LOGGING["formatters"]["json"].items() if k != "()"})
    line = formatter.format(logging.makeLogRecord({"msg": "request", "levelname": "INFO", "name": "x", "path": "/我的/"}))

    assert json.loads(line)["path"] == "/我的/"


# --- Login throttling and idle sessions ---------------------------------------------------------


def _login(client, password):
    return client.post(reverse("login"), {"username": "admin-x", "password": password})


def test_five_wrong_passwords_lock_the_username_at_that_address_and_say_so(client):
    from tests.factories import UserFactory

    UserFactory(username="admin-x", password="right-pass-2026", is_superuser=True)
    for _ in range(4):
        assert _login(client, "wrong").status_code == 200
    assert _login(client, "wrong").status_code == 429  # the fifth locks
    locked = _login(client, "right-pass-2026")

    assert locked.status_code == 429
    assert "暂时无法登录" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address may still sign in with the right password.
    other = client.post(reverse("login"), {"username": "admin-x", "password": "right-pass-2026"}, REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 302


def test_an_idle_session_is_signed_out(client, settings):
    import time

    settings.SESSION_IDLE_SECONDS = 60
    client.force_login(staff_user_create())
    assert client.get(reverse("plans:plan_list")).status_code == 200
    session = client.session
    session["_last_activity"] = int(time.time()) - 3600
    session.save()

    response = client.get(reverse("plans:plan_list"))

    assert response.status_code == 302 and reverse("login") in response.url


def test_a_calendar_feeds_secret_is_not_logged(client, caplog):
    with caplog.at_level(logging.INFO, logger="supervision.requests"):
        client.get("/feeds/s3cr3t-t0ken/plans/1.ics")

    (record,) = [r for r in caplog.records if r.name == "supervision.requests"]
    assert "s3cr3t" not in record.path and record.path.startswith("/feeds/")
