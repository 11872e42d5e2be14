"""Who and where: the divisions offices cover, the offices, and their members."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from supervision.history import HistoricalRecords


class Region(models.Model):
    """A province- or prefecture-level division (省、地级市): what a city or provincial office covers."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("Prefecture-level city")

    code = models.CharField(_("division code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=64)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(level__in=["province", "city"]), name="region_level_valid"),
        ]

    def __str__(self):
        return self.name


class County(models.Model):
    """A county-level division (县、县级市、区、旗) or a functional zone (新区、开发区) a notice can name."""

    class Kind(models.TextChoices):
        # "County" as a kind (县) is not "county" as any county-level division (县（市、区）).
        DISTRICT = "district", pgettext_lazy("division kind", "District")
        COUNTY = "county", pgettext_lazy("division kind", "County")
        COUNTY_CITY = "county_city", pgettext_lazy("division kind", "County-level city")
        BANNER = "banner", pgettext_lazy("division kind", "Banner")
        OTHER = "other", pgettext_lazy("division kind", "Other county-level division")
        FUNCTIONAL_ZONE = "zone", pgettext_lazy("division kind", "Functional zone")

    # Functional zones have no national division code.
    code = models.CharField(_("division code"), max_length=6, blank=True)
    name = models.CharField(_("name"), max_length=64)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    city = models.ForeignKey(
        Region,
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        related_name="counties",
    )

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        # The division code begins with the city's: no join to order by city.
        ordering = ["code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="county_unique_code"),
            models.UniqueConstraint(fields=["city", "name"], name="county_unique_name_per_city"),
            models.CheckConstraint(condition=Q(kind="zone") | ~Q(code=""), name="county_division_has_code"),
        ]
        indexes = [models.Index(fields=["name"], name="county_name_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("tracking:county_detail", args=[self.pk])

    @property
    def is_functional_zone(self) -> bool:
        return self.kind == self.Kind.FUNCTIONAL_ZONE


class CountyAlias(models.Model):
    """Another name a notice uses for a county that the genre's short-form rules do not derive."""

    county = models.ForeignKey(County, verbose_name=_("county"), on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("alias"), max_length=64)

    class Meta:
        verbose_name = _("county alias")
        verbose_name_plural = _("county aliases")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="county_alias_unique"),
        ]

    def __str__(self):
        return f"{self.name} → {self.county.name}"


class Office(models.Model):
    """An issuing or receiving body: a supervision office or education bureau at some level."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        COUNTY = "county", _("County")

    name = models.CharField(_("name"), max_length=128, unique=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region covered"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offices",
    )
    county = models.ForeignKey(
        County,
        verbose_name=_("county covered"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offices",
    )

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["name"]
        constraints = [
            # A county office covers its county; a city or provincial office covers a region.
            models.CheckConstraint(
                condition=(Q(level="county") & Q(county__isnull=False))
                | (Q(level__in=["province", "city"]) & Q(county__isnull=True)),
                name="office_covers_its_level",
            ),
        ]

    def __str__(self):
        return self.name


class OfficeAlias(models.Model):
    """Another name under which an office issues notices (…督导室 one year, …督导委员会办公室 the next)."""

    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("alias"), max_length=128, unique=True)

    class Meta:
        verbose_name = _("office alias")
        verbose_name_plural = _("office aliases")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} → {self.office.name}"


class Membership(models.Model):
    """A user's role in one office. A user may belong to several offices, one role in each."""

    class Role(models.TextChoices):
        EDITOR = "editor", _("Editor")
        REVIEWER = "reviewer", _("Reviewer")
        VIEWER = "viewer", _("Viewer")
        COUNTY = "county", _("County office")

    # Roles of the staff of an issuing office; COUNTY is a county's own office receiving work.
    BUREAU_ROLES = (Role.EDITOR, Role.REVIEWER, Role.VIEWER)
    # The office head reviews and may also edit; a viewer only reads.
    EDITING_ROLES = (Role.EDITOR, Role.REVIEWER)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="members")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["user_id", "office_id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "office"], name="membership_unique_office"),
            models.CheckConstraint(
                condition=Q(role__in=["editor", "reviewer", "viewer", "county"]),
                name="membership_role_valid",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.office} · {self.get_role_display()}"

    def clean(self):
        # The county role is a county's office receiving work; any office may also have staff
        # of its own (a county office issues plans too).
        if self.office_id is None or self.role != self.Role.COUNTY:
            return
        if self.office.level != Office.Level.COUNTY:
            raise ValidationError(
                {"role": ValidationError(_("Only a county's office has the county role."), code="role_level")}
            )


class CountyContact(models.Model):
    """Whom a county's supervision office (督导室) is reached through: reminders (催办) go to
    this e-mail address, besides its members' own. Kept by the county and by the offices that
    send it work."""

    county = models.OneToOneField(County, verbose_name=_("county"), on_delete=models.CASCADE, related_name="contact")
    name = models.CharField(_("contact person"), max_length=64, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("county office contact")
        verbose_name_plural = _("county office contacts")
        ordering = ["county_id"]

    def __str__(self):
        return f"{self.county} · {self.name or self.email}"
