import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from organisation.models import Office
from plans.services.batches import NoticeFile, work_plans_import


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
        outputs, failed = [], 0

        def report(done):
            # Reported once committed.
            nonlocal failed
            for outcome in done:
                if outcome.refused:
                    failed += 1
                    self.stderr.write(f"{outcome.file.name}: {outcome.error}")
                elif as_json:
                    outputs.append(outcome.result.document.to_json(_))
                else:
                    self._report(Path(outcome.file.name), outcome.result, dry_run)

        work_plans_import(
            files=[NoticeFile(name=str(path), read=path.read_bytes) for path in files],
            office=office_obj,
            replace=replace,
            publish=publish,
            dry_run=dry_run,
            batch_size=batch,
            on_commit=report,
        )
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
