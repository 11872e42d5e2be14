import json
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from audit.services import action_logs_announced_together
from organisation.models import Office
from plans.services import work_plan_import
from plans.services.bulk import tables_analyze
from plans.services.imports import IMPORT_MODELS


class Command(BaseCommand):
    help = _(
        "Import 工作要点 notices (.txt in UTF-8/GB18030, .docx, text PDF) as work plans. "
        "Each file is imported all or nothing; the same document twice makes one plan."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument(
            "--office", type=int, help=_("ID of the issuing office (otherwise read from the document).")
        )
        parser.add_argument("--dry-run", action="store_true", help=_("Parse and check, write nothing."))
        parser.add_argument("--json", action="store_true", help=_("Print the parsed document as JSON."))
        parser.add_argument("--replace", action="store_true", help=_("Update an existing draft of the same document."))
        parser.add_argument("--publish", action="store_true", help=_("Publish the imported plan."))
        parser.add_argument(
            "--batch",
            type=int,
            default=50,
            help=_("Files imported in one transaction (default 50); a file that fails leaves the others."),
        )

    def handle(self, *args, files, office, dry_run, replace, publish, batch, **options):
        as_json = options["json"]
        if batch < 1:
            raise CommandError(_("--batch must be at least 1."))
        office_obj = None
        if office is not None:
            office_obj = Office.objects.filter(pk=office).select_related("region", "county").first()
            if office_obj is None:
                raise CommandError(_("There is no office with ID %(id)s.") % {"id": office})
        outputs, failed, written = [], 0, False
        for start in range(0, len(files), batch):
            # Several files a transaction, each in a savepoint of its own (work_plan_import's
            # atomic block): a file that fails is rolled back alone and reported, the others of
            # the batch are committed together, and what they tell the counties is written
            # once for the batch.
            done = []
            with action_logs_announced_together(), transaction.atomic():
                for path in files[start : start + batch]:
                    try:
                        data = path.read_bytes()
                    except OSError as exc:
                        failed += 1
                        self.stderr.write(
                            _("%(file)s: cannot read the file (%(reason)s).") % {"file": path, "reason": exc.strerror}
                        )
                        continue
                    try:
                        result = work_plan_import(
                            data=data,
                            source_name=path.name,
                            office=office_obj,
                            replace=replace,
                            publish=publish,
                            dry_run=dry_run,
                        )
                    except ValidationError as exc:
                        failed += 1
                        self.stderr.write(f"{path}: {' '.join(exc.messages)}")
                        continue
                    except DatabaseError as exc:
                        # Its savepoint is rolled back; the batch goes on without it.
                        failed += 1
                        self.stderr.write(f"{path}: {exc}")
                        continue
                    written = written or result.created or result.replaced
                    done.append((path, result))
            # Reported once committed.
            for path, result in done:
                if as_json:
                    outputs.append(result.document.to_json(_))
                else:
                    self._report(path, result, dry_run)
        if written and not dry_run:
            # Notices imported in bulk: the planner's statistics must count the new rows now,
            # not when autovacuum (if it runs) gets round to them.
            tables_analyze(IMPORT_MODELS)
        if as_json and outputs:
            payload = outputs[0] if len(files) == 1 else outputs
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        if failed:
            sys.exit(1)

    def _report(self, path, result, dry_run):
        doc = result.document
        counts = {
            "file": path.name,
            "sections": len(doc.sections),
            "tasks": len(doc.tasks),
            "projects": len(doc.projects),
            "schedule": len(doc.schedule),
            "counties": len(doc.places),
        }
        if dry_run:
            line = _(
                "%(file)s: checked (dry run): %(sections)d sections, %(tasks)d tasks, %(projects)d projects, %(schedule)d schedule entries, %(counties)d counties."
            )
        elif result.created:
            line = _(
                "%(file)s: imported as plan #%(id)s: %(sections)d sections, %(tasks)d tasks, %(projects)d projects, %(schedule)d schedule entries, %(counties)d counties."
            )
        elif result.replaced:
            line = _(
                "%(file)s: replaced draft plan #%(id)s: %(sections)d sections, %(tasks)d tasks, %(projects)d projects, %(schedule)d schedule entries, %(counties)d counties."
            )
        else:
            line = _("%(file)s: already imported as plan #%(id)s; nothing changed.")
        counts["id"] = result.plan.pk if result.plan else "-"
        self.stdout.write(line % counts)
        if result.duplicate:
            return  # its warnings were printed when it was imported
        for warning in result.warnings:
            self.stdout.write("  " + _("Warning: %(message)s") % {"message": warning})
