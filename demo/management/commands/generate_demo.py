"""Generate a deployment's worth of demo data: `generate_demo --scale national|city`."""

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from demo.data import SCALES, demo_data_generate, demo_data_remove
from demo.showcase import DEMO_PASSWORD


class Command(BaseCommand):
    help = _(
        "Generate offices, users, ten years of plans, assignments and reports on the division "
        "table, reproducibly from a seed. Refuses to run twice unless --replace."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=sorted(SCALES),
            default="city",
            help=_("national: every city and county (about 3,300 plans); city: five cities."),
        )
        parser.add_argument("--seed", type=int, default=1, help=_("Random seed (default 1)."))
        parser.add_argument(
            "--as-of",
            type=datetime.date.fromisoformat,
            default=None,
            help=_("The day the data is dated up to (YYYY-MM-DD; default today)."),
        )
        parser.add_argument(
            "--years",
            type=int,
            default=None,
            help=_("Years of plans, up to the as-of date's (default 10)."),
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help=_("Remove previously generated data first (only that)."),
        )
        parser.add_argument(
            "--remove",
            action="store_true",
            help=_("Only remove previously generated data."),
        )

    def handle(self, *args, scale, seed, as_of, years, replace, remove, **options):
        def progress(message):
            self.stdout.write(f"  {message}")
            self.stdout.flush()

        if remove:
            removed = demo_data_remove(progress=progress)
            self.stdout.write(
                self.style.SUCCESS(
                    _("Removed %(rows)s rows of generated data.") % {"rows": f"{sum(removed.values()):,}"}
                )
            )
            return
        self.stdout.write(_("Generating %(scale)s data from seed %(seed)s…") % {"scale": scale, "seed": seed})
        try:
            summary = demo_data_generate(
                scale=scale, seed=seed, as_of=as_of, years=years, replace=replace, progress=progress
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        width = max(len(label) for label in summary.counts)
        for label, count in summary.counts.items():
            self.stdout.write(f"  {label:<{width}}  {count:>10,}")
        self.stdout.write(
            self.style.SUCCESS(
                _("Generated in %(seconds).1f s (as of %(as_of)s, content digest %(digest)s).")
                % {"seconds": summary.seconds, "as_of": summary.as_of, "digest": summary.digest[:12]}
            )
        )
        for username, role in summary.logins:
            self.stdout.write(f"  {username} / {DEMO_PASSWORD} ({role})")
