"""Restore a backup made by `backup`: the database replaced whole, then checked row by row."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from supervision.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = _(
        "Restore a backup folder made by `backup`: the database is replaced whole and the files "
        "put back; every table's row count is checked against the backup. Stop the app first."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path)
        parser.add_argument("--yes", action="store_true", help=_("Do not ask before replacing the database."))

    def handle(self, *args, source, yes, **options):
        if not (source / "manifest.json").exists():
            raise CommandError(_("%(folder)s is not a backup folder (no manifest.json).") % {"folder": source})
        if not yes:
            answer = input(_("This replaces the whole database. Type yes to go on: "))
            if answer.strip().lower() != "yes":
                raise CommandError(_("Nothing was restored."))
        try:
            result = backup_restore(source=source)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _(
                "Restored %(rows)d rows in %(tables)d tables and %(files)d files in %(seconds).1f s; every count matches."
            )
            % {
                "rows": sum(result.counts.values()),
                "tables": len(result.counts),
                "files": result.files,
                "seconds": result.seconds,
            }
        )
