"""Commands that write in bulk leave the planner statistics that count what they wrote.

PostgreSQL plans from its statistics; a server without autovacuum (or whose autovacuum lags
behind an import) keeps planning for the tables as they were before it: the county list took
358 ms after a national import, 50 ms once the tables were analyzed. SQLite keeps no statistics
unless asked and its plans were chosen without them, so nothing is analyzed there.
"""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from demo.data import BULK_MODELS, demo_data_generate
from plans.services.imports import IMPORT_MODELS
from tests.conftest import SEEDS_DIR

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite keeps no planner statistics unless asked; the commands analyze on PostgreSQL only",
    ),
]


def clock() -> datetime.datetime:
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        return cursor.fetchone()[0]


def analyzed_since(moment: datetime.datetime, models_) -> dict[str, bool]:
    """Each model's table: analyzed (by hand, not by autovacuum) at or after `moment`?"""
    tables = sorted({m._meta.db_table for m in models_})
    with connection.cursor() as cursor:
        # The statistics views are read once per transaction unless told to read them again.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT relname, last_analyze FROM pg_stat_user_tables WHERE relname = ANY(%s)", [tables])
        found = dict(cursor.fetchall())
    return {table: found.get(table) is not None and found[table] >= moment for table in tables}


def test_importing_notices_analyzes_the_tables_the_import_filled():
    before = clock()
    seeds = sorted(SEEDS_DIR.glob("*.txt"))
    call_command("import_workpoints", *map(str, seeds), stdout=StringIO())
    analyzed = analyzed_since(before, IMPORT_MODELS)
    assert all(analyzed.values()), analyzed
    assert "plans_task" in analyzed and "plans_historicaltask" in analyzed


def test_a_dry_run_import_analyzes_nothing():
    before = clock()
    call_command("import_workpoints", str(next(SEEDS_DIR.glob("004_*.txt"))), "--dry-run", stdout=StringIO())
    assert not any(analyzed_since(before, IMPORT_MODELS).values())


def test_generating_demo_data_analyzes_the_tables_it_filled():
    before = clock()
    demo_data_generate(scale="city", seed=7, as_of=datetime.date(2026, 11, 30))
    analyzed = analyzed_since(before, BULK_MODELS)
    assert all(analyzed.values()), analyzed


def test_the_kinds_of_obligation_are_counted_from_a_sample_that_sees_the_rare_ones():
    # ANALYZE's default sample held ~25 of the 6,000 evaluation obligations among five million
    # rows: below what the common values keep, so PostgreSQL took them for 3 and walked them all
    # (inspections migration 0007). A sample three times as large counts every kind.
    with connection.cursor() as cursor:
        cursor.execute("SELECT stxstattarget FROM pg_statistic_ext WHERE stxname = 'assignment_kind_subject_stats'")
        assert cursor.fetchone() == (300,)
