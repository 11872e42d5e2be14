import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jobs.registry import job_kind_get


def job_result_upload_to(instance, filename: str) -> str:
    # A random name, outside the web root, as evidence files: the name people read is result_name.
    suffix = filename[filename.rfind(".") :] if "." in filename else ""
    return f"jobs/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Job(models.Model):
    """Work a user started that runs in the background (a worker, or the process on the embedded
    default): its state, progress and result, read by the user who started it."""

    class State(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("job state", "Waiting")
        RUNNING = "running", pgettext_lazy("job state", "Running")
        SUCCEEDED = "succeeded", pgettext_lazy("job state", "Done")
        FAILED = "failed", pgettext_lazy("job state", "Failed")

    ACTIVE = (State.QUEUED, State.RUNNING)

    kind = models.CharField(_("kind"), max_length=64)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.CASCADE, related_name="jobs"
    )
    office = models.ForeignKey(
        "organisation.Office",
        verbose_name=_("office"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # The same kind with the same parameters by the same user: one job at a time (jobs.services).
    key = models.CharField(_("idempotency key"), max_length=64)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    # What the job is doing, or, once failed, why (in the site's language).
    message = models.CharField(_("message"), max_length=500, blank=True)
    result_file = models.FileField(_("result file"), upload_to=job_result_upload_to, blank=True)
    result_name = models.CharField(_("file name"), max_length=200, blank=True)
    # A link to what the job made; an import preview's carries its signed token.
    result_url = models.CharField(_("result link"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    started_at = models.DateTimeField(_("running since"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Starting the same job again while it waits or runs gives the one already there.
            models.UniqueConstraint(
                fields=["key"], condition=Q(state__in=["queued", "running"]), name="job_unique_active_key"
            ),
            models.CheckConstraint(condition=Q(done__lte=models.F("total")), name="job_done_within_total"),
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="job_user_created_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("jobs:job_detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE

    @property
    def kind_label(self):
        kind = job_kind_get(self.kind)
        return kind.label if kind is not None else self.kind

    @property
    def percent(self) -> int | None:
        return self.done * 100 // self.total if self.total else None

    def is_stale(self, now: datetime.datetime | None = None) -> bool:
        """Running past its hard time limit: the process running it was killed or died."""
        kind = job_kind_get(self.kind)
        if self.state != self.State.RUNNING or self.started_at is None or kind is None:
            return False
        limit = datetime.timedelta(seconds=kind.time_limit + 60)
        return (now or timezone.now()) - self.started_at > limit
