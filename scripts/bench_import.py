"""Benchmark the import of the five seed documents and the parser's throughput.

Run from the repository root:

    DEBUG=1 .venv/bin/python scripts/bench_import.py [--rounds 5] [--seconds 2] [--postgres]

It works on a database of its own: a temporary SQLite file, or with --postgres the
`supervision_bench` database on 127.0.0.1:5432 (created when missing), as `make bench` leaves it:
full of generated data (scripts/bench_pages.py), which the imports run beside. Between rounds
it deletes what the round imported (the plans, and the offices it created), nothing else. It
prints

(a) the time to import all five seeds through `work_plan_import`, each round from the same state
    and committed as the import commits (best and median of N rounds, against the 0.5 s target),
    with the queries of a round and where the time goes;
(b) parser throughput: `parse_text` over the five seed texts, documents per second, with a
    prebuilt gazetteer and without one;
(c) the peak memory (tracemalloc) of one import round.

With --publish N it measures instead what `import_workpoints --publish` does to N notices of the
national generator (scripts/write_notices.py): on a database made afresh for the run (a
temporary SQLite file, or with --postgres `supervision_import_bench`, dropped and created
again), holding the division table and the official calendar only, it writes the notices,
imports and publishes them through the command, and prints notices per second, the queries of
a notice and where the time goes: parse (reading and parsing), write (the plan, its source and
the plan → county index), publish (submitting and publishing: the plan's steps, the revision),
history (the parts and the assignments written in bulk with their history rows,
supervision.history, counted apart from write and publish) and other (finding the office and
earlier imports, committing, and the ANALYZE at the end). --jobs N runs the command with N
writer processes (PostgreSQL): the CPU, queries and parts then add up those of the writers and
of their server processes. --profile LINES prints a cProfile (process CPU time) of the command
(this process only).
"""

import argparse
import io
import json
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT / "fixtures" / "seeds"
TARGET_SECONDS = 0.5
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/supervision_bench"
PUBLISH_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/{database}"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="import rounds (default 5)")
    parser.add_argument("--seconds", type=float, default=2.0, help="duration of each throughput run (default 2)")
    parser.add_argument("--postgres", action="store_true", help=f"run against {POSTGRES_URL} instead of SQLite")
    parser.add_argument(
        "--publish", type=int, metavar="N", help="import and publish N generated notices instead (see above)"
    )
    parser.add_argument(
        "--profile",
        type=int,
        metavar="LINES",
        help="with --publish: run the command under cProfile (process CPU time) and print its top LINES functions",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="with --publish: import_workpoints --jobs (writer processes; PostgreSQL only)",
    )
    parser.add_argument(
        "--database",
        default="supervision_import_bench",
        help="with --publish --postgres: the database dropped and made afresh (default supervision_import_bench)",
    )
    return parser.parse_args()


def postgres_database_ensure(url: str, *, afresh: bool = False) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        dbname="postgres",
        autocommit=True,
    ) as conn:
        if afresh:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def django_setup(database_url: str) -> None:
    # The settings read DATABASE_URL when they are imported, so it is set first.
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supervision.settings")
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    django.setup()
    # DEBUG=1 only stands in for a SECRET_KEY here; with DEBUG on, Django would also log every
    # query, which production does not pay for.
    settings.DEBUG = False


def database_prepare() -> None:
    from django.core.management import call_command

    from organisation.reference import reference_data_load

    call_command("migrate", verbosity=0)
    reference_data_load()


def seeds() -> list[tuple[str, bytes]]:
    found = [(path.name, path.read_bytes()) for path in sorted(SEEDS_DIR.glob("*.txt"))]
    if len(found) != 5:
        sys.exit(f"expected five seed documents in {SEEDS_DIR}, found {len(found)}")
    return found


class ImportRounds:
    """Imports of all seeds, each round starting from the database as it was before the first:
    a round's plans and the offices it created are deleted after it, and nothing else."""

    def __init__(self, documents: list[tuple[str, bytes]]):
        from organisation.models import Office
        from plans.models import PlanSource, WorkPlan
        from plans.parsing.readers import read_document
        from plans.services.imports import text_checksum

        self.documents = documents
        checksums = [text_checksum(read_document(data, Path(name).suffix)) for name, data in documents]
        # Left by an interrupted run: an existing seed plan would turn its import into a lookup.
        WorkPlan.objects.filter(pk__in=PlanSource.objects.filter(sha256__in=checksums).values("plan_id")).delete()
        self.offices_before = set(Office.objects.values_list("pk", flat=True))
        self.last_plan = WorkPlan.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def clear(self) -> None:
        from organisation.models import Office
        from plans.models import WorkPlan

        WorkPlan.objects.filter(pk__gt=self.last_plan).delete()
        Office.objects.exclude(pk__in=self.offices_before).delete()

    def run(self) -> dict[str, float]:
        """One round: seconds per document, committed as `work_plan_import` commits."""
        times = self.imports()
        self.clear()
        return times

    def imports(self) -> dict[str, float]:
        from plans.services import work_plan_import

        times = {}
        for name, data in self.documents:
            start = time.perf_counter()
            result = work_plan_import(data=data, source_name=name)
            times[name] = time.perf_counter() - start
            if not result.created:
                sys.exit(f"{name} was not created afresh: the round did not start from empty")
        return times


