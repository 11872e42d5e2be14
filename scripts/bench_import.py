"""Benchmark the import of the five seed documents and the parser's throughput.

Run from the repository root:

    DEBUG=1 .venv/bin/python scripts/bench_import.py [--rounds 5] [--seconds 2] [--postgres]

It works on a database of its own: a temporary SQLite file, or with --postgres the
`supervision_bench` database on 127.0.0.1:5432 (created when missing; its plans and offices are
deleted between rounds, so never point it at a database that matters). It prints

(a) the time to import all five seeds through `work_plan_import`, each round from the same empty
    state and committed as the import commits (best and median of N rounds, against the 0.5 s
    target), with the queries of a round and where the time goes;
(b) parser throughput: `parse_text` over the five seed texts, documents per second, with a
    prebuilt gazetteer and without one;
(c) the peak memory (tracemalloc) of one import round.
"""
import argparse
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


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="import rounds (default 5)")
    parser.add_argument(
        "--seconds", type=float, default=2.0, help="duration of each throughput run (default 2)"
    )
    parser.add_argument(
        "--postgres", action="store_true", help=f"run against {POSTGRES_URL} instead of SQLite"
    )
    return parser.parse_args()


def postgres_database_ensure(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
        dbname="postgres", autocommit=True,
    ) as conn:
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

    from plans.reference import reference_data_load

    call_command("migrate", verbosity=0)
    reference_data_load()


def seeds() -> list[tuple[str, bytes]]:
    found = [(path.name, path.read_bytes()) for path in sorted(SEEDS_DIR.glob("*.txt"))]
    if len(found) != 5:
        sys.exit(f"expected five seed documents in {SEEDS_DIR}, found {len(found)}")
    return found


class ImportRounds:
    """Imports of all seeds, each round starting from the database as it was before the first."""

    def __init__(self, documents: list[tuple[str, bytes]]):
        from plans.models import Office, WorkPlan

        self.documents = documents
        if WorkPlan.objects.exists():
            # Left by an interrupted run (the bench database only): an existing plan would turn
            # every import into a lookup.
            self.clear(keep_offices=set())
        self.offices_before = set(Office.objects.values_list("pk", flat=True))

    def clear(self, keep_offices: set[int] | None = None) -> None:
        from plans.models import Office, WorkPlan

        keep = self.offices_before if keep_offices is None else keep_offices
        WorkPlan.objects.all().delete()
        Office.objects.exclude(pk__in=keep).delete()

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
        if args.postgres:
            postgres_database_ensure(POSTGRES_URL)
            database_url, backend = POSTGRES_URL, "PostgreSQL (supervision_bench)"
        else:
            database_url, backend = f"sqlite:///{tmp}/bench.sqlite3", "SQLite (temporary file)"
        django_setup(database_url)
        try:
            return bench(args, backend)
        finally:
            from django.db import connections

            connections.close_all()


def bench(args: argparse.Namespace, backend: str) -> int:
    from plans.parsing.text import decode
    from plans.services import gazetteer_build

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

    print(f"bench_import — {backend}; schema and reference data ready in {prepared:.2f} s")
    print()
    print(f"(a) import of the five seeds, {args.rounds} rounds, each from the same empty state")
    print(f"    {'':<28}{'seconds':>9}{'/ target':>10}")
    print(f"    {'best':<28}{best:>9.3f}{best / TARGET_SECONDS:>10.2f}")
    print(f"    {'median':<28}{median:>9.3f}{median / TARGET_SECONDS:>10.2f}")
    print(f"    {'target':<28}{TARGET_SECONDS:>9.3f}{'1.00':>10}")
    print(f"    SQL queries per round: {queries}")
    print("    per document (median of the rounds):")
    for name, _ in documents:
        seconds = statistics.median(r[name] for r in results)
        print(f"      {name:<26}{seconds:>9.3f}")
    share = 5 * gazetteer_seconds / median
    print(
        f"    of which gazetteer_build (once per document): {gazetteer_seconds:.3f} s each, "
        f"{share:.0%} of the median round"
    )
    print()
    print(f"(b) parser throughput, parse_text over the five seed texts, ~{args.seconds:g} s each")
    print(f"    {'with a prebuilt gazetteer':<28}{with_gazetteer:>9.0f} documents/s"
          f"  ({1000 / with_gazetteer:.2f} ms each)")
    print(f"    {'without a gazetteer':<28}{without_gazetteer:>9.0f} documents/s"
          f"  ({1000 / without_gazetteer:.2f} ms each)")
    print()
    print(f"(c) peak memory of one import round (tracemalloc): {peak / 2**20:.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
