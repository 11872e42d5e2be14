"""cron: e-mail each county what is due within N working days or overdue (催办)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tracking.services.reminders import reminders_send


class Command(BaseCommand):
    help = _(
        "E-mail each county its open assignments due within N working days or overdue; at most "
        "one automatic reminder a county a day, so running it twice sends nothing more."
    )

    def add_arguments(self, parser):
        parser.add_argument("--within", type=int, default=5, help=_("Working days ahead (default 5)."))
        parser.add_argument("--dry-run", action="store_true", help=_("Print what would be sent; send nothing."))
        parser.add_argument("--date", help=_("Act as if today were this date (YYYY-MM-DD)."))

    def handle(self, *args, within, dry_run, date, **options):
        today = None
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError:
                raise CommandError(_("%(date)s is not a date (YYYY-MM-DD).") % {"date": date}) from None
        results = reminders_send(today=today, within_working_days=within, dry_run=dry_run)
        sent = 0
        for draft, reminder in results:
            if dry_run:
                self.stdout.write(
                    _("Would remind %(county)s (%(count)d tasks) at %(recipients)s:")
                    % {
                        "county": draft.county.name,
                        "count": len(draft.assignments),
                        "recipients": ", ".join(draft.recipients) or _("no address"),
                    }
                )
                self.stdout.write("  " + draft.subject)
                for line in draft.body.splitlines():
                    self.stdout.write("  " + line)
            elif reminder is not None:
                sent += 1
            elif not draft.recipients:
                self.stderr.write(
                    _("%(county)s: no member of its office has an e-mail address; nothing sent.")
                    % {"county": draft.county.name}
                )
        if not dry_run:
            self.stdout.write(_("%(count)d reminders sent.") % {"count": sent})
