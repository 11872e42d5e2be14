from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.registry import action_type_get


class ActionLog(models.Model):
    """One state change of one record: a plan published, a report accepted, a due date moved.

    Written by the service that makes the change, in its transaction. The field history
    (django-simple-history) says what each column was; this says what people did.
    """

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of record"), on_delete=models.PROTECT, related_name="+"
    )
    # The record may be gone since (a discarded draft): its events stay readable.
    object_id = models.PositiveBigIntegerField(_("record"))
    target = GenericForeignKey("content_type", "object_id")
    action_type = models.CharField(_("action"), max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_logs",
    )
    # Whose records these are (the issuing office): lists of events are scoped by it.
    office = models.ForeignKey(
        "organisation.Office",
        verbose_name=_("office"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    datetime = models.DateTimeField(_("at"), default=timezone.now)
    # What the action was about: a comment, a revision number, old and new due dates, counts.
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("action log entry")
        verbose_name_plural = _("action log")
        ordering = ["-datetime", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="actionlog_target_idx"),
            models.Index(fields=["user", "-datetime"], name="actionlog_user_idx"),
            models.Index(fields=["office", "-datetime"], name="actionlog_office_idx"),
        ]

    def __str__(self):
        return f"{self.action_type} · {self.content_type_id}:{self.object_id}"

    @property
    def display(self) -> str:
        """The action as people read it (its registered label), else its dotted name."""
        action_type = action_type_get(self.action_type)
        return str(action_type.label) if action_type is not None else self.action_type

    @property
    def comment(self) -> str:
        """The words shown under the step: a comment, a reason, the file imported."""
        data = self.data or {}
        return data.get("comment") or data.get("reason") or data.get("file") or ""

    @property
    def revision(self) -> int | None:
        return (self.data or {}).get("revision")
