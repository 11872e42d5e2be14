"""What became of each file of a batch import (plans.job_kinds.import_batch): the job's result
page lists them, and a job that runs again skips the files it has already recorded."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from plans.models.plans import WorkPlan


class ImportBatchFile(models.Model):
    class Outcome(models.TextChoices):
        IMPORTED = "imported", _("Imported")
        DUPLICATE = "duplicate", _("Already imported")
        REFUSED = "refused", _("Refused")

    job = models.ForeignKey(
        "jobs.Job", verbose_name=_("background job"), on_delete=models.CASCADE, related_name="import_files"
    )
    # Where the file stands in what the user uploaded (a .zip's members in the archive's order).
    position = models.PositiveIntegerField(_("position"))
    name = models.CharField(_("file name"), max_length=255)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    plan = models.ForeignKey(
        WorkPlan,
        verbose_name=_("work plan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # As read from the notice, so that the list still says which it was if the plan goes.
    doc_number = models.CharField(_("document number"), max_length=64, blank=True)
    title = models.TextField(_("title"), blank=True)
    tasks = models.PositiveIntegerField(_("tasks"), default=0)
    entries = models.PositiveIntegerField(_("calendar lines"), default=0)
    warnings = models.PositiveIntegerField(_("warnings"), default=0)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("file of a batch import")
        verbose_name_plural = _("files of batch imports")
        ordering = ["job", "position"]
        constraints = [
            # One outcome a file: what a job records is never recorded twice.
            models.UniqueConstraint(fields=["job", "position"], name="importbatchfile_unique_position"),
            # A refused file says why; an imported one (or a duplicate) names no reason.
            models.CheckConstraint(
                condition=Q(outcome="refused", reason__gt="") | (~Q(outcome="refused") & Q(reason="")),
                name="importbatchfile_reason_when_refused",
            ),
        ]

    def __str__(self):
        return self.name
