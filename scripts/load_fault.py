"""Load, restarts and throughput: does the production server keep its promises?

Every mode starts the production server as `make serve` runs it (gunicorn, WORKERS and THREADS
as given) on 127.0.0.1 over a fresh PostgreSQL database with the demo data.

Restarts (the default): a bounded mixed load — county users reading their portal and reporting
with a small PDF, staff reading dashboards, the plan list and plans, a reviewer accepting and
returning reports — while PostgreSQL is restarted once (and, with `--servers 2`, Redis once, at
another moment). The county offices' 企业微信 and 钉钉 group robots point at a stand-in for both
services that this script runs (tests/notifications/conftest.py's, which checks keys and 加签),
so each review writes notices; a delivery runner sends them during the load, and once more after
it. It prints requests/s, p50/p95/p99 latency and the errors of each restart's window, and
checks that every report the server acknowledged is stored exactly once (a report retried after
a failure carries the same submission key), that every acknowledged review wrote its robots'
notices, and that each of those was delivered exactly once (payloads counted per message).

    .venv/bin/python scripts/load_fault.py [--seconds 40] [--users 12] [--port 8791]
    .venv/bin/python scripts/load_fault.py --servers 2 [--redis-db 9]

With `--servers 2`, two servers on two ports (as two hosts would be) share PostgreSQL and Redis
(CACHE_URL=redis://127.0.0.1:6379/<redis-db>) behind a small round-robin reverse proxy (this
script, `--proxy`), which the load goes through, and the notices are sent by a Celery worker
(CELERY_BROKER_URL=redis://127.0.0.1:6379/<redis-db + 1>), one delivery task on the broker a
second, as beat would queue them. Exits non-zero on any 500 (a lost database
answers 503; a lost Redis is a cache miss), any error outside a restart's window, a report
acknowledged but missing or stored twice, a notice lost, undelivered or delivered twice, or a
server that did not recover.

Throughput (`--rates`): no restart; open-loop arrivals (Poisson, seeded) of the same county and
staff mix at each rate for `--step-seconds`, against one server; per rate p50/p95/p99 from each
request's scheduled arrival, failures, the rate achieved, and the CPU of gunicorn's processes,
of PostgreSQL's backends for this database and of this client (100 % = one core), then the
highest rate at which p95 stayed ≤ 100 ms with nothing failed.

    .venv/bin/python scripts/load_fault.py --rates 50,100,150,200,250 [--workers 3 --threads 1]

Loopback only; fixed duration and request count; it stops by itself and ends only the processes
it started. Needs root (or a sudo that can run pg_ctlcluster and service) for the restarts, like
`make test` does to start PostgreSQL.
"""

import argparse
import asyncio
import itertools
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.notifications.conftest import DINGTALK_SECRET, DINGTALK_TOKEN, WECOM_KEY, FakeProviders  # noqa: E402

PY = ROOT / ".venv" / "bin" / "python"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PASSWORD = "demo-pass-2026"
MAX_REQUESTS = 20_000
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# A review's comment names it; the group robots' text carries it (see PREPARE's template).
REVIEW_TOKEN = re.compile(r"load-review-[0-9a-f]{32}")
ROBOT_EVENTS = ["report_returned", "report_accepted"]
NO_TOKEN = "(no token)"
# Errors this long after a restart ended still belong to it (connections re-established).
WINDOW_AFTER = 10.0


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    errors: list[tuple[float, str]] = field(default_factory=list)
    requests: int = 0
    reports_ok: set = field(default_factory=set)
    reviews_ok: set = field(default_factory=set)
    # What was restarted: (start, end) on time.monotonic().
    windows: dict[str, tuple[float, float]] = field(default_factory=dict)
    started: float = 0.0  # the clock starts once everyone signed in


def run(*args, env=None, check=True, stdin=None):
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, input=stdin)
    if check and result.returncode:
        sys.exit(f"{' '.join(map(str, args))[:200]} failed:\n{result.stderr.strip()[-3000:]}")
    return result


def as_root(command: list[str]) -> list[str]:
    return command if os.geteuid() == 0 else ["sudo", "-n", *command]


