"""The domain of a 工作要点: offices, the divisions they supervise, plans and their parts."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

ALL_MONTHS_MASK = (1 << 12) - 1


def months_to_mask(months) -> int:
    mask = 0
    for month in months:
        mask |= 1 << (month - 1)
    return mask


def mask_to_months(mask: int) -> list[int]:
    return [month for month in range(1, 13) if mask & (1 << (month - 1))]


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
            models.CheckConstraint(
                condition=Q(level__in=["province", "city"]), name="region_level_valid"
            ),
        ]

    def __str__(self):
        return self.name


class County(models.Model):
    """A county-level division (县、县级市、区、旗) or a functional zone (新区、开发区) a notice can name."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("District")
        COUNTY = "county", _("County")
        COUNTY_CITY = "county_city", _("County-level city")
        BANNER = "banner", _("Banner")
        OTHER = "other", _("Other county-level division")
        FUNCTIONAL_ZONE = "zone", _("Functional zone")

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
        ordering = ["city__code", "code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="county_unique_code"
            ),
            models.UniqueConstraint(fields=["city", "name"], name="county_unique_name_per_city"),
            models.CheckConstraint(
                condition=Q(kind="zone") | ~Q(code=""), name="county_division_has_code"
            ),
        ]
        indexes = [models.Index(fields=["name"], name="county_name_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("plans:county_detail", args=[self.pk])

    @property
    def is_functional_zone(self) -> bool:
        return self.kind == self.Kind.FUNCTIONAL_ZONE


class CountyAlias(models.Model):
    """Another name a notice uses for a county that the genre's short-form rules do not derive."""

    county = models.ForeignKey(
        County, verbose_name=_("county"), on_delete=models.CASCADE, related_name="aliases"
    )
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


class Membership(models.Model):
    """What a user may do, and for which office (roles are scoped by office)."""

    class Role(models.TextChoices):
        STAFF = "staff", _("Bureau staff")
        COUNTY = "county", _("County office")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="membership",
    )
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="members"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["staff", "county"]), name="membership_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.office} · {self.get_role_display()}"


