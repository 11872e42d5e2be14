"""Where a request's CPU goes: the load script's mix, in one process, request type by request type.

Calls the production WSGI application (supervision.wsgi, DEBUG=0, STATIC_MANIFEST=1, the cache
on Redis as `make serve` is advised to run, the request log at INFO into /dev/null) as a
signed-in county user and a signed-in staff user, over the database `scripts/load_fault.py
--rates` prepares (the demo data and its load-county-N users), and prints per request type of
its mix the median of this process's CPU time (`time.process_time()`), the CPU of the
PostgreSQL backend serving it (from /proc, so run it on the database's machine), and the
queries made:

    .venv/bin/python scripts/load_fault.py --rates 20 --step-seconds 5 --database sv_load  # once: the data
    .venv/bin/python scripts/bench_requests.py --database sv_load [--repeat 60] [--cache-url redis://127.0.0.1:6379/13]
    .venv/bin/python scripts/bench_requests.py --database sv_load --profile dashboard  # where its CPU goes

With `--profile KIND`, that request type runs under cProfile and its CPU is split by the code
that spent it (own time per module group: templates, the ORM and psycopg, sessions, auth and
rules, axes, CSP, WhiteNoise, logging, the URL resolver, the app's own code) and the functions
with the most own time are listed.

The figures are CPU, not wall-clock, time: they move much less with the machine's load than
latencies do, but a busy machine (shared caches) still raises them by a fifth or so: compare
two versions back to back. The mix's weighted sum is the server's CPU per request the load
script measures (gunicorn and PostgreSQL), less gunicorn's own work (HTTP, threads). The
reports are sent by another county user (--reporter) than the one whose pages are read, and
deleted when the script ends, so that the pages measured stay the same from run to run.
"""

import argparse
import cProfile
import io
import os
import pstats
import re
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "demo-pass-2026"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The load script's mix (scripts/load_fault.py, MIX).
MIX = {
    "portal": 0.25,
    "assignment": 0.20,
    "report": 0.10,
    "plans": 0.10,
    "plan": 0.15,
    "dashboard": 0.12,
    "counties": 0.08,
}
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# The reports this script sends say so; they are deleted when it ends, so that the next run
# measures the same data.
REPORT_TEXT = "bench_requests 报告"

# Own time under cProfile by where the code lives: the first pattern that matches the file wins.
GROUPS = [
    ("templates", ("django/template/", "django/templatetags/", "/templatetags/", "django/utils/html.py")),
    ("sessions", ("django/contrib/sessions/", "django/core/signing.py")),
    ("auth + rules", ("django/contrib/auth/", "/rules/", "organisation/access.py", "/permissions.py")),
    ("axes", ("/axes/",)),
    ("csp", ("/csp/",)),
    ("whitenoise", ("/whitenoise/",)),
    ("logging", ("/logging/", "pythonjsonlogger", "json/")),
    ("url resolver", ("django/urls/",)),
    ("forms", ("django/forms/",)),
    ("i18n", ("django/utils/translation/", "gettext.py", "django/middleware/locale.py")),
    ("queries (ORM)", ("django/db/models/",)),
    ("queries (driver)", ("django/db/backends/", "/psycopg/", "/psycopg_pool/", "django/db/utils.py")),
    ("cache (redis)", ("/redis/", "django/core/cache/", "supervision/cache.py")),
    ("request/response", ("django/http/", "django/core/handlers/", "django/middleware/", "/multipart")),
    ("files", ("django/core/files/", "hashlib", "/magic/", "pypdf", "tracking/evidence")),
    ("app", ("/plans/", "/tracking/", "/organisation/", "/inspections/", "/supervision/", "/notifications/")),
]


