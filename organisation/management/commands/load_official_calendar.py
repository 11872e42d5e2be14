import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from organisation.models import OfficialCalendarYear
from organisation.services.calendar import official_year_load
from schedule.holidays import HolidayNoticeError, parse_holiday_notice


class Command(BaseCommand):
    help = (
        "Load a year's days off and adjusted working days from the State Council's holiday notice "
        "(国务院办公厅关于XXXX年部分节假日安排的通知), its text in a file or on standard input, and move the "
        "due dates that the year's data changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the notice as UTF-8 text; - reads standard input")
        parser.add_argument("--year", type=int, help="the notice's year (read from its title when left out)")
        parser.add_argument("--dry-run", action="store_true", help="print the days read and write nothing")

    def handle(self, *args, file, year, dry_run, **options):
        try:
            text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(_("The notice could not be read: %(error)s") % {"error": error}) from error
        try:
            notice = parse_holiday_notice(text, year=year)
        except HolidayNoticeError as error:
            raise CommandError(_(error.message) % error.params) from error
        for day, name in sorted(notice.days_off.items()):
            self.stdout.write(f"{day.isoformat()}  {_('day off')}  {name}")
        for day, name in sorted(notice.working_days.items()):
            self.stdout.write(f"{day.isoformat()}  {_('working day')}  {name}")
        for sentence in notice.unread:
            self.stderr.write(_("Not read (neither 放假 nor 上班): %(text)s") % {"text": sentence})
        if dry_run:
            return
        result = official_year_load(
            year=notice.year,
            days_off=notice.days_off,
            working_days=notice.working_days,
            source=OfficialCalendarYear.Source.NOTICE,
            notice_text=text,
        )
        self.stdout.write(
            _(
                "%(year)d: %(off)d days off and %(working)d working days loaded; %(moved)d due dates "
                "moved, %(kept)d moved by staff kept, %(cleared)d no longer from weekdays only."
            )
            % {
                "year": result.year,
                "off": result.days_off,
                "working": result.working_days,
                "moved": result.due_dates_moved,
                "kept": result.due_dates_kept,
                "cleared": result.flags_cleared,
            }
        )
