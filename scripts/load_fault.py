"""Load and a database restart: does the production server keep its promises?

Starts the production server (gunicorn, as `make serve` does) on 127.0.0.1 over a fresh
PostgreSQL database with the demo data, runs a bounded mixed load — county users reading their
portal and reporting with a small PDF, staff reading dashboards, the plan list and plans, and
saving a plan — and restarts PostgreSQL once in the middle. It prints requests/s, p50/p95/p99
latency, the errors during the restart, and checks that every report the server acknowledged
with success is in the database exactly once (a report retried after a failure carries the
same submission key, so a retry never duplicates it), and that the server recovered by itself.

    .venv/bin/python scripts/load_fault.py [--seconds 40] [--users 12] [--port 8791]

It exits non-zero on any 500 (a lost database must answer 503), any error outside the restart, a
report acknowledged but missing or stored twice, or a server that did not recover.

Loopback only; fixed duration and request count; it stops by itself. Needs root (or a sudo that
can run pg_ctlcluster) for the restart, like `make test` does to start PostgreSQL.
"""

import argparse
import asyncio
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PY = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PASSWORD = "demo-pass-2026"
MAX_REQUESTS = 20_000
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    errors: list[tuple[float, str]] = field(default_factory=list)
    requests: int = 0
    reports_ok: set = field(default_factory=set)
    restart_window: tuple[float, float] = (0.0, 0.0)


def run(*args, env=None, check=True):
    return subprocess.run(args, cwd=ROOT, env=env, check=check, capture_output=True, text=True)


def pg_restart():
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"]
    if os.geteuid() != 0:
        command = ["sudo", "-n", *command]
    return subprocess.run(command, capture_output=True, text=True)


def prepare(env) -> None:
    db = env["DATABASE_URL"].rsplit("/", 1)[1]
    run("dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", db)
    run("createdb", "-h", "127.0.0.1", "-U", "postgres", db)
    run(str(PY), "manage.py", "migrate", "--noinput", "-v0", env=env)
    run(str(PY), "manage.py", "setup_demo", env=env)
    run(str(PY), "manage.py", "collectstatic", "--noinput", "-v0", env=env)
    # More county users: one for every county the 郑州 office's plans send work to.
    run(
        str(PY),
        "manage.py",
        "shell",
        "-c",
        (
            "from django.contrib.auth import get_user_model\n"
            "from plans.models import Assignment, Membership, Office\n"
            "User = get_user_model()\n"
            "for n, county_id in enumerate(Assignment.objects.values_list('county_id', flat=True).distinct().order_by('county_id')[:40]):\n"
            "    office, _ = Office.objects.get_or_create(name=f'load-county-office-{county_id}', defaults={'level': 'county', 'county_id': county_id})\n"
            "    user, _ = User.objects.get_or_create(username=f'load-county-{n}')\n"
            f"    user.set_password('{PASSWORD}'); user.save()\n"
            "    Membership.objects.get_or_create(user=user, office=office, defaults={'role': 'county'})\n"
        ),
        env=env,
    )


async def login(client: httpx.AsyncClient, username: str) -> None:
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
    except httpx.HTTPError as exc:
        stats.errors.append((time.monotonic(), f"{method} {url}: {type(exc).__name__}"))
        return None
    stats.latencies.append(time.perf_counter() - start)
    if response.status_code >= 500:
        stats.errors.append((time.monotonic(), f"{method} {url}: {response.status_code}"))
    return response


async def county_user(stats: Stats, client: httpx.AsyncClient, deadline: float):
    try:
        pending_key = None  # a report not yet acknowledged: sent again with the same key
        while time.monotonic() < deadline and stats.requests < MAX_REQUESTS:
            portal = await timed(stats, client, "GET", "/my/")
            if portal is None or portal.status_code != 200:
                await asyncio.sleep(0.2)
                continue
            ids = re.findall(r'href="/assignments/(\d+)/"', portal.text)
            if not ids:
                await asyncio.sleep(0.5)
                continue
            pk = random.choice(ids)
            detail = await timed(stats, client, "GET", f"/assignments/{pk}/")
            if detail is None or detail.status_code != 200 or f"/assignments/{pk}/report/" not in detail.text:
                continue
            token = CSRF.search(detail.text)
            if not token:
                continue
            key = pending_key or str(uuid.uuid4())
            response = await timed(
                stats,
                client,
                "POST",
                f"/assignments/{pk}/report/",
                data={
                    "progress": "in_progress",
                    "text": "负载测试报告",
                    "submission_key": key,
                    "csrfmiddlewaretoken": token.group(1),
                },
                files={"files": ("evidence.pdf", PDF, "application/pdf")},
            )
            if response is not None and response.status_code == 302:
                stats.reports_ok.add(key)
                pending_key = None
            else:
                pending_key = key  # retried next round: at most one report for it
            await asyncio.sleep(random.uniform(0.05, 0.2))
    finally:
        await client.aclose()


async def staff_user(stats: Stats, client: httpx.AsyncClient, deadline: float):
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


async def restarter(stats: Stats, at: float):
    await asyncio.sleep(at)
    start = time.monotonic()
    result = await asyncio.to_thread(pg_restart)
    stats.restart_window = (start, time.monotonic())
    if result.returncode:
        print("restart failed:", result.stderr.strip(), file=sys.stderr)