def configure(args) -> None:
    """The environment `make serve` runs in (scripts/load_fault.py, server_env)."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "supervision.settings",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{args.database}",
            "SECRET_KEY": "load-test-secret-" + args.database,
            "DEBUG": "0",
            "STATIC_MANIFEST": "1",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "MEDIA_ROOT": str(ROOT / ".load-media"),
            "LOG_LEVEL": args.log_level,
            "EMAIL_URL": "dummymail://",
        }
    )
    if args.cache_url:
        os.environ["CACHE_URL"] = args.cache_url
    else:
        os.environ.pop("CACHE_URL", None)


class Browser:
    """One signed-in user's cookies, calling the WSGI application as gunicorn would."""

    def __init__(self, application):
        self.application = application
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, *, data: dict | None = None, files=None) -> tuple[int, bytes]:
        from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

        path, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SCRIPT_NAME": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1:8000",
            "HTTP_USER_AGENT": "bench_requests",
            "HTTP_ACCEPT_ENCODING": "gzip, deflate",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        if self.cookies:
            environ["HTTP_COOKIE"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = b""
        if method == "POST":
            if files:
                body = encode_multipart(BOUNDARY, {**(data or {}), **files})
                environ["CONTENT_TYPE"] = MULTIPART_CONTENT
            else:
                body = urlencode(data or {}).encode()
                environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
            environ["HTTP_ORIGIN"] = "http://127.0.0.1:8000"
            environ["HTTP_REFERER"] = "http://127.0.0.1:8000" + path
        environ["CONTENT_LENGTH"] = str(len(body))
        environ["wsgi.input"] = io.BytesIO(body)
        answer = {}

        def start_response(status, headers, exc_info=None):
            answer["status"] = int(status.split()[0])
            answer["headers"] = headers

        result = self.application(environ, start_response)
        try:
            content = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        for name, value in answer["headers"]:
            if name.lower() == "set-cookie":
                cookie, _, _ = value.partition(";")
                key, _, cookie_value = cookie.partition("=")
                if cookie_value.strip('"'):
                    self.cookies[key] = cookie_value
                else:
                    self.cookies.pop(key, None)
        return answer["status"], content

    def sign_in(self, username: str) -> None:
        status, page = self.request("GET", "/accounts/login/")
        token = CSRF.search(page.decode()).group(1)
        status, _ = self.request(
            "POST",
            "/accounts/login/",
            data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token, "next": "/"},
        )
        if status != 302:
            sys.exit(f"{username} could not sign in ({status}): was the database prepared by load_fault.py?")


