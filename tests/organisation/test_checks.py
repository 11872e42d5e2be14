"""A database of the old layout is refused by `migrate` with a message that says what to do."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection


@pytest.mark.django_db
def test_migrate_refuses_a_database_of_the_layout_before_the_apps_were_split():
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES (%s, %s, CURRENT_TIMESTAMP)",
            ["plans", "0012_task_search_bigrams"],
        )

    with pytest.raises(SystemCheckError, match="made before the apps were split"):
        call_command("migrate", verbosity=0, skip_checks=False)


@pytest.mark.django_db
def test_a_database_of_this_layout_passes():
    call_command("check", databases=["default"])