async def signed_in(base: str, username: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base, timeout=15, follow_redirects=False)
    await login(client, username)
    return client


async def main_async(args, base) -> Stats:
    stats = Stats()
    # Everyone signs in before the clock starts: the load is the work, not the logins.
    counties = await asyncio.gather(*[signed_in(base, f"load-county-{n}") for n in range(args.users - 2)])
    staff = await asyncio.gather(signed_in(base, "reviewer"), signed_in(base, "staff"))
    deadline = time.monotonic() + args.seconds
    tasks = [county_user(stats, client, deadline) for client in counties]
    tasks += [staff_user(stats, client, deadline) for client in staff]
    tasks.append(restarter(stats, args.seconds / 2))
    await asyncio.gather(*tasks)
    return stats


# Reads the acknowledged submission keys on stdin; every one must be in the database once.
VERIFY = """
import json, sys
from tracking.models import ProgressReport
keys = json.load(sys.stdin)
found = {str(k): 0 for k in keys}
for key in ProgressReport.objects.filter(submission_key__in=keys).values_list("submission_key", flat=True):
    found[str(key)] += 1
print(json.dumps({"acknowledged": len(keys), "missing": sum(n == 0 for n in found.values()),
                  "duplicated": sum(n > 1 for n in found.values()),
                  "reports_in_database": ProgressReport.objects.count()}))
"""


def percentile(values, q):
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=40)
    parser.add_argument("--users", type=int, default=12)
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/supervision_load",
        "SECRET_KEY": "load-test-" + uuid.uuid4().hex,
        "DEBUG": "0",
        "STATIC_MANIFEST": "1",
        # Plain http on loopback: the cookies cannot be Secure here.
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "MEDIA_ROOT": str(ROOT / ".load-media"),
        "LOG_LEVEL": "WARNING",
    }
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", args.port)) == 0:
            sys.exit(f"port {args.port} is in use: stop what listens there, or pass --port")
    print("preparing the database and demo data …", flush=True)
    prepare(env)
    base = f"http://127.0.0.1:{args.port}"
    server_log = open(ROOT / ".load-server.log", "w")
    server = subprocess.Popen(
        [
            str(GUNICORN),
            "supervision.wsgi:application",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--timeout",
            "30",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=server_log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for _ in range(60):
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        print(
            f"load: {args.users} users for {args.seconds} s, PostgreSQL restarted at {args.seconds // 2} s", flush=True
        )
        started = time.monotonic()
        stats = asyncio.run(main_async(args, base))
        elapsed = time.monotonic() - started
        health_after = httpx.get(f"{base}/healthz", timeout=5).status_code
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    lat = [x * 1000 for x in stats.latencies]
    window_start, window_end = stats.restart_window
    during = [e for e in stats.errors if window_start - 1 <= e[0] <= window_end + 10]
    statuses = {}
    for _at, error in during:
        kind = error.rsplit(": ", 1)[-1]
        statuses[kind] = statuses.get(kind, 0) + 1
    print(f"requests: {stats.requests} in {elapsed:.1f} s = {stats.requests / elapsed:.1f} requests/s")
    print(f"latency ms: p50 {percentile(lat, 50):.0f}  p95 {percentile(lat, 95):.0f}  p99 {percentile(lat, 99):.0f}")
    print(
        f"restart took {window_end - window_start:.1f} s; errors during it (and 10 s after): {len(during)} "
        f"{statuses}; other errors: {len(stats.errors) - len(during)}"
    )
    for _at, error in [e for e in stats.errors if e not in during][:10]:
        print("  ", error)
    check = subprocess.run(
        [str(PY), "manage.py", "shell", "-c", VERIFY],
        cwd=ROOT,
        env=env,
        input=json.dumps(sorted(stats.reports_ok)),
        capture_output=True,
        text=True,
    )
    result = (check.stdout.strip().splitlines() or [check.stderr.strip()])[-1]
    print("reports the server acknowledged with success, found in the database:", result)
    print(f"health after the run: {health_after} (the server was not restarted)")
    failures = verdict(stats.errors, during, result, health_after)
    for failure in failures:
        print("FAILED:", failure)
    sys.exit(1 if failures else 0)


def verdict(errors, during, result: str, health_after: int) -> list[str]:
    """What breaks the server's promises: any 500 (a traceback, an error mail to ADMINS — a lost
    database answers 503), any error outside the restart, a report acknowledged but not stored
    exactly once, a server that did not recover."""
    failures = []
    server_errors = [error for _at, error in errors if error.endswith(": 500")]
    if server_errors:
        failures.append(f"{len(server_errors)} answered 500, e.g. {server_errors[0]}")
    outside = [error for error in errors if error not in during]
    if outside:
        failures.append(f"{len(outside)} errors outside the restart, e.g. {outside[0][1]}")
    try:
        counts = json.loads(result)
    except ValueError:
        failures.append(f"the stored reports could not be checked: {result}")
    else:
        if counts["missing"] or counts["duplicated"]:
            failures.append(f"acknowledged reports missing or stored twice: {result}")
    if health_after != 200:
        failures.append(f"health after the run: {health_after}")
    return failures


if __name__ == "__main__":
    main()
