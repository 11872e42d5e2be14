"""What a PostgreSQL connection keeps between requests: its prepared statements."""

from django.conf import settings
from django.db.backends.signals import connection_created
from django.dispatch import receiver


@receiver(connection_created)
def statements_kept(sender, connection, **kwargs):
    """psycopg keeps 100 prepared statements a connection and forgets the least used, counts of
    runs included. A worker serving every page runs some 230 statements that come back, so with
    100 each was forgotten before its next run and never prepared: every query planned anew."""
    prepared_max = getattr(settings, "DATABASE_PREPARED_MAX", None)
    if connection.vendor == "postgresql" and prepared_max:
        connection.connection.prepared_max = prepared_max