def pg_restart():
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    return subprocess.run(
        as_root(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"]),
        capture_output=True,
        text=True,
    )


def redis_restart():
    # Debian's redis-server runs from its init script (daemonized, /etc/redis/redis.conf).
    return subprocess.run(as_root(["service", "redis-server", "restart"]), capture_output=True, text=True)


# --- preparing the database, the robots' stand-in, the servers ------------------------------------

# Reads {"wecom": url, "dingtalk": url, "password": …} on stdin. More county users — one for
# each county the offices' plans send work to, those of the reviewer's (郑州) first — each county office with a 企业微信 robot
# and every other one with a 钉钉 robot too, told of reviews. The accepted report's text carries
# the reviewer's comment (an administrator's template), so that each robot message is told apart.
PREPARE = """
import json, sys
from django.contrib.auth import get_user_model
from notifications.models import MessageTemplate
from notifications.services.settings import office_channel_set
from organisation.models import Membership, Office
from tracking.models import Assignment
given = json.load(sys.stdin)
User = get_user_model()
admin = User.objects.get(username="admin")
MessageTemplate.objects.update_or_create(
    event="report_accepted",
    defaults={"subject": "[督导工作台] 报告已通过：{what}", "body": "{office}已通过{county}关于{what}的报告：{comment}\\n{url}"},
)
# The reviewer's office's counties first: the reviewer sees their reports.
reviewed = Assignment.objects.filter(office__in=Membership.objects.filter(user__username="reviewer").values("office"))
reviewed = list(reviewed.values_list("county_id", flat=True).distinct().order_by("county_id"))
others = Assignment.objects.exclude(county_id__in=reviewed).values_list("county_id", flat=True).distinct().order_by("county_id")
counties = (reviewed + list(others))[:40]
for n, county_id in enumerate(counties):
    office, _ = Office.objects.get_or_create(
        name=f"load-county-office-{county_id}", defaults={"level": "county", "county_id": county_id}
    )
    user, _ = User.objects.get_or_create(username=f"load-county-{n}")
    user.set_password(given["password"]); user.save()
    Membership.objects.get_or_create(user=user, office=office, defaults={"role": "county"})
    events = given["events"]
    office_channel_set(office=office, channel="wecom", acting_user=admin, enabled=True, events=events, webhook=given["wecom"])
    if n % 2 == 0:
        office_channel_set(
            office=office, channel="dingtalk", acting_user=admin, enabled=True, events=events,
            webhook=given["dingtalk"], secret=given["secret"],
        )
"""


def prepare(env) -> None:
    db = env["DATABASE_URL"].rsplit("/", 1)[1]
    run("dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", db)
    run("createdb", "-h", "127.0.0.1", "-U", "postgres", db)
    run(str(PY), "manage.py", "migrate", "--noinput", "-v0", env=env)
    run(str(PY), "manage.py", "setup_demo", env=env)
    given = {
        "password": PASSWORD,
        "events": ROBOT_EVENTS,
        "wecom": f"{env['NOTIFICATIONS_WECOM_URL']}?key={WECOM_KEY}",
        "dingtalk": f"{env['NOTIFICATIONS_DINGTALK_URL']}?access_token={DINGTALK_TOKEN}",
        "secret": DINGTALK_SECRET,
    }
    run(str(PY), "manage.py", "shell", "-c", PREPARE, env=env, stdin=json.dumps(given))


class RobotStandIn:
    """企业微信 and 钉钉 on 127.0.0.1 (the tests' stand-in, which checks keys and 加签), counting
    the payloads it accepted per channel and review token."""

    def __init__(self, port: int):
        self.fake = FakeProviders()
        self.accepted: Counter = Counter()
        self.refused: list[str] = []
        lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                parsed = urllib.parse.urlsplit(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                with lock:
                    status, answer = outer.fake.answer("POST", parsed.path, urllib.parse.parse_qs(parsed.query), body)
                    channel = "wecom" if parsed.path == "/cgi-bin/webhook/send" else "dingtalk"
                    if status == 200 and answer.get("errcode") == 0:
                        for token in REVIEW_TOKEN.findall(body) or [NO_TOKEN]:
                            outer.accepted[channel, token] += 1
                    else:
                        outer.refused.append(f"{channel}: {answer}")
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.base = f"http://127.0.0.1:{port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def server_env(args, *, port: int) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{args.database}",
        "SECRET_KEY": "load-test-secret-" + args.database,
        "DEBUG": "0",
        "STATIC_MANIFEST": "1",
        # Plain http on loopback: the cookies cannot be Secure here.
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "MEDIA_ROOT": str(ROOT / ".load-media"),
        "LOG_LEVEL": "WARNING",
        "EMAIL_URL": "dummymail://",
        "NOTIFICATIONS_WECOM_URL": f"http://127.0.0.1:{port}/cgi-bin/webhook/send",
        "NOTIFICATIONS_DINGTALK_URL": f"http://127.0.0.1:{port}/robot/send",
        # A failed delivery is tried again within the run, not five minutes later.
        "NOTIFICATIONS_RETRY_BASE": "2",
    }


def serve(env, *, port: int, workers: int, threads: int, log) -> subprocess.Popen:
    """`make serve` (migrate, collectstatic, check --deploy, gunicorn), in its own process group."""
    return subprocess.Popen(
        ["make", "serve", "HOST=127.0.0.1", f"PORT={port}", f"WORKERS={workers}", f"THREADS={threads}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_healthy(base: str, *, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if healthz(base, timeout=2) == 200:
            return
        time.sleep(0.5)
    sys.exit(f"{base} did not answer /healthz within {seconds:.0f} s")


def stop(process: subprocess.Popen) -> None:
    """End a process this script started, with its process group (make and its gunicorn)."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def port_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


# --- the reverse proxy (--proxy) -------------------------------------------------------------------

_turns = itertools.count()  # round robin
_HOP_BY_HOP = {b"connection", b"keep-alive", b"proxy-connection", b"te", b"upgrade"}


async def _proxy_one(reader, writer, backends) -> None:
    """One request per client connection: read it, send it to the next backend (the other one
    when that refuses the connection), relay the answer, close."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head[:-4].split(b"\r\n")
        headers = [line for line in lines[1:] if line.split(b":", 1)[0].strip().lower() not in _HOP_BY_HOP]
        length = next((int(h.split(b":", 1)[1]) for h in headers if h.lower().startswith(b"content-length:")), 0)
        body = await reader.readexactly(length) if length else b""
        peer = writer.get_extra_info("peername")[0]
        forwarded = [h for h in headers if h.lower().startswith(b"x-forwarded-for:")]
        headers = [h for h in headers if h not in forwarded]
        chain = (forwarded[0].split(b":", 1)[1].strip() + b", " if forwarded else b"") + peer.encode()
        request = b"\r\n".join([lines[0], *headers, b"X-Forwarded-For: " + chain, b"Connection: close"])
        request += b"\r\n\r\n" + body
        for _ in range(len(backends)):
            host, port = backends[next(_turns) % len(backends)]
            try:
                upstream_reader, upstream_writer = await asyncio.open_connection(host, port)
                break
            except OSError:
                continue
        else:
            writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            await writer.drain()
            return
        upstream_writer.write(request)
        await upstream_writer.drain()
        while chunk := await upstream_reader.read(65536):
            writer.write(chunk)
            await writer.drain()
        upstream_writer.close()
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


def proxy_main(listen: int, ports: list[int]) -> None:
    backends = [("127.0.0.1", port) for port in ports]

    async def serve_forever():
        server = await asyncio.start_server(lambda r, w: _proxy_one(r, w, backends), "127.0.0.1", listen, backlog=512)
        async with server:
            await server.serve_forever()

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    asyncio.run(serve_forever())


# --- the delivery runner ---------------------------------------------------------------------------

# What a scheduler would run every few seconds (`send_notifications`), in one process for the
# whole run; a database away for a moment fails one round, the next connects again.
DELIVER = """
import os, time
from django.db import connection
from notifications.services.delivery import messages_deliver_due
stop = os.environ["LOAD_DELIVER_STOP"]
via_worker = os.environ.get("LOAD_DELIVER_VIA") == "celery"
if via_worker:
    # As beat would: each round is a task on the broker (Redis), run by the Celery worker.
    import redis
    from notifications.tasks import send_notifications
    broker = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"], socket_timeout=2)
failed = rounds = 0
while True:
    last = os.path.exists(stop)  # one more round once the load is over, then done
    try:
        if via_worker:
            if not broker.llen("celery"):  # one round waiting at a time is enough
                send_notifications.delay()
        else:
            messages_deliver_due()
        rounds += 1
    except Exception as error:
        failed += 1
        print("a delivery round failed:", type(error).__name__, flush=True)
        connection.close()
    if last:
        break
    time.sleep(1)
if via_worker:  # the worker takes what is queued before the run ends
    for _ in range(120):
        try:
            if not broker.llen("celery"):
                break
        except Exception:
            pass
        time.sleep(0.5)
print("delivery rounds:", rounds, "via the Celery worker" if via_worker else "in this process", "; failed:", failed, flush=True)
"""


# --- the client ------------------------------------------------------------------------------------


class HTTPError(Exception):
    """A request that got no answer (refused, reset, timed out); its text is the cause's name."""


@dataclass
class Answer:
    status_code: int
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode()


class Client:
    """One user's connections and cookies. aiohttp, not httpx: the script runs on the same two
    cores as the server, and httpx spent about 1.4 ms of CPU a request (a fifth of a core at 150
    requests/s), aiohttp about a fifteenth of that."""

    def __init__(self, base: str, *, timeout: float, connections: int = 100):
        self.session = aiohttp.ClientSession(
            base_url=base,
            timeout=aiohttp.ClientTimeout(total=timeout),
            # The server is 127.0.0.1: aiohttp keeps no cookies of an IP address unless told to.
            cookie_jar=aiohttp.CookieJar(unsafe=True),
            connector=aiohttp.TCPConnector(limit=connections),
        )

    async def request(self, method: str, url: str, *, data: dict | None = None, files: dict | None = None) -> Answer:
        body = data
        if files:
            body = aiohttp.FormData()
            for name, value in (data or {}).items():
                body.add_field(name, value)
            for name, (filename, content, content_type) in files.items():
                body.add_field(name, content, filename=filename, content_type=content_type)
        try:
            async with self.session.request(method, url, data=body, allow_redirects=False) as response:
                return Answer(response.status, await response.read())
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise HTTPError(type(exc).__name__) from exc

    async def get(self, url: str) -> Answer:
        return await self.request("GET", url)

    async def post(self, url: str, *, data: dict) -> Answer:
        return await self.request("POST", url, data=data)

    async def aclose(self) -> None:
        await self.session.close()


def healthz(base: str, *, timeout: float) -> int | None:
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=timeout) as response:
            return response.status
    except (OSError, ValueError):
        return None


# --- the load: closed-loop users for the restarts ---------------------------------------------------


async def login(client: Client, username: str) -> None:
    page = await client.get("/accounts/login/")
    token = CSRF.search(page.text).group(1)
    response = await client.post(
        "/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token, "next": "/"},
    )
    if response.status_code != 302:
        errors = re.findall(r'class="form-errors"[^>]*>(.*?)</div>', response.text, re.S)
        raise RuntimeError(f"login of {username} failed: {response.status_code} {errors}")


async def timed(stats: Stats, client, method, url, **kwargs):
    start = time.perf_counter()
    stats.requests += 1
    try:
        response = await client.request(method, url, **kwargs)
    except HTTPError as exc:
        stats.errors.append((time.monotonic(), f"{method} {url}: {exc}"))
        return None
    stats.latencies.append(time.perf_counter() - start)
    if response.status_code >= 500:
        stats.errors.append((time.monotonic(), f"{method} {url}: {response.status_code}"))
    return response


async def county_user(stats: Stats, client: Client, username: str, deadline: float):
    try:
        # A report not yet acknowledged: sent again, to the same assignment, with the same key.
        pending = None
        while time.monotonic() < deadline and stats.requests < MAX_REQUESTS:
            portal = await timed(stats, client, "GET", "/my/")
            if portal is None or portal.status_code != 200:
                await asyncio.sleep(0.2)
                continue
            ids = re.findall(r'href="/assignments/(\d+)/"', portal.text)
            if not ids:
                await asyncio.sleep(0.5)
                continue
            pk = pending[0] if pending and pending[0] in ids else random.choice(ids)
            detail = await timed(stats, client, "GET", f"/assignments/{pk}/")
            if detail is None or detail.status_code != 200 or f"/assignments/{pk}/report/" not in detail.text:
                continue
            token = CSRF.search(detail.text)
            if not token:
                continue
            key = pending[1] if pending and pending[0] == pk else str(uuid.uuid4())
            response = await timed(
                stats,
                client,
                "POST",
                f"/assignments/{pk}/report/",
                data={
                    "progress": "in_progress",
                    # A report that says what the pending one said is that one again (not stored).
                    "text": f"负载测试报告 {key}",
                    "submission_key": key,
                    "csrfmiddlewaretoken": token.group(1),
                },
                files={"files": ("evidence.pdf", PDF, "application/pdf")},
            )
            if response is not None and response.status_code == 302:
                stats.reports_ok.add((key, int(pk), username))
                pending = None
            else:
                pending = (pk, key)  # retried next round: at most one report for it
            await asyncio.sleep(random.uniform(0.05, 0.2))
    finally:
        await client.aclose()


async def staff_user(stats: Stats, client: Client, deadline: float):
    try:
        plans = await client.get("/plans/")
        plan_ids = re.findall(r'href="/plans/(\d+)/"', plans.text) or ["1"]
        while time.monotonic() < deadline and stats.requests < MAX_REQUESTS:
            pk = random.choice(plan_ids)
            for url in ("/plans/", f"/plans/{pk}/", f"/plans/{pk}/dashboard/", "/counties/"):
                await timed(stats, client, "GET", url)
            await asyncio.sleep(random.uniform(0.05, 0.2))
    finally:
        await client.aclose()


REVIEW_FORM = re.compile(r'action="/reports/(\d+)/review/"')


async def reviewer(stats: Stats, client: Client, deadline: float):
    """审核 from the inbox: accept or return the next report, with a comment that names the review.
    A review whose answer is lost is not retried (the report is no longer pending if it was
    recorded; its notices are checked all the same)."""
    try:
        while time.monotonic() < deadline and stats.requests < MAX_REQUESTS:
            await asyncio.sleep(random.uniform(0.1, 0.3))
            inbox = await timed(stats, client, "GET", "/inbox/")
            if inbox is None or inbox.status_code != 200:
                continue
            ids = re.findall(r'href="/assignments/(\d+)/#reports-heading"', inbox.text)
            if not ids:
                continue
            detail = await timed(stats, client, "GET", f"/assignments/{random.choice(ids)}/")
            if detail is None or detail.status_code != 200:
                continue
            forms, token = REVIEW_FORM.findall(detail.text), CSRF.search(detail.text)
            if not forms or not token:
                continue
            for report_id in forms[:5]:  # the page's pending reports, one review each
                comment = f"load-review-{uuid.uuid4().hex}"
                response = await timed(
                    stats,
                    client,
                    "POST",
                    f"/reports/{report_id}/review/",
                    data={
                        "decision": random.choice(["accept", "return"]),
                        "comment": comment,
                        "csrfmiddlewaretoken": token.group(1),
                    },
                )
                if response is not None and response.status_code == 302:
                    stats.reviews_ok.add(comment)
    finally:
        await client.aclose()


async def restarter(stats: Stats, name: str, at: float, restart):
    await asyncio.sleep(at)
    start = time.monotonic()
    result = await asyncio.to_thread(restart)
    stats.windows[name] = (start, time.monotonic())
    if result.returncode:
        print(f"{name} restart failed:", result.stderr.strip(), file=sys.stderr)


async def limited(coroutines, *, at_once: int = 3) -> list:
    """The coroutines' results, a few at a time: a login hashes a password (most of a second of
    CPU), and all at once they would time out on a small server."""
    gate = asyncio.Semaphore(at_once)

    async def one(coroutine):
        async with gate:
            return await coroutine

    return await asyncio.gather(*[one(coroutine) for coroutine in coroutines])


async def signed_in(base: str, username: str) -> Client:
    client = Client(base, timeout=15)
    await login(client, username)
    return client


async def main_async(args, base, restarts) -> Stats:
    stats = Stats()
    # Everyone signs in before the clock starts: the load is the work, not the logins.
    names = [f"load-county-{n}" for n in range(args.users - 3)]
    counties = await limited([signed_in(base, name) for name in names])
    staff = await limited([signed_in(base, "viewer"), signed_in(base, "staff")])
    checker = await signed_in(base, "reviewer")
    stats.started = time.monotonic()
    deadline = stats.started + args.seconds
    tasks = [county_user(stats, client, name, deadline) for client, name in zip(counties, names, strict=True)]
    tasks += [staff_user(stats, client, deadline) for client in staff]
    tasks.append(reviewer(stats, checker, deadline))
    tasks += [restarter(stats, name, at, restart) for name, at, restart in restarts]
    await asyncio.gather(*tasks)
    return stats


# --- checks (pure: tests/test_load_fault.py) -----------------------------------------------------------


def percentile(values, q):
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]


def errors_by_window(errors, windows: dict[str, tuple[float, float]]):
    """{window name: [errors]} for each restart (from a second before it to WINDOW_AFTER after),
    and the errors outside them all."""
    inside = {name: [] for name in windows}
    outside = []
    for error in errors:
        for name, (start, end) in windows.items():
            if start - 1 <= error[0] <= end + WINDOW_AFTER:
                inside[name].append(error)
                break
        else:
            outside.append(error)
    return inside, outside


def stored_once(acknowledged, stored) -> dict:
    """Every acknowledged key stored exactly once: `stored` lists the stored keys among them
    (a key twice if stored twice)."""
    counts = Counter(stored)
    return {
        "acknowledged": len(acknowledged),
        "missing": sum(counts[key] == 0 for key in acknowledged),
        "duplicated": sum(counts[key] > 1 for key in acknowledged),
    }


def deliveries_check(*, messages, accepted: Counter, reviews_ok, expected: dict) -> list[str]:
    """What breaks "told once": `messages` are the robot messages written, as (id, channel,
    status, review token); `accepted` counts the payloads the stand-in accepted per (channel,
    token); `expected` is, per acknowledged review's token, how many robot messages it calls for."""
    problems = []
    written = Counter((channel, token) for _id, channel, _status, token in messages)
    for token in sorted(reviews_ok):
        found = sum(n for (_channel, t), n in written.items() if t == token)
        if found != expected.get(token, 0):
            problems.append(f"review {token}: {found} robot messages written, {expected.get(token, 0)} due")
    for message_id, channel, status, token in messages:
        if status != "sent":
            problems.append(f"message {message_id} is {status}, not sent")
        elif token != NO_TOKEN and accepted[channel, token] != 1:
            problems.append(f"message {message_id} ({channel}) delivered {accepted[channel, token]} times")
    # Messages that name no review (the demo's own reviews) are told apart by their count only.
    for channel in sorted({channel for _id, channel, _status, _token in messages}):
        sent = sum(1 for _id, c, status, token in messages if c == channel and token == NO_TOKEN and status == "sent")
        if accepted[channel, NO_TOKEN] != sent:
            problems.append(f"{sent} {channel} messages that name no review, {accepted[channel, NO_TOKEN]} payloads")
    for (channel, token), n in sorted(accepted.items()):
        if token != NO_TOKEN and (channel, token) not in written:
            problems.append(f"{n} payloads by {channel} for no message ({token})")
    return problems


# Reads {"reports": [[key, assignment id, username]], "reviews": [tokens]} on stdin. The server
# stores a report's key scoped to its assignment and author (tracking.services.reports).
VERIFY = """
import json, re, sys, uuid
from organisation.models import Office
from notifications.models import Message, OfficeChannel
from tracking.models import ProgressReport
from django.contrib.auth import get_user_model
from tracking.models import Assignment
from tracking.services.reports import submission_key_scoped
given = json.load(sys.stdin)
users = dict(get_user_model().objects.filter(username__in={u for _k, _a, u in given["reports"]}).values_list("username", "pk"))
scoped = {}
for key, assignment_id, username in given["reports"]:
    user = get_user_model()(pk=users[username])
    scoped[str(submission_key_scoped(uuid.UUID(key), assignment=Assignment(pk=assignment_id), user=user))] = key
# The acknowledged keys of the reports stored, once per report.
stored = [scoped[str(k)] for k in ProgressReport.objects.filter(submission_key__in=list(scoped)).values_list("submission_key", flat=True)]
token = re.compile(r"load-review-[0-9a-f]{32}")
messages = [
    (pk, channel, status, (token.findall(body) or ["(no token)"])[0])
    for pk, channel, status, body in Message.objects.filter(channel__in=["wecom", "dingtalk"]).values_list("pk", "channel", "status", "body")
]
robots = {}
for robot in OfficeChannel.objects.filter(enabled=True).select_related("office"):
    for event in robot.events:
        key = (robot.office.county_id, event)
        robots[key] = robots.get(key, 0) + 1
expected = {}
for comment, review, county_id in ProgressReport.objects.filter(review_comment__in=given["reviews"]).values_list("review_comment", "review", "assignment__county_id"):
    expected[comment] = robots.get((county_id, "report_" + review), 0)
print(json.dumps({"stored": stored, "messages": messages, "expected": expected,
                  "reports_in_database": ProgressReport.objects.count()}))
"""


def verdict(errors, inside, outside, counts, delivery_problems, health_after: int) -> list[str]:
    """What breaks the server's promises: any 500 (a traceback, an error mail to ADMINS — a lost
    database answers 503, a lost Redis is a miss), any error outside the restarts, a report
    acknowledged but not stored exactly once, a notice lost or not told exactly once, a server
    that did not recover."""
    failures = []
    server_errors = [error for _at, error in errors if error.endswith(": 500")]
    if server_errors:
        failures.append(f"{len(server_errors)} answered 500, e.g. {server_errors[0]}")
    if outside:
        failures.append(f"{len(outside)} errors outside the restarts, e.g. {outside[0][1]}")
    if counts["missing"] or counts["duplicated"]:
        failures.append(f"acknowledged reports missing or stored twice: {counts}")
    if delivery_problems:
        failures.append(f"{len(delivery_problems)} notices not told exactly once, e.g. {delivery_problems[0]}")
    if health_after != 200:
        failures.append(f"health after the run: {health_after}")
    return failures


def restarts_main(args) -> int:
    ports = [args.port + 1 + n for n in range(args.servers)] if args.servers > 1 else [args.port]
    robots_port = args.port + 9
    for port in [args.port, *ports, robots_port]:
        if not port_free(port):
            sys.exit(f"port {port} is in use: stop what listens there, or pass --port")
    env = server_env(args, port=robots_port)
    if args.servers > 1:
        # Sessions stay in the database; the cache (rendered notices, versions) is shared.
        env["CACHE_URL"] = f"redis://127.0.0.1:6379/{args.redis_db}"
        env["TRUSTED_PROXY_COUNT"] = "1"
        # The background jobs' broker: the same Redis, another database; a Celery worker sends.
        env["CELERY_BROKER_URL"] = f"redis://127.0.0.1:6379/{args.redis_db + 1}"
    print("preparing the database and demo data …", flush=True)
    prepare(env)
    robots = RobotStandIn(robots_port)
    started_processes = []
    log = open(ROOT / ".load-server.log", "w")
    try:
        for port in ports:  # one after the other: the second's migrate finds nothing to do
            started_processes.append(serve(env, port=port, workers=args.workers, threads=args.threads, log=log))
            wait_healthy(f"http://127.0.0.1:{port}")
        if args.servers > 1:
            started_processes.append(
                subprocess.Popen(
                    [str(PY), __file__, "--proxy", str(args.port), "--backends", ",".join(map(str, ports))],
                    cwd=ROOT,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
            wait_healthy(f"http://127.0.0.1:{args.port}", seconds=20)
        base = f"http://127.0.0.1:{args.port}"
        restarts = [("PostgreSQL", args.seconds / 2, pg_restart)]
        if args.servers > 1:
            restarts = [("PostgreSQL", args.seconds / 3, pg_restart), ("Redis", 2 * args.seconds / 3, redis_restart)]
        if args.no_restarts:
            restarts = []
        stop_file = ROOT / ".load-deliver-stop"
        stop_file.unlink(missing_ok=True)
        deliver_env = {**env, "LOAD_DELIVER_STOP": str(stop_file)}
        if args.servers > 1:
            run(str(PY), "-c", f"import redis; redis.Redis(db={args.redis_db + 1}).flushdb()")
            started_processes.append(
                subprocess.Popen(
                    [str(PY), "-m", "celery", "-A", "supervision", "worker", "--pool", "solo", "-l", "warning"],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
            deliver_env["LOAD_DELIVER_VIA"] = "celery"
        runner = subprocess.Popen(
            [str(PY), "manage.py", "shell", "-c", DELIVER],
            cwd=ROOT,
            env=deliver_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        started_processes.append(runner)
        print(
            f"load: {args.users} users for {args.seconds} s on {len(ports)} server(s) "
            + ", ".join(f"{name} restarted at {at:.0f} s" for name, at, _restart in restarts),
            flush=True,
        )
        stats = asyncio.run(main_async(args, base, restarts))
        elapsed = time.monotonic() - stats.started
        health_after = healthz(base, timeout=5)
        # The runner sends what the load's last reviews wrote and stops by itself; then the daily
        # run, which also writes the notices of reviews lost after their commit, and sends them.
        stop_file.touch()
        runner_out = runner.communicate(timeout=120)[0].strip().splitlines()
        stop_file.unlink()
        final = run(str(PY), "manage.py", "send_notifications", "--collect", env=env, check=False)
    finally:
        for process in reversed(started_processes):
            stop(process)
        robots.close()
    lat = [x * 1000 for x in stats.latencies]
    inside, outside = errors_by_window(stats.errors, stats.windows)
    print(f"requests: {stats.requests} in {elapsed:.1f} s = {stats.requests / elapsed:.1f} requests/s")
    print(f"latency ms: p50 {percentile(lat, 50):.0f}  p95 {percentile(lat, 95):.0f}  p99 {percentile(lat, 99):.0f}")
    for name, (start, end) in stats.windows.items():
        kinds = Counter(error.rsplit(": ", 1)[-1] for _at, error in inside[name])
        print(
            f"{name} restart took {end - start:.1f} s; errors during it (and {WINDOW_AFTER:.0f} s after): "
            f"{len(inside[name])} {dict(kinds)}"
        )
    print(f"errors outside the restarts: {len(outside)}")
    for _at, error in outside[:10]:
        print("  ", error)
    check = run(
        str(PY),
        "manage.py",
        "shell",
        "-c",
        VERIFY,
        env=env,
        check=False,
        stdin=json.dumps({"reports": sorted(stats.reports_ok), "reviews": sorted(stats.reviews_ok)}),
    )
    try:
        found = json.loads(check.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        sys.exit(f"the stored data could not be read: {check.stderr.strip()[-2000:]}")
    counts = stored_once({key for key, _pk, _user in stats.reports_ok}, found["stored"])
    print(
        "reports the server acknowledged with success, found in the database:",
        json.dumps({**counts, "reports_in_database": found["reports_in_database"]}),
    )
    problems = deliveries_check(
        messages=[tuple(m) for m in found["messages"]],
        accepted=robots.accepted,
        reviews_ok=stats.reviews_ok,
        expected=found["expected"],
    )
    statuses = Counter(status for _id, _channel, status, _token in found["messages"])
    print(
        f"reviews acknowledged: {len(stats.reviews_ok)}; robot messages: {len(found['messages'])} {dict(statuses)}; "
        f"payloads accepted by the stand-in: {sum(robots.accepted.values())}, refused: {len(robots.refused)}; "
        f"not told exactly once: {len(problems)}"
    )
    for problem in problems[:10]:
        print("  ", problem)
    print(
        "delivery runner:",
        runner_out[-1] if runner_out else "(nothing)",
        "; the daily run after it:",
        " ".join(final.stdout.split()),
    )
    print(f"health after the run: {health_after} (the servers were not restarted)")
    failures = verdict(stats.errors, inside, outside, counts, problems, health_after)
    for failure in failures:
        print("FAILED:", failure)
    return 1 if failures else 0


# --- throughput: open-loop arrivals at rising rates -----------------------------------------------------


def arrivals(rate: float, seconds: float, seed: int) -> list[float]:
    """Poisson arrivals at `rate` per second for `seconds`: offsets from the start."""
    rng = random.Random(seed)
    offsets, at = [], rng.expovariate(rate)
    while at < seconds:
        offsets.append(at)
        at += rng.expovariate(rate)
    return offsets


def rate_schedule(text: str) -> list[int]:
    """ "50,100,150" → [50, 100, 150]: positive, rising."""
    rates = [int(part) for part in text.split(",") if part.strip()]
    if not rates or any(rate <= 0 for rate in rates) or rates != sorted(set(rates)):
        raise ValueError(f"rates must be positive and rising: {text!r}")
    return rates


def best_rate(steps: list[dict], *, p95_ms: float = 100.0) -> int | None:
    """The highest rate at which p95 stayed within `p95_ms` and nothing failed, below the first
    rate that did not: a rate passed after a failure does not count."""
    best = None
    for step in steps:
        if step["failed"] or not step["p95"] <= p95_ms:
            break
        best = step["rate"]
    return best


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()  # fields from the 3rd (state) on


def cpu_seconds(*, process_group: int | None = None, database: str | None = None) -> dict[int, float]:
    """CPU seconds so far of each process in `process_group` (with the children it reaped: a
    recycled gunicorn worker's time) or of each PostgreSQL backend serving `database`."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        fields = _stat(entry)
        if fields is None:
            continue
        if process_group is not None:
            if int(fields[2]) != process_group:
                continue
        else:
            try:
                title = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").split()
            except OSError:
                continue
            if not title or not title[0].startswith(b"postgres:") or database.encode() not in title:
                continue
        found[int(entry)] = sum(int(value) for value in fields[11:15]) / CLOCK_TICKS
    return found


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def own_cpu() -> float:
    times = os.times()
    return times.user + times.system


@dataclass
class Session:
    client: Client
    token: str
    assignments: list[str]  # open to a report
    plans: list[str]


async def session_open(base: str, username: str) -> Session:
    client = Client(base, timeout=10, connections=200)
    await login(client, username)
    plans = []  # the published ones: a draft has no dashboard
    for pk in sorted(set(re.findall(r'href="/plans/(\d+)/"', (await client.get("/plans/")).text)))[:8]:
        if (await client.get(f"/plans/{pk}/dashboard/")).status_code == 200:
            plans.append(pk)
    portal = await client.get("/my/")
    ids = sorted(set(re.findall(r'href="/assignments/(\d+)/"', portal.text)))[:6] if portal.status_code == 200 else []
    assignments, token = [], CSRF.search(portal.text)
    for pk in ids:
        page = (await client.get(f"/assignments/{pk}/")).text
        if f"/assignments/{pk}/report/" in page:
            assignments.append(pk)
        token = token or CSRF.search(page)
    if token is None:
        token = CSRF.search((await client.get("/accounts/password_change/")).text)
    return Session(client, token.group(1) if token else "", assignments, plans or ["1"])


# The mix, per request: a county user's portal, an assignment, a report with a PDF; staff's
# plan list, a plan, its dashboard, the county list.
MIX = [
    ("portal", 0.25),
    ("assignment", 0.20),
    ("report", 0.10),
    ("plans", 0.10),
    ("plan", 0.15),
    ("dashboard", 0.12),
    ("counties", 0.08),
]


def request_for(kind: str, rng: random.Random, counties: list[Session], staff: list[Session]):
    """(session, method, url, keyword arguments) of one request of `kind`."""
    if kind in ("portal", "assignment", "report"):
        session = rng.choice(counties)
        if kind == "portal" or not session.assignments:
            return session, "GET", "/my/", {}
        pk = rng.choice(session.assignments)
        if kind == "assignment":
            return session, "GET", f"/assignments/{pk}/", {}
        key = str(uuid.UUID(int=rng.getrandbits(128)))
        data = {
            "progress": "in_progress",
            "text": f"{SWEEP_REPORT_TEXT}{key}",
            "submission_key": key,
            "csrfmiddlewaretoken": session.token,
        }
        files = {"files": ("evidence.pdf", PDF, "application/pdf")}
        return session, "POST", f"/assignments/{pk}/report/", {"data": data, "files": files}
    session = rng.choice(staff)
    pk = rng.choice(session.plans)
    url = {"plans": "/plans/", "plan": f"/plans/{pk}/", "dashboard": f"/plans/{pk}/dashboard/"}.get(kind, "/counties/")
    return session, "GET", url, {}


async def open_loop(rate: int, seconds: float, seed: int, counties, staff) -> dict:
    rng = random.Random(seed)
    kinds, weights = zip(*MIX, strict=True)
    results: list[tuple[float, int | str]] = []
    lags: list[float] = []
    loop = asyncio.get_running_loop()

    async def one(at: float, session, method, url, kwargs):
        lags.append(loop.time() - at)
        try:
            response = await session.client.request(method, url, **kwargs)
            outcome = response.status_code
        except HTTPError as exc:
            outcome = str(exc)
        results.append((loop.time() - at, outcome))

    start = loop.time()
    tasks = []
    for offset in arrivals(rate, seconds, seed):
        delay = start + offset - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        session, method, url, kwargs = request_for(rng.choices(kinds, weights)[0], rng, counties, staff)
        tasks.append(asyncio.create_task(one(start + offset, session, method, url, kwargs)))
    await asyncio.gather(*tasks)
    elapsed = loop.time() - start
    latencies = [seconds_ * 1000 for seconds_, _outcome in results]
    failed = Counter(str(outcome) for _s, outcome in results if not (isinstance(outcome, int) and outcome < 400))
    return {
        "rate": rate,
        "requests": len(results),
        "achieved": len(results) / elapsed,
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "p99": percentile(latencies, 99),
        "failed": sum(failed.values()),
        "failures": dict(failed),
        "lag_p95": percentile([lag * 1000 for lag in lags], 95),
        "elapsed": elapsed,
    }


async def sweep(args, base: str, server_group: int) -> list[dict]:
    county_names = [f"load-county-{n}" for n in range(args.users)]
    counties = await limited([session_open(base, name) for name in county_names])
    staff = await limited([session_open(base, name) for name in ("staff", "reviewer", "viewer")])
    counties = [session for session in counties if session.assignments] or counties
    steps = []
    for n, rate in enumerate(rate_schedule(args.rates)):
        await asyncio.sleep(2)  # the previous step's stragglers are done
        load_before = os.getloadavg()
        gunicorn_before = cpu_seconds(process_group=server_group)
        postgres_before = cpu_seconds(database=args.database)
        client_before = own_cpu()
        step = await open_loop(rate, args.step_seconds, args.seed + n, counties, staff)
        seconds = step["elapsed"]
        step["cpu_gunicorn"] = 100 * cpu_used(gunicorn_before, cpu_seconds(process_group=server_group)) / seconds
        step["cpu_postgres"] = 100 * cpu_used(postgres_before, cpu_seconds(database=args.database)) / seconds
        step["cpu_client"] = 100 * (own_cpu() - client_before) / seconds
        step["load"] = (load_before, os.getloadavg())
        # The server's CPU per request (gunicorn and PostgreSQL): the figure the machine's load
        # disturbs least, and what a quiet machine's cores would divide.
        step["cpu_ms"] = 10 * (step["cpu_gunicorn"] + step["cpu_postgres"]) * seconds / max(step["requests"], 1)
        steps.append(step)
        print(
            f"{rate:>4}/s: {step['requests']:>5} requests, achieved {step['achieved']:6.1f}/s; ms p50 {step['p50']:5.0f}"
            f" p95 {step['p95']:5.0f} p99 {step['p99']:5.0f}; failed {step['failed']} {step['failures'] or ''};"
            f" CPU gunicorn {step['cpu_gunicorn']:3.0f}% postgres {step['cpu_postgres']:3.0f}%"
            f" client {step['cpu_client']:3.0f}% (client lag p95 {step['lag_p95']:.0f} ms);"
            f" server CPU {step['cpu_ms']:.0f} ms per request;"
            f" load average {load_before[0]:.2f} → {step['load'][1][0]:.2f}",
            flush=True,
        )
        if step["p95"] > 2000 or step["failed"] > step["requests"] / 10:
            break  # past saturation: higher rates say nothing more
    for session in [*counties, *staff]:
        await session.client.aclose()
    return steps


SWEEP_REPORT_TEXT = "负载测试报告 "
DELETE_SWEEP_REPORTS = f"""
from tracking.models import EvidenceFile, ProgressReport
sent = ProgressReport.objects.filter(text__startswith={SWEEP_REPORT_TEXT!r})
files = EvidenceFile.objects.filter(report__in=sent)
for evidence in files:
    evidence.file.delete(save=False)
files.delete()
sent.delete()
"""


def throughput_main(args) -> int:
    if not port_free(args.port):
        sys.exit(f"port {args.port} is in use: stop what listens there, or pass --port")
    env = server_env(args, port=args.port + 9)
    rate_schedule(args.rates)  # refused before anything starts
    if not args.keep_database:
        print("preparing the database and demo data …", flush=True)
        prepare(env)
    else:
        # The reports an earlier sweep sent go: each lengthened the pages of the assignments the
        # sweeps visit, and runs on a kept database drifted apart.
        run(str(PY), "manage.py", "shell", "-c", DELETE_SWEEP_REPORTS, env=env)
    log = open(ROOT / ".load-server.log", "w")
    server = serve(env, port=args.port, workers=args.workers, threads=args.threads, log=log)
    try:
        base = f"http://127.0.0.1:{args.port}"
        wait_healthy(base)
        print(
            f"throughput: make serve WORKERS={args.workers} THREADS={args.threads} on {os.cpu_count()} cores,"
            f" {args.step_seconds} s per rate, {args.users} county users and 3 staff; uptime load average"
            f" {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
            flush=True,
        )
        steps = asyncio.run(sweep(args, base, server.pid))
    finally:
        stop(server)
    best = best_rate(steps)
    done = [step for step in steps if step["requests"]]
    if done:
        cpu_ms = statistics.median(step["cpu_ms"] for step in done)
        print(
            f"server CPU per request (median of the rates): {cpu_ms:.1f} ms: {os.cpu_count()} cores kept busy by"
            f" the server alone would serve at most {1000 * os.cpu_count() / cpu_ms:.0f} requests/s"
        )
    print(
        "highest rate with p95 ≤ 100 ms and nothing failed:",
        f"{best} requests/s" if best else "none of those tried",
    )
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=40)
    parser.add_argument("--users", type=int, default=12)
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)  # make serve's defaults
    parser.add_argument("--servers", type=int, default=1, choices=[1, 2])
    parser.add_argument("--redis-db", type=int, default=9)
    parser.add_argument("--database", default="supervision_load")
    parser.add_argument("--rates", help="throughput mode: rates per second, e.g. 50,100,150,200")
    parser.add_argument("--step-seconds", type=float, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep-database", action="store_true", help="throughput: reuse the prepared database")
    parser.add_argument(
        "--no-restarts", action="store_true", help="the load and its checks without restarting anything (a dry run)"
    )
    parser.add_argument("--proxy", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--backends", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.proxy:
        proxy_main(args.proxy, [int(port) for port in args.backends.split(",")])
        return
    sys.exit(throughput_main(args) if args.rates else restarts_main(args))


if __name__ == "__main__":
    main()
