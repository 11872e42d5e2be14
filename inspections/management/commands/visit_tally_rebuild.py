"""Put the visit tally's triggers back if they are missing and count its rows again."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from inspections.tally import visit_tally_rebuild


class Command(BaseCommand):
    help = _(
        "Check the triggers that keep the visit tally and put back any that is missing, then "
        "count the tally again from the visit obligations, in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help=_("Change nothing; say what is wrong and exit with status 1 if anything is."),
        )

    def handle(self, *args, check, **options):
        rebuilt = visit_tally_rebuild(dry_run=check)
        if rebuilt.triggers_missing:
            self.stdout.write(
                (_("Triggers missing: %(names)s.") if check else _("Triggers put back: %(names)s."))
                % {"names": ", ".join(rebuilt.triggers_missing)}
            )
        self.stdout.write(
            (
                _("Tally rows to add %(added)d, to correct %(changed)d, to remove %(removed)d.")
                if check
                else _("Tally rows added %(added)d, corrected %(changed)d, removed %(removed)d.")
            )
            % {"added": rebuilt.added, "changed": rebuilt.changed, "removed": rebuilt.removed}
        )
        if check and not rebuilt.was_right:
            raise CommandError(_("The visit tally does not match the obligations."))
