"""A backup restores to the same rows and files (on SQLite and on PostgreSQL alike)."""

import pytest
from django.core.management import call_command
from django.db import connection

from plans.models import WorkPlan
from supervision.backups import backup_restore, row_counts
from tests.conftest import SEEDS_DIR


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_the_same_rows_and_files(tmp_path, settings, capsys):
    from plans.services import work_plan_import

    for path in sorted(SEEDS_DIR.glob("*.txt"))[:2]:
        work_plan_import(data=path.read_bytes(), source_name=path.name, publish=True)
    before = row_counts()
    files = sorted(p.name for p in (tmp_path / "media").rglob("*") if p.is_file())
    assert files and before["plans_workplan"] == 2 and before["tracking_assignment"] > 0

    call_command("backup", str(tmp_path / "backups"))
    folder = next((tmp_path / "backups").iterdir())
    assert (folder / ("database.dump" if connection.vendor == "postgresql" else "database.sqlite3")).exists()
    assert str(folder) in capsys.readouterr().out

    # Lose everything: the rows (issued plans are never deleted: a flush is what loses them)
    # and the files.
    call_command("flush", "--no-input")
    for path in (tmp_path / "media").rglob("*"):
        if path.is_file():
            path.unlink()
    assert row_counts()["plans_workplan"] == 0

    result = backup_restore(source=folder)

    assert row_counts() == before == result.counts
    assert sorted(p.name for p in (tmp_path / "media").rglob("*") if p.is_file()) == files
    assert WorkPlan.objects.filter(status="published").count() == 2


@pytest.mark.django_db
def test_a_backup_folder_is_refused_for_another_engine(tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "manifest.json").write_text('{"engine": "django.db.backends.oracle", "counts": {}, "files": []}')

    with pytest.raises(Exception, match="oracle"):
        backup_restore(source=folder)
