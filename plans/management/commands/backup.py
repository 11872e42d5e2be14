"""Back up the database and the uploaded files into a new folder under DESTINATION."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from supervision.backups import BackupError, backup_create, folder_size


class Command(BaseCommand):
    help = _(
        "Back up the database (pg_dump custom format, or SQLite's online backup) and the "
        "uploaded files, with the row count of every table, into a new folder."
    )

    def add_arguments(self, parser):
        parser.add_argument("destination", type=Path)

    def handle(self, *args, destination, **options):
        try:
            result = backup_create(destination=destination)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _(
                "Backed up %(rows)d rows in %(tables)d tables and %(files)d files to %(folder)s (%(size)s, %(seconds).1f s)."
            )
            % {
                "rows": sum(result.counts.values()),
                "tables": len(result.counts),
                "files": result.files,
                "folder": result.folder,
                "size": filesizeformat(folder_size(result.folder)),
                "seconds": result.seconds,
            }
        )