def queries_of_a_round(rounds: ImportRounds) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        rounds.imports()
    rounds.clear()
    return len(context.captured_queries)


def peak_memory_of_a_round(rounds: ImportRounds) -> int:
    tracemalloc.start()
    try:
        rounds.imports()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        rounds.clear()


def median_seconds(func, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def throughput(texts: list[str], gazetteer, seconds: float) -> float:
    """Documents per second parsing `texts` in turn for about `seconds`."""
    from plans.parsing import parse_text

    for text in texts:  # warm: regexes compiled, the region's county matcher built
        parse_text(text, gazetteer)
    done, start = 0, time.perf_counter()
    while True:
        for text in texts:
            parse_text(text, gazetteer)
        done += len(texts)
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return done / elapsed


def main() -> int:
    args = arguments()
    with tempfile.TemporaryDirectory(prefix="bench_import_") as tmp:
        if args.publish and args.postgres:
            database_url = PUBLISH_POSTGRES_URL.format(database=args.database)
            postgres_database_ensure(database_url, afresh=True)
            backend = f"PostgreSQL ({args.database})"
        elif args.postgres:
            postgres_database_ensure(POSTGRES_URL)
            database_url, backend = POSTGRES_URL, "PostgreSQL (supervision_bench)"
        else:
            database_url, backend = f"sqlite:///{tmp}/bench.sqlite3", "SQLite (temporary file)"
        django_setup(database_url)
        try:
            if args.publish:
                return bench_publish(args, backend, Path(tmp) / "notices")
            return bench(args, backend)
        finally:
            from django.db import connections

            connections.close_all()


def bench(args: argparse.Namespace, backend: str) -> int:
    from plans.models import Task, WorkPlan
    from plans.parsing.text import decode
    from plans.services import gazetteer_build, gazetteer_get
    from tracking.models import Assignment

    start = time.perf_counter()
    database_prepare()
    prepared = time.perf_counter() - start
    documents = seeds()
    rounds = ImportRounds(documents)

    rounds.run()  # warm-up, not counted: imports, translations, first connection
    results = [rounds.run() for _ in range(args.rounds)]
    totals = [sum(r.values()) for r in results]
    best, median = min(totals), statistics.median(totals)
    queries = queries_of_a_round(rounds)
    peak = peak_memory_of_a_round(rounds)

    texts = [decode(data) for _, data in documents]
    gazetteer_seconds = median_seconds(gazetteer_build)
    gazetteer = gazetteer_build()
    with_gazetteer = throughput(texts, gazetteer, args.seconds)
    without_gazetteer = throughput(texts, None, args.seconds)

    sizes = {
        "plans": WorkPlan.objects.count(),
        "tasks": Task.objects.count(),
        "assignments": Assignment.objects.count(),
    }
    print(f"bench_import — {backend}; schema and reference data ready in {prepared:.2f} s")
    print(
        f"the database holds {sizes['plans']:,} plans, {sizes['tasks']:,} tasks and "
        f"{sizes['assignments']:,} assignments besides the imports"
    )
    print()
    print(f"(a) import of the five seeds, {args.rounds} rounds, each from the same state")
    print(f"    {'':<28}{'seconds':>9}{'/ target':>10}")
    print(f"    {'best':<28}{best:>9.3f}{best / TARGET_SECONDS:>10.2f}")
    print(f"    {'median':<28}{median:>9.3f}{median / TARGET_SECONDS:>10.2f}")
    print(f"    {'target':<28}{TARGET_SECONDS:>9.3f}{'1.00':>10}")
    print(f"    SQL queries per round: {queries}")
    print("    per document (median of the rounds):")
    for name, _ in documents:
        seconds = statistics.median(r[name] for r in results)
        print(f"      {name:<26}{seconds:>9.3f}")
    cached = median_seconds(gazetteer_get)
    print(
        f"    gazetteer_build takes {gazetteer_seconds:.3f} s; it is built once and kept "
        f"(gazetteer_get: {cached * 1000:.1f} ms to check it is current)"
    )
    print()
    print(f"(b) parser throughput, parse_text over the five seed texts, ~{args.seconds:g} s each")
    print(
        f"    {'with a prebuilt gazetteer':<28}{with_gazetteer:>9.0f} documents/s"
        f"  ({1000 / with_gazetteer:.2f} ms each)"
    )
    print(
        f"    {'without a gazetteer':<28}{without_gazetteer:>9.0f} documents/s"
        f"  ({1000 / without_gazetteer:.2f} ms each)"
    )
    print()
    print(f"(c) peak memory of one import round (tracemalloc): {peak / 2**20:.1f} MiB")
    results = {
        "backend": backend,
        "database": sizes,
        "rounds": args.rounds,
        "best_s": round(best, 4),
        "median_s": round(median, 4),
        "target_s": TARGET_SECONDS,
        "queries_per_round": queries,
        "gazetteer_build_s": round(gazetteer_seconds, 4),
        "gazetteer_get_ms": round(cached * 1000, 2),
        "parse_documents_per_s": round(with_gazetteer, 1),
        "peak_memory_mib": round(peak / 2**20, 1),
    }
    path = ROOT / "bench-results" / f"import-{'postgresql' if 'PostgreSQL' in backend else 'sqlite'}.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    print(f"\nwritten to {path.relative_to(ROOT)}")
    return 0


def backend_cpu_seconds(with_pid: bool = False):
    """CPU seconds of the database server process serving this connection: PostgreSQL on this
    machine only (None otherwise); with `with_pid`, (pid, seconds)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return (None, None) if with_pid else None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return (pid, None) if with_pid else None
    seconds = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return (pid, seconds) if with_pid else seconds


class Stopwatch:
    """Seconds spent in the functions it wraps, by the part they are counted in; time in a part
    nested in another counts in the inner one only."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self.stack: list[list] = []

    def wrap(self, module, name: str, part: str) -> None:
        func = getattr(module, name)

        def timed(*args, **kwargs):
            frame = [part, time.perf_counter(), 0.0]  # part, start, time of the parts inside
            self.stack.append(frame)
            try:
                return func(*args, **kwargs)
            finally:
                self.stack.pop()
                elapsed = time.perf_counter() - frame[1]
                self.seconds[part] = self.seconds.get(part, 0.0) + elapsed - frame[2]
                if self.stack:
                    self.stack[-1][2] += elapsed

        setattr(module, name, timed)


def bench_publish(args: argparse.Namespace, backend: str, out: Path) -> int:
    import subprocess

    import simple_history.utils
    from django.core.management import call_command
    from django.db import connection

    import plans.services.content
    import plans.services.imports
    import plans.services.lifecycle
    import supervision.history
    from tracking.models import Assignment

    start = time.perf_counter()
    database_prepare()
    prepared = time.perf_counter() - start
    env = {**os.environ, "DEBUG": "1"}
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "write_notices.py"), str(out), "--count", str(args.publish)],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    files = sorted(str(path) for path in out.glob("*.txt"))

    watch = Stopwatch()
    watch.wrap(plans.services.imports, "work_plan_parse", "parse")
    watch.wrap(plans.services.imports, "_write", "write")
    watch.wrap(plans.services.lifecycle, "work_plan_submit", "publish")
    watch.wrap(plans.services.lifecycle, "work_plan_publish", "publish")
    watch.wrap(plans.services.lifecycle, "work_plan_publish_imported", "publish")
    for module in (supervision.history, plans.services.content):
        watch.wrap(module, "bulk_create_with_history", "history")
    for module in (simple_history.utils, plans.services.content):
        watch.wrap(module, "bulk_update_with_history", "history")
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    # With --jobs, the writer processes are forks of this one: each reports on `reports` the
    # queries it sent, its server process's CPU and its split (the parts run there).
    import multiprocessing

    import plans.management.commands.import_workpoints as command

    reports = multiprocessing.get_context("fork").SimpleQueue()
    writer_run = command.writer_run

    def measured_writer_run(*run_args):
        before, (_pid, cpu) = queries, backend_cpu_seconds(with_pid=True)
        watch.seconds.clear()
        writer_run(*run_args)
        after = backend_cpu_seconds()
        reports.put((queries - before, after - cpu if cpu is not None else None, dict(watch.seconds)))

    command.writer_run = measured_writer_run

    refusals = io.StringIO()
    pid, server_cpu = backend_cpu_seconds(with_pid=True)
    client_cpu, children_cpu = time.process_time(), os.times()
    with connection.execute_wrapper(count), open(os.devnull, "w") as devnull:
        profile = None
        if args.profile:
            import cProfile

            profile = cProfile.Profile(time.process_time)
        start = time.perf_counter()
        try:
            if profile is not None:
                profile.enable()
            call_command(
                "import_workpoints", "--publish", "--jobs", str(args.jobs), *files, stdout=devnull, stderr=refusals
            )
        except SystemExit:
            pass  # some notice was refused: counted below
        finally:
            if profile is not None:
                profile.disable()
        total = time.perf_counter() - start
    client_cpu = time.process_time() - client_cpu
    # The writer processes, ended and waited for.
    client_cpu += sum(os.times()[2:4]) - sum(children_cpu[2:4])
    # --jobs closes this process's connection before the writers start: its new server process
    # counts whole.
    end_pid, end_cpu = backend_cpu_seconds(with_pid=True)
    if server_cpu is not None and end_cpu is not None:
        server_cpu = end_cpu - (server_cpu if end_pid == pid else 0.0)
    while not reports.empty():
        writer_queries, writer_cpu, writer_parts = reports.get()
        queries += writer_queries
        if server_cpu is not None and writer_cpu is not None:
            server_cpu += writer_cpu
        for part, seconds in writer_parts.items():
            watch.seconds[part] = watch.seconds.get(part, 0.0) + seconds
    assignments = Assignment.objects.count()
    refused = refusals.getvalue().splitlines()
    rate = len(files) / total
    print(f"bench_import --publish — {backend}; schema and reference data ready in {prepared:.2f} s")
    jobs = f" --jobs {args.jobs}" if args.jobs > 1 else ""
    print(
        f"{len(files):,} generated notices imported with `import_workpoints --publish{jobs}` in {total:.1f} s: "
        f"{rate:.1f} notices/s ({1000 / rate:.1f} ms each), {queries / len(files):.1f} queries "
        f"and {assignments / len(files):.0f} assignments a notice"
    )
    # On a shared machine the time waited for the CPU counts in the seconds above; the CPU time of
    # this process and of its database connection's server process does not.
    cpu = f"CPU {1000 * client_cpu / len(files):.1f} ms a notice here"
    if args.jobs > 1:
        cpu += " (this process and its writers)"
    if server_cpu is not None:
        cpu += f" and {1000 * server_cpu / len(files):.1f} ms in the database's server process"
        if args.jobs > 1:
            cpu += "es"
    print(f"    {cpu}; load average {os.getloadavg()[0]:.1f} at the end")
    for line in refused:
        # The generator can give a city's two notices of a year one 文号 (重庆市's two parts).
        print(f"    refused: {line}")
    parts = {**watch.seconds}
    if args.jobs > 1:
        # The parts ran in several processes at once: their seconds add up to more than the
        # wall-clock total, and what is left is not one process's.
        print(f"    the parts' seconds are summed over the {args.jobs + 1} processes (parse runs in the reading one)")
        parts["other"] = 0.0
    else:
        parts["other"] = total - sum(parts.values())
    print(f"    {'':<10}{'s':>8}{'ms each':>10}{'share':>8}")
    for part in ("parse", "write", "publish", "history", "other"):
        seconds = parts.get(part, 0.0)
        print(f"    {part:<10}{seconds:>8.1f}{1000 * seconds / len(files):>10.1f}{seconds / total:>8.0%}")
    if profile is not None:
        import pstats

        # This process only: with --jobs, the writers' work is not in it.
        print(f"\ncProfile of the command (CPU seconds of this process), top {args.profile} by own time:")
        pstats.Stats(profile).sort_stats("tottime").print_stats(args.profile)
        print(f"top {args.profile} by cumulative time:")
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.profile)
    results = {
        "backend": backend,
        "notices": len(files),
        "seconds": round(total, 2),
        "notices_per_s": round(rate, 2),
        "jobs": args.jobs,
        "queries_per_notice": round(queries / len(files), 1),
        "assignments": assignments,
        "refused": len(refused),
        "client_cpu_ms_per_notice": round(1000 * client_cpu / len(files), 1),
        "server_cpu_ms_per_notice": round(1000 * server_cpu / len(files), 1) if server_cpu is not None else None,
        "load_average": round(os.getloadavg()[0], 1),
        "split_s": {part: round(seconds, 2) for part, seconds in parts.items()},
    }
    path = ROOT / "bench-results" / f"import-publish-{'postgresql' if 'PostgreSQL' in backend else 'sqlite'}.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    print(f"\nwritten to {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
