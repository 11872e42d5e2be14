"""A database made before the apps were split (December 2026) cannot be migrated: its history
names migrations that were squashed away. Say so before `migrate` fails on it."""

from django.core.checks import Error, Tags, register
from django.db import DatabaseError, connections

# The last migration of the single `plans` app, applied only to databases of the old layout.
_OLD_LAYOUT = ("plans", "0012_task_search_bigrams")


@register(Tags.database)
def old_layout_database(app_configs=None, databases=None, **kwargs):
    errors = []
    for alias in databases or ():
        connection = connections[alias]
        try:
            if "django_migrations" not in connection.introspection.table_names():
                continue
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM django_migrations WHERE app = %s AND name = %s", _OLD_LAYOUT)
                old = cursor.fetchone() is not None
        except DatabaseError:
            continue
        if old:
            errors.append(
                Error(
                    f"The database {connection.settings_dict['NAME']} was made before the apps were split "
                    "(organisation, plans, tracking, …) and cannot be migrated.",
                    hint="Start from an empty database: delete db.sqlite3 (or create a new PostgreSQL "
                    "database) and run `make run` again; `python manage.py backup` cannot carry data across.",
                    id="organisation.E001",
                )
            )
    return errors
