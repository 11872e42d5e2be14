"""What production relies on: the health URL, a 503 while the database is away, one log line a
request, and a deploy check without warnings under the documented settings."""

import json
import logging
import secrets

import pytest
from django.db import OperationalError
from django.urls import reverse

from tests.factories import staff_user_create
from tests.test_settings import BASE_DIR, run_django

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
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="duba.example.org",
        SECURE_SSL_REDIRECT="1",
        SECURE_HSTS_SECONDS="31536000",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="1",
        SECURE_HSTS_PRELOAD="1",
        BEHIND_TLS_PROXY="1",
        STATIC_MANIFEST="1",
        DATABASE_URL="sqlite:////tmp/deploy-check.sqlite3",
    )

    assert completed.returncode == 0, completed.stderr
    assert "no issues" in completed.stdout + completed.stderr


def test_json_log_lines_parse(capsys):
    from django.conf import settings
    from pythonjsonlogger.json import JsonFormatter

    formatter = JsonFormatter(**{k: v for k, v in settings.LOGGING["formatters"]["json"].items() if k != "()"})
    line = formatter.format(
        logging.makeLogRecord({"msg": "request", "levelname": "INFO", "name": "x", "path": "/我的/"})
    )

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
    other = client.post(
        reverse("login"), {"username": "admin-x", "password": "right-pass-2026"}, REMOTE_ADDR="10.9.9.9"
    )
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


# --- Behind the proxy, and while the database is away --------------------------------------------


# The README's production settings; the database a file of the test's own.
def production_env(tmp_path, **overrides) -> dict:
    return {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "duba.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://duba.example.org",
        "BEHIND_TLS_PROXY": "1",
        "SECURE_SSL_REDIRECT": "1",
        "SECURE_HSTS_SECONDS": "31536000",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        "LOG_LEVEL": "INFO",
        **overrides,
    }


# Five wrong passwords, each through the proxy from one client, then the right one from that client
# and from another; what axes counted and what the request log wrote, as JSON.
THROTTLE_THROUGH_THE_PROXY = """
import json, logging
import django
django.setup()
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

for app in ("auth", "axes", "sessions"):
    call_command("migrate", app, verbosity=0)
get_user_model().objects.create_user("reviewer-x", password="right-pass-2026")
logged = []
handler = logging.Handler()
handler.emit = lambda record: logged.append(record.ip)
logging.getLogger("supervision.requests").addHandler(handler)

def login(forwarded_for, password):
    # The proxy connects from 127.0.0.1 and appends the address it was reached from.
    return Client(raise_request_exception=False).post(
        "/accounts/login/", {"username": "reviewer-x", "password": password},
        REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded_for,
        HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="duba.example.org",
    ).status_code

# The client writes a different X-Forwarded-For each time; the proxy appends its real address.
wrong = [login(f"10.0.0.{n}, 203.0.113.5", "wrong") for n in range(5)]
same_client = login("203.0.113.5", "right-pass-2026")
other_client = login("198.51.100.7", "right-pass-2026")
from axes.models import AccessAttempt
print(json.dumps({
    "wrong": wrong, "same_client": same_client, "other_client": other_client,
    "attempts": sorted(AccessAttempt.objects.values_list("ip_address", flat=True)), "log_ips": logged,
}))
"""


def _run_json(code: str, env: dict) -> dict:
    completed = run_django(code, **env)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_behind_the_proxy_wrong_passwords_lock_only_the_client_that_sent_them(tmp_path):
    result = _run_json(THROTTLE_THROUGH_THE_PROXY, production_env(tmp_path))

    assert result["wrong"] == [200, 200, 200, 200, 429]
    assert result["same_client"] == 429
    assert result["other_client"] == 302  # not the proxy's address, locked for everyone
    assert result["attempts"] == ["203.0.113.5"]
    assert result["log_ips"] == ["203.0.113.5"] * 6 + ["198.51.100.7"]


def test_without_a_proxy_a_forged_forwarded_for_is_ignored(tmp_path):
    env = production_env(tmp_path, BEHIND_TLS_PROXY="0", SECURE_SSL_REDIRECT="0")
    result = _run_json(THROTTLE_THROUGH_THE_PROXY.replace('HTTP_X_FORWARDED_PROTO="https", ', "secure=True, "), env)

    # Every attempt comes from 127.0.0.1, whatever the header says: the "other client" is too.
    assert result["wrong"] == [200, 200, 200, 200, 429]
    assert (result["same_client"], result["other_client"]) == (429, 429)
    assert result["attempts"] == ["127.0.0.1"]
    assert set(result["log_ips"]) == {"127.0.0.1"}


def test_the_client_address_is_counted_that_many_proxies_from_the_right(rf, settings):
    from supervision.proxy import client_ip

    def address(forwarded_for, proxies):
        settings.TRUSTED_PROXY_COUNT = proxies
        return client_ip(rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded_for))

    assert address("6.6.6.6, 203.0.113.5", 1) == "203.0.113.5"
    assert address("6.6.6.6, 203.0.113.5, 10.1.1.1", 2) == "203.0.113.5"
    assert address("6.6.6.6, 203.0.113.5", 0) == "127.0.0.1"
    # Not through every proxy, or not an address: what reached us.
    assert address("203.0.113.5", 2) == "127.0.0.1"
    assert address("not-an-address", 1) == "127.0.0.1"
    assert address("2001:db8::1", 1) == "2001:db8::1"


