"""Backups: the database and the uploaded files, together, with row counts to check a restore.

PostgreSQL is dumped with pg_dump in its custom format (restored with pg_restore); SQLite
through its online backup API, which copies a consistent database while the app keeps
running (a plain file copy of a live SQLite database can be torn). Files under MEDIA_ROOT
(imported notices, evidence) go into a tar archive.
"""

import datetime
import json
import os
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections

MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


def row_counts(alias: str = "default") -> dict[str, int]:
    """Rows in every table of the installed models (history tables included)."""
    counts = {}
    with connections[alias].cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table in counts or model._meta.proxy or not model._meta.managed:
                continue
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


def _pg_env(db: dict) -> dict:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args(db: dict) -> list[str]:
    args = []
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    return args


def _media_files(root: Path) -> list[str]:
    if not root.exists():
        return []
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@dataclass
class BackupResult:
    folder: Path
    counts: dict[str, int]
    files: int
    seconds: float


def backup_create(*, destination: Path, alias: str = "default") -> BackupResult:
    started = datetime.datetime.now()
    db = settings.DATABASES[alias]
    folder = Path(destination) / started.strftime("%Y%m%d-%H%M%S")
    folder.mkdir(parents=True, exist_ok=False)
    counts = row_counts(alias)
    if db["ENGINE"] == "django.db.backends.postgresql":
        dump = folder / "database.dump"
        command = ["pg_dump", "-Fc", "--no-owner", "-f", str(dump), *_pg_args(db), str(db["NAME"])]
        completed = subprocess.run(command, env=_pg_env(db), capture_output=True, text=True)
        if completed.returncode:
            raise BackupError(completed.stderr.strip() or "pg_dump failed")
    elif db["ENGINE"] == "django.db.backends.sqlite3":
        source = connections[alias]
        source.ensure_connection()
        with sqlite3.connect(folder / "database.sqlite3") as target:
            source.connection.backup(target)
    else:
        raise BackupError(f"unsupported database engine {db['ENGINE']}")
    media_root = Path(settings.MEDIA_ROOT)
    files = _media_files(media_root)
    with tarfile.open(folder / "media.tar.gz", "w:gz") as archive:
        for name in files:
            archive.add(media_root / name, arcname=name)
    manifest = {
        "created": started.isoformat(),
        "engine": db["ENGINE"],
        "counts": counts,
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
    return BackupResult(folder, counts, len(files), (datetime.datetime.now() - started).total_seconds())


def backup_restore(*, source: Path, alias: str = "default") -> BackupResult:
    """Put a backup back: the database replaced whole, the files under MEDIA_ROOT restored.
    Checks afterwards that every table has the rows the backup counted."""
    started = datetime.datetime.now()
    source = Path(source)
    manifest = json.loads((source / MANIFEST).read_text())
    db = settings.DATABASES[alias]
    if manifest["engine"] != db["ENGINE"]:
        raise BackupError(f"the backup is of {manifest['engine']}, the database is {db['ENGINE']}")
    connections[alias].close()
    if db["ENGINE"] == "django.db.backends.postgresql":
        command = [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "-d",
            str(db["NAME"]),
            *_pg_args(db),
            str(source / "database.dump"),
        ]
        completed = subprocess.run(command, env=_pg_env(db), capture_output=True, text=True)
        if completed.returncode:
            raise BackupError(completed.stderr.strip() or "pg_restore failed")
    else:
        with sqlite3.connect(source / "database.sqlite3") as backup, sqlite3.connect(db["NAME"]) as live:
            backup.backup(live)
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / "media.tar.gz", "r:gz") as archive:
        # The "data" filter refuses absolute paths, "..", links out of the folder.
        archive.extractall(media_root, filter="data")
    counts = row_counts(alias)
    differing = {
        table: (expected, counts.get(table))
        for table, expected in manifest["counts"].items()
        if counts.get(table) != expected
    }
    if differing:
        raise BackupError(f"row counts differ after the restore: {differing}")
    missing = [name for name in manifest["files"] if not (media_root / name).is_file()]
    if missing:
        raise BackupError(f"{len(missing)} files are missing after the restore")
    return BackupResult(source, counts, len(manifest["files"]), (datetime.datetime.now() - started).total_seconds())


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())
