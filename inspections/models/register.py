"""The register: schools per county, 督学 (inspectors), 督学责任区 (zones) and the dated
assignments of schools to zones and their responsible inspector.

Inspections, visits and rectification (issue 18's later sections) hang off these: a visit
names a school and an inspector, an inspection the counties and schools it visits."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from supervision.history import HistoricalRecords


class School(models.Model):
    """A school of a county's register. Closed and merged schools stay, with their history."""

    class Kind(models.TextChoices):
        KINDERGARTEN = "kindergarten", _("Kindergarten")
        PRIMARY = "primary", _("Primary school")
        JUNIOR = "junior", _("Junior secondary school")
        NINE_YEAR = "nine_year", _("Nine-year school")
        SENIOR = "senior", _("Senior secondary school")
        COMPLETE = "complete", _("Complete secondary school")
        TWELVE_YEAR = "twelve_year", _("Twelve-year school")
        SPECIAL = "special", _("Special education school")
        VOCATIONAL = "vocational", _("Secondary vocational school")

    class Ownership(models.TextChoices):
        PUBLIC = "public", _("Public")
        PRIVATE = "private", _("Private")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        MERGED = "merged", _("Merged")

    # "中心小学以上学校全覆盖": central primary schools and every school from junior secondary up.
    KEY_KINDS = (Kind.JUNIOR, Kind.NINE_YEAR, Kind.SENIOR, Kind.COMPLETE, Kind.TWELVE_YEAR)

    county = models.ForeignKey(
        "organisation.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="schools"
    )
    name = models.CharField(_("name"), max_length=128)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    ownership = models.CharField(_("ownership"), max_length=8, choices=Ownership.choices, default=Ownership.PUBLIC)
    is_central = models.BooleanField(_("central school"), default=False, help_text=_("A 中心校 of its township."))
    address = models.CharField(_("address"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    status_date = models.DateField(_("closed or merged on"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["county_id", "name", "id"]
        constraints = [
            # Names repeat only among closed schools (a new school may take an old one's name).
            models.UniqueConstraint(
                fields=["county", "name"],
                condition=Q(status="open"),
                name="school_unique_open_name_per_county",
                violation_error_message=_("An open school of this county already has this name."),
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "kindergarten",
                        "primary",
                        "junior",
                        "nine_year",
                        "senior",
                        "complete",
                        "twelve_year",
                        "special",
                        "vocational",
                    ]
                ),
                name="school_kind_valid",
            ),
            models.CheckConstraint(condition=Q(ownership__in=["public", "private"]), name="school_ownership_valid"),
            models.CheckConstraint(condition=Q(status__in=["open", "closed", "merged"]), name="school_status_valid"),
            # A merged school names its successor, and only a merged one does.
            models.CheckConstraint(
                condition=Q(status="merged", merged_into__isnull=False) | (~Q(status="merged") & Q(merged_into=None)),
                name="school_merged_names_successor",
            ),
            # A closed or merged school says since when; an open one has no such date.
            models.CheckConstraint(
                condition=Q(status="open", status_date=None) | (~Q(status="open") & Q(status_date__isnull=False)),
                name="school_status_date",
            ),
            models.CheckConstraint(condition=~Q(merged_into=models.F("id")), name="school_not_merged_into_itself"),
        ]
        indexes = [models.Index(fields=["county", "status", "name"], name="school_county_status_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("inspections:school_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_key(self) -> bool:
        """Counted in "中心小学以上学校全覆盖"."""
        return self.kind in self.KEY_KINDS or (self.kind == self.Kind.PRIMARY and self.is_central)


def key_school_q(prefix: str = "") -> Q:
    """The schools "中心小学以上学校全覆盖" counts, as a filter (on School, or through `prefix`)."""
    return Q(**{f"{prefix}kind__in": School.KEY_KINDS}) | Q(
        **{f"{prefix}kind": School.Kind.PRIMARY, f"{prefix}is_central": True}
    )


class Inspector(models.Model):
    """A 督学 of a county: full-time (专职) or part-time (兼职), from some unit. A 督学 may get an
    account; the role that account signs in with comes with the visits."""

    class Kind(models.TextChoices):
        FULL_TIME = "full_time", _("Full-time")
        PART_TIME = "part_time", _("Part-time")

    county = models.ForeignKey(
        "organisation.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="inspectors"
    )
    name = models.CharField(_("name"), max_length=64)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.PART_TIME)
    unit = models.CharField(_("unit"), max_length=128, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inspector",
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inspector")
        verbose_name_plural = _("inspectors")
        ordering = ["county_id", "name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["full_time", "part_time"]), name="inspector_kind_valid"),
        ]

    def __str__(self):
        return self.name


class InspectorZone(models.Model):
    """A 督学责任区: a county's group of schools and their responsible inspector (责任督学)."""

    county = models.ForeignKey(
        "organisation.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="inspector_zones"
    )
    name = models.CharField(_("name"), max_length=64)
    inspector = models.ForeignKey(
        Inspector,
        verbose_name=_("responsible inspector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="zones",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inspector zone")
        verbose_name_plural = _("inspector zones")
        ordering = ["county_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "name"],
                name="zone_unique_name_per_county",
                violation_error_message=_("The county already has a zone of this name."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("inspections:zone_detail", args=[self.pk])


class ZoneAssignment(models.Model):
    """A school in a zone under a responsible inspector, from one day until another: the open row
    (no end) is the school's present 责任督学; ended rows are its history. A new inspector for
    the zone, or the school moving zones, ends the row and opens another."""

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="assignments")
    zone = models.ForeignKey(
        InspectorZone, verbose_name=_("zone"), on_delete=models.PROTECT, related_name="assignments"
    )
    inspector = models.ForeignKey(
        Inspector,
        verbose_name=_("responsible inspector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("zone assignment")
        verbose_name_plural = _("zone assignments")
        ordering = ["school_id", "-started_on", "-id"]
        constraints = [
            # One responsible inspector (one zone) per school at a time.
            models.UniqueConstraint(fields=["school"], condition=Q(ended_on=None), name="zoneassignment_one_open"),
            models.CheckConstraint(
                condition=Q(ended_on=None) | Q(ended_on__gte=models.F("started_on")),
                name="zoneassignment_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["zone"], condition=Q(ended_on=None), name="zoneassignment_open_zone_idx"),
        ]

    def __str__(self):
        return f"{self.school} · {self.zone}"