HEALTH_FOR_ANY_HOST = """
import json
import django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
health = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")
page = client.get("/accounts/login/", HTTP_HOST="127.0.0.1:8000", secure=True)
print(json.dumps({"health": [health.status_code, health.json()], "page": page.status_code}))
"""


def test_the_health_url_answers_whatever_the_host(tmp_path):
    # The Dockerfile's health check asks http://127.0.0.1:8000/healthz, a host the README's
    # ALLOWED_HOSTS leaves out (and plain http, where the site redirects to https).
    result = _run_json(HEALTH_FOR_ANY_HOST, production_env(tmp_path))

    assert result["health"] == [200, {"status": "ok"}]
    assert result["page"] == 400  # pages still refuse that host


# A signed-in user's request while PostgreSQL is down (nothing listens on the port): the session
# is read by the idle-timeout middleware, before any view.
SESSION_WITHOUT_A_DATABASE = """
import json, logging
import django
django.setup()
from django.conf import settings
from django.test import Client
errors = []
handler = logging.Handler(level=logging.ERROR)
handler.emit = lambda record: errors.append(record.getMessage())
logging.getLogger("django.request").addHandler(handler)
client = Client(raise_request_exception=False)
client.cookies[settings.SESSION_COOKIE_NAME] = "a" * 32
responses = [client.get(path, HTTP_HOST="duba.example.org", secure=True) for path in ("/plans/", "/my/", "/healthz")]
print(json.dumps({"statuses": [r.status_code for r in responses], "retry_after": responses[0].get("Retry-After"),
                  "page": responses[0].content.decode(), "errors": errors}))
"""


def _closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # free once the socket closes: nothing listens there


def test_a_request_with_a_session_answers_503_while_the_database_is_away(tmp_path):
    env = production_env(
        tmp_path, DATABASE_URL=f"postgres://postgres@127.0.0.1:{_closed_port()}/absent", CONN_MAX_AGE="0"
    )
    result = _run_json(SESSION_WITHOUT_A_DATABASE, env)

    assert result["statuses"] == [503, 503, 503]
    assert result["retry_after"] == "5" and "稍后" in result["page"]
    assert result["errors"] == []  # nothing mailed to ADMINS


def test_every_middleware_that_reads_the_database_sits_inside_the_503_answer():
    from django.conf import settings

    order = settings.MIDDLEWARE
    unavailable = order.index("supervision.middleware.DatabaseUnavailableMiddleware")
    for reads_the_database in (
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "supervision.middleware.IdleSessionTimeoutMiddleware",
        "axes.middleware.AxesMiddleware",
    ):
        assert order.index(reads_the_database) > unavailable, reads_the_database
    # What stands outside reads no database; the health URL answers before the Host is checked,
    # and a NUL in a query is refused before anything queries with it.
    assert order[:unavailable] == [
        "django.middleware.security.SecurityMiddleware",
        "csp.middleware.CSPMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "supervision.middleware.RequestLogMiddleware",
        "supervision.middleware.HealthCheckMiddleware",
    ]
    assert order.index("supervision.middleware.NullCharacterMiddleware") < order.index(
        "django.contrib.sessions.middleware.SessionMiddleware"
    )
    assert order.index("supervision.middleware.HealthCheckMiddleware") < order.index(
        "django.middleware.common.CommonMiddleware"
    )
    from django.urls import get_resolver

    assert get_resolver().resolve_error_handler(500).__name__ == "server_error"


def test_the_load_and_restart_script_counts_any_500_as_a_failure():
    import importlib.util

    spec = importlib.util.spec_from_file_location("load_fault", BASE_DIR / "scripts" / "load_fault.py")
    load_fault = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(load_fault)
    counts = {"acknowledged": 3, "missing": 0, "duplicated": 0}
    restart = [(1.0, "GET /my/: 503"), (2.0, "POST /assignments/1/report/: ReadTimeout")]

    assert load_fault.verdict(restart, restart, [], counts, [], 200) == []
    # A 500 fails the run even while the database restarts.
    errors = [*restart, (3.0, "GET /plans/: 500")]
    failures = load_fault.verdict(errors, errors, [], counts, [], 200)
    assert failures == ["1 answered 500, e.g. GET /plans/: 500"]


def test_an_installed_package_carries_every_app_of_the_project():
    # A non-editable install (the Dockerfile's) packages only what pyproject.toml includes.
    import tomllib

    from django.apps import apps
    from setuptools import find_packages

    include = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    packaged = set(find_packages(str(BASE_DIR), include=include["include"]))
    ours = {config.name for config in apps.get_app_configs() if (BASE_DIR / config.name).is_dir()}

    assert ours | {"schedule", "plans.parsing"} <= packaged


def test_the_image_copies_every_packaged_app():
    import re
    import tomllib

    include = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    top_level = {pattern.rstrip("*") for pattern in include["include"]}
    copied = set(re.findall(r"^COPY (\w+) \1$", (BASE_DIR / "Dockerfile").read_text(), re.M))

    assert top_level <= copied
