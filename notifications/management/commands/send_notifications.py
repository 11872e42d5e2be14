"""cron: send the notifications whose time has come; with --collect, first write the day's
(new work, due soon, overdue)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from notifications.services.delivery import messages_deliver_due
from notifications.services.events import notifications_collect
from schedule.urgency import DUE_SOON_WORKING_DAYS
from supervision.localtime import site_today


class Command(BaseCommand):
    help = _(
        "Send waiting notifications and retry failed ones whose time has come. With --collect, "
        "first write the day's notices of new, due and overdue work (once a day is enough; "
        "nothing is written twice)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--collect", action="store_true", help=_("Write the day's notices first."))
        parser.add_argument(
            "--within",
            type=int,
            default=DUE_SOON_WORKING_DAYS,
            help=_("Working days ahead that count as due soon (default %(days)d).") % {"days": DUE_SOON_WORKING_DAYS},
        )
        parser.add_argument("--date", help=_("Act as if today were this date (YYYY-MM-DD)."))

    def handle(self, *args, collect, within, date, **options):
        today = site_today()
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError:
                raise CommandError(_("%(date)s is not a date (YYYY-MM-DD).") % {"date": date}) from None
        if collect:
            written = notifications_collect(today=today, within_working_days=within)
            self.stdout.write(_("%(count)d notifications written.") % {"count": written})
        counts = messages_deliver_due()
        self.stdout.write(_("%(sent)d sent, %(failed)d failed.") % counts)