def backend_cpu() -> float:
    """CPU seconds so far of the PostgreSQL backend serving this process's connection."""
    from django.db import connection

    pid = connection.connection.info.backend_pid
    text = Path(f"/proc/{pid}/stat").read_text()
    fields = text[text.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def open_assignment(county: "Browser") -> tuple[str, str]:
    """An assignment the county user may report on, and the CSRF token of its page."""
    _, portal = county.request("GET", "/my/")
    for pk in sorted(set(re.findall(r'href="/assignments/(\d+)/"', portal.decode())), key=int):
        _, page = county.request("GET", f"/assignments/{pk}/")
        if f"/assignments/{pk}/report/".encode() in page:
            return pk, CSRF.search(page.decode()).group(1)
    sys.exit("the county user has no assignment open to a report")


def requests_of_mix(county: "Browser", reporter: "Browser", staff: "Browser") -> dict:
    """Per request type, a function making one such request (and checking its answer). The
    reports go to another county user's assignment, so that the pages measured do not grow
    with them."""
    viewed, _ = open_assignment(county)
    assignment, token = open_assignment(reporter)
    _, plans = staff.request("GET", "/plans/")
    plan = next(
        pk
        for pk in sorted(set(re.findall(r'href="/plans/(\d+)/"', plans.decode())), key=int)
        if staff.request("GET", f"/plans/{pk}/dashboard/")[0] == 200
    )
    numbers = iter(range(10**9))

    def report():
        from django.core.files.uploadedfile import SimpleUploadedFile

        key = f"00000000-0000-4000-8000-{os.getpid() % 10**6:06d}{next(numbers):06d}"
        return reporter.request(
            "POST",
            f"/assignments/{assignment}/report/",
            data={
                "progress": "in_progress",
                "text": f"{REPORT_TEXT} {key}",
                "submission_key": key,
                "csrfmiddlewaretoken": token,
            },
            files={"files": SimpleUploadedFile("evidence.pdf", PDF, "application/pdf")},
        )

    return {
        "portal": (lambda: county.request("GET", "/my/"), 200),
        "assignment": (lambda: county.request("GET", f"/assignments/{viewed}/"), 200),
        "report": (report, 302),
        "plans": (lambda: staff.request("GET", "/plans/"), 200),
        "plan": (lambda: staff.request("GET", f"/plans/{plan}/"), 200),
        "dashboard": (lambda: staff.request("GET", f"/plans/{plan}/dashboard/"), 200),
        "counties": (lambda: staff.request("GET", "/counties/"), 200),
    }


def measure(kinds: dict, *, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    results = {}
    for kind, (call, expected) in kinds.items():
        for _ in range(3):  # warm: templates compiled, connections open
            status, _ = call()
            if status != expected:
                sys.exit(f"{kind}: {status}, expected {expected}")
        cpu, queries = [], []
        pg_before = backend_cpu()
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                start = time.process_time()
                call()
                cpu.append(time.process_time() - start)
            queries.append(len(captured.captured_queries))
        results[kind] = {
            "cpu_ms": 1000 * statistics.median(cpu),
            "pg_ms": 1000 * (backend_cpu() - pg_before) / repeat,
            "queries": statistics.median(queries),
        }
    return results


def group_of(filename: str) -> str | None:
    for name, patterns in GROUPS:
        if any(pattern in filename for pattern in patterns):
            return name
    return None


def shares(table: dict, function, depth: int = 0) -> dict[str, float]:
    """{group: share} of a function's own time: its file's group, or for built-ins and the
    standard library (getattr, isinstance, inspect, …) its callers' groups, by the time each
    caller spent in it."""
    name = group_of(function[0])
    if name is not None or depth > 6 or function not in table:
        return {name or "other": 1.0}
    callers = table[function][4]
    spent = sum(entry[2] for entry in callers.values())
    if not spent:
        return {"other": 1.0}
    result = defaultdict(float)
    for caller, entry in callers.items():
        if caller == function:
            continue
        for group, share in shares(table, caller, depth + 1).items():
            result[group] += share * entry[2] / spent
    return result or {"other": 1.0}


def profile(kinds: dict, kind: str, *, repeat: int, out) -> None:
    call, _expected = kinds[kind]
    for _ in range(3):
        call()
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(repeat):
        call()
    profiler.disable()
    stats = pstats.Stats(profiler)
    by_group = defaultdict(float)
    total = 0.0
    for function, (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        for name, share in shares(stats.stats, function).items():
            by_group[name] += tottime * share
        total += tottime
    print(f"{kind}: {1000 * total / repeat:.1f} ms of CPU a request under cProfile, own time by group:", file=out)
    for name, seconds in sorted(by_group.items(), key=lambda item: -item[1]):
        print(f"  {name:<18} {1000 * seconds / repeat:6.2f} ms  {100 * seconds / total:4.0f} %", file=out)
    listing = io.StringIO()
    pstats.Stats(profiler, stream=listing).sort_stats("tottime").print_stats(25)
    print(listing.getvalue(), file=out)
    listing = io.StringIO()
    pstats.Stats(profiler, stream=listing).sort_stats("cumulative").print_stats(45)
    print(listing.getvalue(), file=out)


def reports_delete() -> int:
    """Delete the reports this script sent, with their files: the data stays as it was."""
    from tracking.models import EvidenceFile, ProgressReport

    sent = ProgressReport.objects.filter(text__startswith=REPORT_TEXT)
    files = EvidenceFile.objects.filter(report__in=sent)
    for evidence in files:
        evidence.file.delete(save=False)
    files.delete()  # protected: a report's files go first
    return sent.delete()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="supervision_load")
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/13", help="'' for the in-process cache")
    parser.add_argument("--log-level", default="INFO")
    parser.add_argument("--county", default="load-county-0")
    parser.add_argument("--reporter", default="load-county-1", help="the county user who sends the reports")
    parser.add_argument("--staff", default="staff")
    parser.add_argument("--path", help="also a GET of this path by the staff user (request type 'path')")
    parser.add_argument("--profile", choices=[*MIX, "path"], help="profile this request type")
    parser.add_argument("--only", help="request types to measure, e.g. portal,dashboard")
    args = parser.parse_args()
    configure(args)
    # The request log goes where gunicorn's stdout would (here /dev/null); the figures to the
    # terminal.
    out = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)

    import django

    django.setup()
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    county, reporter, staff = Browser(application), Browser(application), Browser(application)
    county.sign_in(args.county)
    reporter.sign_in(args.reporter)
    staff.sign_in(args.staff)
    kinds = requests_of_mix(county, reporter, staff)
    if args.path:
        kinds["path"] = (lambda: staff.request("GET", args.path), 200)
    try:
        if args.profile:
            profile(kinds, args.profile, repeat=args.repeat, out=out)
            return
        if args.only:
            kinds = {kind: kinds[kind] for kind in args.only.split(",")}
        results = measure(kinds, repeat=args.repeat)
    finally:
        reports_delete()
    print(f"{'request':<11} {'python CPU ms':>13} {'PostgreSQL ms':>13} {'queries':>7}", file=out)
    for kind, result in results.items():
        print(
            f"{kind:<11} {result['cpu_ms']:13.2f} {result['pg_ms']:13.2f} {result['queries']:7.0f}",
            file=out,
        )
    if set(results) == set(MIX):
        python = sum(MIX[kind] * result["cpu_ms"] for kind, result in results.items())
        database = sum(MIX[kind] * result["pg_ms"] for kind, result in results.items())
        print(
            f"the mix: {python:.2f} ms Python + {database:.2f} ms PostgreSQL = {python + database:.2f} ms of CPU a"
            f" request (load average {os.getloadavg()[0]:.2f})",
            file=out,
        )


if __name__ == "__main__":
    main()
