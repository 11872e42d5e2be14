"""Everything `make run` needs on top of a migrated database; running it again changes nothing."""

import unicodedata
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils.translation import gettext as _

from demo.evaluation_showcase import demo_evaluation_create
from demo.month import demo_current_plan_create
from demo.showcase import (
    demo_accounts_create,
    demo_contact_create,
    demo_draft_create,
    demo_inspection_create,
    demo_rectification_create,
    demo_register_create,
    demo_reports_create,
)
from organisation.models import Membership
from organisation.reference import reference_data_load
from plans.services import work_plan_import

SEEDS_DIR = Path(settings.BASE_DIR) / "fixtures" / "seeds"


class Command(BaseCommand):
    help = _(
        "Load the reference data, import and publish the seed documents, create the demo "
        "accounts and print their logins. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--url",
            default=None,
            help=_("Address printed with the demo logins (default: the SITE_URL setting)."),
        )
        parser.add_argument(
            "--seeds",
            type=Path,
            default=SEEDS_DIR,
            help=_("Folder of the seed documents (*.txt)."),
        )

    def handle(self, *args, url, seeds, **options):
        url = url or settings.SITE_URL.rstrip("/") + "/"
        counts = reference_data_load()
        self.stdout.write(
            _("Reference data: %(regions)d regions, %(counties)d counties and %(zones)d functional zones added.")
            % counts
        )

        paths = sorted(seeds.glob("*.txt"))
        if not paths:
            raise CommandError(_("No seed documents (*.txt) in %(folder)s.") % {"folder": seeds})
        for path in paths:
            try:
                result = work_plan_import(data=path.read_bytes(), source_name=path.name, publish=True)
            except ValidationError as exc:
                raise CommandError(f"{path.name}: {' '.join(exc.messages)}") from exc
            if result.created:
                message = _("Imported and published %(file)s: %(plan)s")
            else:
                message = _("Already imported %(file)s: %(plan)s")
            self.stdout.write(message % {"file": path.name, "plan": result.plan})

        accounts = demo_accounts_create()
        draft, created = demo_draft_create()
        if draft is not None:
            message = (
                _("Draft to try editing: %(plan)s, %(url)s")
                if created
                else _("Draft to try editing (already there): %(plan)s, %(url)s")
            )
            link = url.rstrip("/") + reverse("plans:plan_edit", args=[draft.pk])
            self.stdout.write(message % {"plan": draft, "url": link})
        if demo_reports_create():
            self.stdout.write(_("Demo reports written for 金水区."))
        current, created = demo_current_plan_create()
        if created:
            self.stdout.write(_("Published %(plan)s, its work under way as in an ordinary month.") % {"plan": current})
        contact = demo_contact_create()
        if contact is not None:
            self.stdout.write(
                _("Reminders to %(county)s go to %(email)s (shown on this console).")
                % {"county": contact.county.name, "email": contact.email}
            )
        schools = demo_register_create()
        if schools:
            self.stdout.write(_("Register of 金水区: %(count)d schools, one 督学责任区.") % {"count": schools})
        inspection = demo_inspection_create()
        if inspection is not None:
            self.stdout.write(
                _("Inspection with 金水区's self-assessment under way: %(title)s") % {"title": inspection.title}
            )
        rectification = demo_rectification_create()
        if rectification:
            self.stdout.write(
                _("An inspection of 金水区 with findings and a 整改 item: %(title)s")
                % {"title": rectification["inspection"].title}
            )
        evaluation = demo_evaluation_create()
        if evaluation:
            self.stdout.write(
                _("An evaluation of 郑州's counties in review: %(title)s; last year's results published.")
                % {"title": evaluation["round"].title}
            )
        self._print_logins(url, accounts)

    def _print_logins(self, url: str, accounts: list[tuple[str, str, str]]) -> None:
        roles = {**dict(Membership.Role.choices), "admin": _("Administrator"), "inspector": _("Inspector (督学)")}
        rows = [(username, password, f"{role} ({roles.get(role, role)})") for username, password, role in accounts]
        headers = (_("username"), _("password"), _("role"))
        widths = [max(_width(cell) for cell in column) for column in zip(headers, *rows, strict=True)]

        def line(cells):
            padded = (str(cell) + " " * (width - _width(cell)) for cell, width in zip(cells, widths, strict=True))
            return ("  " + "  ".join(padded)).rstrip()

        rule = "=" * 64
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(rule))
        self.stdout.write(
            self.style.SUCCESS(_("Open %(url)s and sign in with one of these demo logins:") % {"url": url})
        )
        self.stdout.write(line(headers))
        for row in rows:
            self.stdout.write(line(row))
        self.stdout.write(self.style.SUCCESS(rule))
        self.stdout.write("")


def _width(text) -> int:
    """Columns a string takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in str(text))
