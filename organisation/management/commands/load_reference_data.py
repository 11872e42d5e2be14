from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from organisation.reference import reference_data_load


class Command(BaseCommand):
    help = "Load the division table and functional zones from fixtures/, and the official calendar's years the chinese-calendar package knows and the table lacks (idempotent)."

    def handle(self, *args, **options):
        counts = reference_data_load()
        self.stdout.write(_("Loaded %(regions)d regions, %(counties)d counties, %(zones)d functional zones.") % counts)
