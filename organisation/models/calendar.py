"""The official calendar as data: the State Council's days off and adjusted working days, year
by year, so that due dates follow a year's notice as soon as an administrator loads it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OfficialCalendarYear(models.Model):
    """One year's holiday notice (国务院办公厅关于XXXX年部分节假日安排的通知), as loaded."""

    class Source(models.TextChoices):
        PACKAGE = "package", _("chinese-calendar package")
        NOTICE = "notice", _("the State Council's notice")
        MANUAL = "manual", _("entered by hand")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.MANUAL)
    notice_text = models.TextField(_("notice text"), blank=True)
    loaded_at = models.DateTimeField(_("loaded at"), default=timezone.now)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("loaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("official calendar year")
        verbose_name_plural = _("official calendar years")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(year__range=(2000, 2100)), name="calendar_year_range"),
        ]

    def __str__(self):
        return str(self.year)


class OfficialCalendarDay(models.Model):
    """A day off (放假) or an adjusted working day (调休上班) that a year's notice gives; a notice
    may name the last days of the year before (元旦 from 30 December)."""

    class Kind(models.TextChoices):
        OFF = "off", _("day off")
        WORKING = "working", _("working day")

    calendar_year = models.ForeignKey(
        OfficialCalendarYear,
        verbose_name=_("notice year"),
        on_delete=models.CASCADE,
        related_name="days",
    )
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("holiday"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("official calendar day")
        verbose_name_plural = _("official calendar days")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["off", "working"]), name="calendar_day_kind_valid"),
        ]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.name}".strip()
