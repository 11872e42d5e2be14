"""责任督学挂牌督导: the rhythm a county sets for its inspectors' visits, and the visits.

Each school owes its county office a visit by its responsible inspector at each occurrence of
the rhythm (an obligation of kind "visit", inspections.kinds, written by the schedule package's
recurrence rules like plan work); a recorded visit fulfils the occurrence it falls in."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supervision.history import HistoricalRecords

# 《中小学校责任督学挂牌督导办法》第四条: the eight matters a visit looks at.
VISIT_TOPICS = [
    ("management", _("School management and rules")),
    ("admissions", _("Admissions, fees and school choice")),
    ("teaching", _("Curriculum and classroom teaching")),
    ("workload", _("Study, exercise and workload of pupils")),
    ("teachers", _("Teachers' ethics and development")),
    ("safety", _("Safety on and around campus, pupils' transport")),
    ("hygiene", _("Canteen, food, water and dormitory hygiene")),
    ("ethos", _("School, teaching and study ethos")),
]


class VisitRhythm(models.Model):
    """How often a county's 责任督学 visit each of their schools in a year (每月, 每两月, 每学期…,
    in the months the county names, e.g. the term months only)."""

    county = models.ForeignKey(
        "organisation.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="visit_rhythms"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # A period as schedule.recurrence reads it (每月, 每季度, 每月10日前…).
    period = models.CharField(_("rhythm"), max_length=32, default="每月")
    months = models.JSONField(_("months"), default=list, help_text=_("The months visits are due in (1–12)."))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("set by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField(_("set at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("visit rhythm")
        verbose_name_plural = _("visit rhythms")
        ordering = ["county_id", "-year"]
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="visitrhythm_one_per_county_year")]

    def __str__(self):
        return f"{self.county_id} · {self.year} · {self.period}"


class Visit(models.Model):
    """A 挂牌督导 visit to a school: when, by whom, what was looked at, the 督导记录 and the
    督导意见 left with the school. Findings may be written from it (Finding.visit)."""

    school = models.ForeignKey(
        "inspections.School", verbose_name=_("school"), on_delete=models.PROTECT, related_name="visits"
    )
    inspector = models.ForeignKey(
        "inspections.Inspector", verbose_name=_("inspector"), on_delete=models.PROTECT, related_name="visits"
    )
    # The zone the school was in on the day (the school may move zones later).
    zone = models.ForeignKey(
        "inspections.InspectorZone",
        verbose_name=_("zone"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
    )
    visited_on = models.DateField(_("visited on"))
    topics = models.JSONField(_("looked at"), default=list, blank=True)
    record = models.TextField(_("record of the visit"))
    opinion = models.TextField(_("opinion for the school"), blank=True)
    # The occurrence of the rhythm it fulfils (an Assignment of kind "visit"), when there is one.
    obligation = models.ForeignKey(
        "tracking.Assignment",
        verbose_name=_("obligation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    submission_key = models.UUIDField(_("submission key"), default=uuid.uuid4, unique=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-id"]
        indexes = [
            models.Index(fields=["school", "visited_on"], name="visit_school_day_idx"),
            models.Index(fields=["inspector", "visited_on"], name="visit_inspector_day_idx"),
        ]

    def __str__(self):
        return f"{self.school} · {self.visited_on}"

    def get_absolute_url(self):
        return reverse("inspections:visit_detail", args=[self.pk])


class VisitTally(models.Model):
    """How many 挂牌督导 visits a county's schools owe for a year by a due date (withdrawn
    ones left out) and how many of them were made (accepted): the visit obligations counted
    per county and due date, so that a province's or a round's coverage reads a few hundred
    rows, not the tens of thousands of obligations behind them.

    Kept by the database (triggers on tracking_assignment, inspections migration 0005), so
    that every write of an obligation counts: the services', bulk loads', the admin's."""

    county = models.ForeignKey(
        "organisation.County", verbose_name=_("county"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    due_date = models.DateField(_("due date"))
    owed = models.PositiveIntegerField(_("visits owed"), default=0)
    made = models.PositiveIntegerField(_("visits made"), default=0)

    class Meta:
        verbose_name = _("visit tally")
        verbose_name_plural = _("visit tallies")
        constraints = [
            models.UniqueConstraint(fields=["county", "year", "due_date"], name="visittally_one_per_county_day"),
            models.CheckConstraint(condition=models.Q(made__lte=models.F("owed")), name="visittally_made_of_owed"),
        ]

    def __str__(self):
        return f"{self.county_id} · {self.due_date}: {self.made}/{self.owed}"
