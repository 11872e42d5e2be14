"""Generated demo data (generate_demo): which offices and users it made, from what seed."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisation.models import Office


class DemoDataset(models.Model):
    """One run of generate_demo. Its offices and users are how the generated data is found
    (their plans, assignments and reports with them) and removed, without touching anything
    imported or written by people."""

    scale = models.CharField(_("scale"), max_length=16)
    seed = models.BigIntegerField(_("seed"))
    years = models.PositiveSmallIntegerField(_("years of plans"), default=10)
    as_of = models.DateField(_("dated as of"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    counts = models.JSONField(_("rows created"), default=dict, blank=True)
    # The ids of the rows it made of the tables that belong to no office (the school register):
    # {model label: [first id, last id]}.
    id_ranges = models.JSONField(_("id ranges"), default=dict, blank=True)
    offices = models.ManyToManyField(Office, verbose_name=_("offices"), blank=True, related_name="demo_datasets")
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("users"), blank=True, related_name="demo_datasets"
    )

    class Meta:
        verbose_name = _("demo dataset")
        verbose_name_plural = _("demo datasets")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.scale} · {self.seed} · {self.created_at:%Y-%m-%d}"