class WorkPlan(models.Model):
    """One 工作要点 document of one office for one year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    office = models.ForeignKey(
        Office, verbose_name=_("issuing office"), on_delete=models.PROTECT, related_name="plans"
    )
    title = models.CharField(_("title"), max_length=255)
    notice_title = models.CharField(_("notice title"), max_length=255, blank=True)
    doc_number = models.CharField(_("document number"), max_length=64, blank=True)
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    plan_year = models.PositiveSmallIntegerField(_("plan year"))
    recipients = models.JSONField(_("recipients"), default=list, blank=True)
    cc = models.JSONField(_("copied to"), default=list, blank=True)
    notice_text = models.TextField(_("notice text"), blank=True)
    preamble = models.TextField(_("preamble"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    imprint = models.CharField(_("imprint"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    source_name = models.CharField(_("source file"), max_length=255, blank=True)
    source_text = models.TextField(_("original text"), blank=True)
    source_sha256 = models.CharField(_("source checksum"), max_length=64, blank=True)
    import_warnings = models.JSONField(_("import warnings"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("work plan")
        verbose_name_plural = _("work plans")
        ordering = ["-plan_year", "office__name", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "doc_number"],
                condition=~Q(doc_number=""),
                name="workplan_unique_doc_number_per_office",
            ),
            models.UniqueConstraint(
                fields=["source_sha256"],
                condition=~Q(source_sha256=""),
                name="workplan_unique_source",
            ),
            models.CheckConstraint(
                condition=Q(plan_year__gte=1949) & Q(plan_year__lte=2100),
                name="workplan_plan_year_range",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "archived"]),
                name="workplan_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="workplan_published_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["plan_year", "status"], name="workplan_year_status_idx"),
            models.Index(fields=["office", "plan_year"], name="workplan_office_year_idx"),
        ]

    def __str__(self):
        if self.doc_number:
            return f"{self.title}（{self.doc_number}）"
        return self.title

    def get_absolute_url(self):
        return reverse("plans:plan_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Section(models.Model):
    """A heading of the notice: 一、 (level 1) or （一） (level 2), in document order."""

    plan = models.ForeignKey(
        WorkPlan, verbose_name=_("work plan"), on_delete=models.CASCADE, related_name="sections"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent section"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    position = models.PositiveIntegerField(_("position"))
    level = models.PositiveSmallIntegerField(_("level"))
    label = models.CharField(_("label"), max_length=16, blank=True)
    heading = models.CharField(_("heading"), max_length=255)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="section_unique_position"),
            models.CheckConstraint(condition=Q(level__in=[1, 2]), name="section_level_valid"),
            models.CheckConstraint(condition=Q(position__gte=1), name="section_position_positive"),
        ]

    def __str__(self):
        return f"{self.label}{self.heading}"


class Task(models.Model):
    """A numbered work point of a plan."""

    plan = models.ForeignKey(
        WorkPlan, verbose_name=_("work plan"), on_delete=models.CASCADE, related_name="tasks"
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
    )
    number = models.PositiveIntegerField(_("number"))
    label = models.CharField(_("label as written"), max_length=32, blank=True)
    title = models.CharField(_("title"), max_length=255)
    text = models.TextField(_("full text"))
    lead_unit = models.CharField(_("lead unit"), max_length=255, blank=True)
    lead_office = models.ForeignKey(
        Office,
        verbose_name=_("lead office"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_tasks",
    )
    counties = models.ManyToManyField(
        County, verbose_name=_("target counties"), blank=True, related_name="tasks"
    )

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="task_unique_number_per_plan"),
            models.CheckConstraint(condition=Q(number__gte=1), name="task_number_positive"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class Project(models.Model):
    """A named multi-year project a plan carries besides its tasks (第X项工程)."""

    plan = models.ForeignKey(
        WorkPlan, verbose_name=_("work plan"), on_delete=models.CASCADE, related_name="projects"
    )
    number = models.PositiveIntegerField(_("number"))
    label = models.CharField(_("label as written"), max_length=32, blank=True)
    name = models.CharField(_("name"), max_length=255)
    goal = models.TextField(_("multi-year goal"), blank=True)
    annual_target = models.TextField(_("target for the plan year"), blank=True)
    text = models.TextField(_("full text"), blank=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"], name="project_unique_number_per_plan"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="project_number_positive"),
        ]

    def __str__(self):
        return f"{self.label or self.number}：{self.name}"


class ScheduleEntry(models.Model):
    """A line of the work calendar: when (as written, and normalised to months) and what."""

    class Granularity(models.TextChoices):
        TEN_DAY = "ten_day", _("Ten-day period")
        MONTH = "month", _("Month")
        QUARTER = "quarter", _("Quarter")
        HALF_YEAR = "half_year", _("Half year")
        YEAR = "year", _("Year")

    plan = models.ForeignKey(
        WorkPlan,
        verbose_name=_("work plan"),
        on_delete=models.CASCADE,
        related_name="schedule_entries",
    )
    task = models.ForeignKey(
        Task,
        verbose_name=_("task"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="schedule_entries",
    )
    position = models.PositiveIntegerField(_("position"))
    period = models.CharField(_("period as written"), max_length=64)
    start_month = models.PositiveSmallIntegerField(_("start month"))
    end_month = models.PositiveSmallIntegerField(_("end month"))
    # Bit n-1 set = the entry falls in month n; "5月、9月" is not June to August.
    months = models.PositiveSmallIntegerField(_("months"))
    granularity = models.CharField(_("granularity"), max_length=16, choices=Granularity.choices)
    text = models.TextField(_("text"))
    counties = models.ManyToManyField(
        County, verbose_name=_("target counties"), blank=True, related_name="schedule_entries"
    )

    class Meta:
        verbose_name = _("schedule entry")
        verbose_name_plural = _("schedule entries")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="schedule_unique_position"),
            models.CheckConstraint(
                condition=Q(start_month__gte=1) & Q(start_month__lte=12),
                name="schedule_start_month_range",
            ),
            models.CheckConstraint(
                condition=Q(end_month__gte=1) & Q(end_month__lte=12),
                name="schedule_end_month_range",
            ),
            models.CheckConstraint(
                condition=Q(start_month__lte=models.F("end_month")),
                name="schedule_start_before_end",
            ),
            models.CheckConstraint(
                condition=Q(months__gte=1) & Q(months__lte=ALL_MONTHS_MASK),
                name="schedule_months_mask_range",
            ),
            models.CheckConstraint(
                condition=Q(granularity__in=["ten_day", "month", "quarter", "half_year", "year"]),
                name="schedule_granularity_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["plan", "start_month"], name="schedule_plan_month_idx"),
        ]

    def __str__(self):
        return f"{self.period}：{self.text[:40]}"

    @property
    def month_list(self) -> list[int]:
        return mask_to_months(self.months)
