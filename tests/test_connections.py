"""A PostgreSQL connection keeps prepared the statements the pages run, more than psycopg's 100."""

import pytest
from django.conf import settings
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="statements prepared on PostgreSQL only"),
]


def test_a_connection_keeps_prepared_more_statements_than_psycopgs_hundred():
    """Run in turn, as a worker serving every page runs its statements, 150 of them are all
    prepared: with psycopg's 100 each was forgotten, its runs uncounted, before its next run."""
    shapes = 150
    assert settings.DATABASE_PREPARED_MAX >= shapes
    threshold = connection.settings_dict["OPTIONS"].get("prepare_threshold")
    if threshold is None:
        pytest.skip("prepared statements are off (DATABASE_PREPARED_STATEMENTS=0)")
    with connection.cursor() as cursor:
        for _ in range(threshold + 1):
            for shape in range(shapes):
                cursor.execute(f"SELECT %s::int + {shape}", [shape])
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["SELECT $1::int + %"])
        assert cursor.fetchone()[0] == shapes
