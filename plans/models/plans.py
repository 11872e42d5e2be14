"""The domain of a 工作要点: a plan, its revisions and lifecycle, and its parts.

A plan's parts (sections, tasks, projects, calendar lines) carry a `key` that survives
re-imports and revisions: a row is updated in place, so whatever points at a task (an
assignment, a report) keeps pointing at it.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisation.models import County, Office
from plans.textsearch import plan_search_grams, search_grams
from supervision.history import HistoricalRecords

ALL_MONTHS_MASK = (1 << 12) - 1


def months_to_mask(months) -> int:
    mask = 0
    for month in months:
        mask |= 1 << (month - 1)
    return mask


def mask_to_months(mask: int) -> list[int]:
    return [month for month in range(1, 13) if mask & (1 << (month - 1))]


class WorkPlan(models.Model):
    """One 工作要点 document of one office for one year.

    Its lifecycle: draft → in review → published → archived. A published plan is frozen; it
    changes through a revision: a draft copy (`revision_of` points at the published plan) that,
    once published, is written onto the plan in place and recorded as a PlanRevision.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    # Issued documents: readable beyond the issuing office.
    ISSUED = (Status.PUBLISHED, Status.ARCHIVED)
    # States in which the content may still change.
    EDITABLE = (Status.DRAFT,)
    # The years a plan may be for (workplan_plan_year_range), and so the years pages may ask for.
    YEARS = range(1949, 2101)

    office = models.ForeignKey(Office, verbose_name=_("issuing office"), on_delete=models.PROTECT, related_name="plans")
    title = models.TextField(_("title"))
    notice_title = models.TextField(_("notice title"), blank=True)
    doc_number = models.CharField(_("document number"), max_length=64, blank=True)
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    plan_year = models.PositiveSmallIntegerField(_("plan year"))
    recipients = models.JSONField(_("recipients"), default=list, blank=True)
    cc = models.JSONField(_("copied to"), default=list, blank=True)
    notice_text = models.TextField(_("notice text"), blank=True)
    preamble = models.TextField(_("preamble"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    imprint = models.TextField(_("imprint"), blank=True)
    projects_first = models.BooleanField(
        _("projects before the work points"),
        default=False,
        help_text=_("The notice lists its projects before its sections and tasks."),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    # Optimistic locking: every write to the plan or its parts increments it, and a save based
    # on an older number is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    # For a published plan, its latest revision; for a draft revision, the number it will get.
    revision = models.PositiveSmallIntegerField(_("revision"), default=0)
    revision_of = models.OneToOneField(
        "self",
        verbose_name=_("revision of"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="revision_draft",
    )
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
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    # The runs of one to four characters of its tasks' titles and texts (plans.textsearch), kept
    # by every write of its tasks: the plan list finds the plans whose tasks can hold a word
    # among the plans (GIN index on PostgreSQL), not among every task. Bookkeeping: a list
    # defers it.
    search_grams = models.TextField(_("search grams"), blank=True, default="", editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at", "search_grams"])

    class Meta:
        verbose_name = _("work plan")
        verbose_name_plural = _("work plans")
        ordering = ["-plan_year", "-id"]
        constraints = [
            # A draft revision carries the 文号 of the plan it revises until it replaces it.
            models.UniqueConstraint(
                fields=["office", "doc_number"],
                condition=~Q(doc_number="") & Q(revision_of__isnull=True),
                name="workplan_unique_doc_number_per_office",
            ),
            models.CheckConstraint(
                condition=Q(plan_year__gte=1949) & Q(plan_year__lte=2100),
                name="workplan_plan_year_range",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "in_review", "published", "archived"]),
                name="workplan_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "in_review"]) | Q(published_at__isnull=False),
                name="workplan_published_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="archived") | Q(archived_at__isnull=False),
                name="workplan_archived_has_date",
            ),
            # A draft revision is published by writing it onto its plan, never on its own.
            models.CheckConstraint(
                condition=Q(revision_of__isnull=True) | Q(status__in=["draft", "in_review"]),
                name="workplan_revision_draft_unpublished",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="workplan_version_positive"),
        ]
        indexes = [
            # Every column the plan list's and the county list's year counts read (the plans of
            # the viewer's offices, or issued; not drafts of revisions): counted from the index
            # alone, not from the wide rows.
            models.Index(
                fields=["plan_year", "status", "office", "revision_of", "id"], name="workplan_year_visible_idx"
            ),
            models.Index(fields=["office", "plan_year"], name="workplan_office_year_idx"),
        ]

    def __str__(self):
        if self.doc_number:
            return f"{self.title}（{self.doc_number}）"
        return self.title

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is None and not self._state.adding and not kwargs.get("force_insert"):
            # Its grams are written with its tasks only: a plan read before its tasks changed
            # must not put back the old ones.
            deferred = self.get_deferred_fields()
            update_fields = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "search_grams" and f.attname not in deferred
            ]
        super().save(*args, update_fields=update_fields, **kwargs)

    def get_absolute_url(self):
        return reverse("plans:plan_detail", args=[self.pk])

    @property
    def is_issued(self) -> bool:
        return self.status in self.ISSUED

    def search_grams_refresh(self) -> None:
        """Its grams from its tasks as they are in the database, saved."""
        self.search_grams = plan_search_grams(self.tasks.order_by().values_list("title", "text"))
        WorkPlan.objects.filter(pk=self.pk).update(search_grams=self.search_grams)


def source_upload_to(instance, filename: str) -> str:
    # A random name: the original name is kept in `name`, never trusted as a path.
    suffix = "".join(c for c in filename.rsplit(".", 1)[-1].lower() if c.isalnum())[:8]
    return f"sources/{timezone.now():%Y}/{uuid.uuid4().hex}.{suffix or 'bin'}"


class PlanSource(models.Model):
    """The issued document a plan was imported from: the file as uploaded, its text, the
    parser's warnings. Staff of the issuing office read it; nobody else does."""

    plan = models.OneToOneField(WorkPlan, verbose_name=_("work plan"), on_delete=models.CASCADE, related_name="source")
    name = models.CharField(_("file name"), max_length=255, blank=True)
    file = models.FileField(_("original file"), upload_to=source_upload_to, blank=True)
    text = models.TextField(_("text read"))
    sha256 = models.CharField(_("text checksum"), max_length=64)
    warnings = models.JSONField(_("import warnings"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        verbose_name = _("plan source")
        verbose_name_plural = _("plan sources")
        constraints = [
            # The same document imported twice (or by two people at once) makes one plan.
            models.UniqueConstraint(fields=["sha256"], name="plansource_unique_text"),
        ]

    def __str__(self):
        return self.name or str(self.plan)


class PlanRevision(models.Model):
    """What a plan was when it was published for the n-th time: readable forever."""

    plan = models.ForeignKey(WorkPlan, verbose_name=_("work plan"), on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField(_("revision"))
    doc_number = models.CharField(_("document number"), max_length=64, blank=True)
    note = models.TextField(_("revision note"), blank=True)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The plan and all its parts as published (plans.services.content.plan_snapshot).
    snapshot = models.JSONField(_("content"))

    class Meta:
        verbose_name = _("plan revision")
        verbose_name_plural = _("plan revisions")
        ordering = ["plan_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="planrevision_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="planrevision_number_positive"),
        ]

    def __str__(self):
        return f"{self.plan} · r{self.number}"

    def get_absolute_url(self):
        return reverse("plans:revision_detail", args=[self.plan_id, self.number])


class Section(models.Model):
    """A heading of the notice: 一、 (level 1) or （一） (level 2), in document order."""

    plan = models.ForeignKey(WorkPlan, verbose_name=_("work plan"), on_delete=models.CASCADE, related_name="sections")
    key = models.UUIDField(_("key"), default=uuid.uuid4, editable=False)
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
    heading = models.TextField(_("heading"))
    text = models.TextField(_("text"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["plan_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="section_unique_position"),
            models.UniqueConstraint(fields=["plan", "key"], name="section_unique_key"),
            models.CheckConstraint(condition=Q(level__in=[1, 2]), name="section_level_valid"),
            models.CheckConstraint(condition=Q(position__gte=1), name="section_position_positive"),
        ]

    def __str__(self):
        return f"{self.label}{self.heading}"


class Task(models.Model):
    """A numbered work point of a plan."""

    plan = models.ForeignKey(WorkPlan, verbose_name=_("work plan"), on_delete=models.CASCADE, related_name="tasks")
    key = models.UUIDField(_("key"), default=uuid.uuid4, editable=False)
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
    title = models.TextField(_("title"))
    text = models.TextField(_("full text"))
    lead_unit = models.TextField(_("lead unit"), blank=True)
    lead_office = models.ForeignKey(
        Office,
        verbose_name=_("lead office"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_tasks",
    )
    # 各县（市、区）…: the task goes to every county of the issuing office's region.
    addresses_all_counties = models.BooleanField(_("addressed to all counties"), default=False)
    # Names that look like places of the region (XX高新区) the division table does not know:
    # kept as written until staff link them to a zone or add the zone.
    unconfirmed_places = models.JSONField(_("unconfirmed places"), default=list, blank=True)
    counties = models.ManyToManyField(
        County,
        verbose_name=_("target counties"),
        blank=True,
        through="TaskTarget",
        related_name="tasks",
    )
    # The title's and text's characters and pairs of characters (plans.textsearch), kept by
    # save() and by every bulk write: a search for a word of one or two characters reads the
    # index over them (PostgreSQL), not every task.
    search_grams = models.TextField(_("search grams"), blank=True, default="", editable=False)

    # The grams follow from the title and text: the history has those.
    history = HistoricalRecords(excluded_fields=["search_grams"])

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["plan_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="task_unique_number_per_plan"),
            models.UniqueConstraint(fields=["plan", "key"], name="task_unique_key"),
            models.CheckConstraint(condition=Q(number__gte=1), name="task_number_positive"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def save(self, *args, update_fields=None, **kwargs):
        refresh = update_fields is None or bool({"title", "text"} & set(update_fields))
        if refresh:
            self.search_grams_refresh()
            if update_fields is not None:
                update_fields = {*update_fields, "search_grams"}
        super().save(*args, update_fields=update_fields, **kwargs)
        if refresh:
            # The plan's grams are its tasks' union: a task saved on its own keeps them true
            # (the content services write tasks in bulk and refresh the plan once).
            WorkPlan(pk=self.plan_id).search_grams_refresh()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        WorkPlan(pk=self.plan_id).search_grams_refresh()
        return result

    def search_grams_refresh(self) -> None:
        self.search_grams = search_grams(self.title, self.text)


class Project(models.Model):
    """A named multi-year project a plan carries besides its tasks (第X项工程)."""

    plan = models.ForeignKey(WorkPlan, verbose_name=_("work plan"), on_delete=models.CASCADE, related_name="projects")
    key = models.UUIDField(_("key"), default=uuid.uuid4, editable=False)
    number = models.PositiveIntegerField(_("number"))
    label = models.CharField(_("label as written"), max_length=32, blank=True)
    heading = models.TextField(_("heading as written"), blank=True)
    name = models.TextField(_("name"))
    goal = models.TextField(_("multi-year goal"), blank=True)
    annual_target = models.TextField(_("target for the plan year"), blank=True)
    text = models.TextField(_("full text"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["plan_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="project_unique_number_per_plan"),
            models.UniqueConstraint(fields=["plan", "key"], name="project_unique_key"),
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
    key = models.UUIDField(_("key"), default=uuid.uuid4, editable=False)
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
    # The day of end_month the period states (1月31日前 → 31, 3月中旬 → 20, 6月底前 → 31, read
    # as the month's last day); empty when it states none (3月, 二季度).
    deadline_day = models.PositiveSmallIntegerField(_("deadline day"), null=True, blank=True)
    text = models.TextField(_("text"))
    lead_unit = models.TextField(_("lead unit"), blank=True)
    unconfirmed_places = models.JSONField(_("unconfirmed places"), default=list, blank=True)
    counties = models.ManyToManyField(
        County,
        verbose_name=_("target counties"),
        blank=True,
        through="EntryTarget",
        related_name="schedule_entries",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("schedule entry")
        verbose_name_plural = _("schedule entries")
        ordering = ["plan_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="schedule_unique_position"),
            models.UniqueConstraint(fields=["plan", "key"], name="schedule_unique_key"),
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
            models.CheckConstraint(
                condition=Q(deadline_day__isnull=True) | (Q(deadline_day__gte=1) & Q(deadline_day__lte=31)),
                name="schedule_deadline_day_range",
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


class TaskTarget(models.Model):
    """A county a task names: it has something to do there."""

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="targets")
    county = models.ForeignKey(County, verbose_name=_("county"), on_delete=models.PROTECT, related_name="task_targets")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("task target")
        verbose_name_plural = _("task targets")
        constraints = [
            models.UniqueConstraint(fields=["task", "county"], name="tasktarget_unique"),
        ]
        indexes = [models.Index(fields=["county", "task"], name="tasktarget_county_idx")]

    def __str__(self):
        return f"{self.task_id} → {self.county_id}"


class EntryTarget(models.Model):
    """A county a calendar line names."""

    entry = models.ForeignKey(
        ScheduleEntry,
        verbose_name=_("schedule entry"),
        on_delete=models.CASCADE,
        related_name="targets",
    )
    county = models.ForeignKey(County, verbose_name=_("county"), on_delete=models.PROTECT, related_name="entry_targets")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("schedule entry target")
        verbose_name_plural = _("schedule entry targets")
        constraints = [
            models.UniqueConstraint(fields=["entry", "county"], name="entrytarget_unique"),
        ]
        indexes = [models.Index(fields=["county", "entry"], name="entrytarget_county_idx")]

    def __str__(self):
        return f"{self.entry_id} → {self.county_id}"


class PlanCounty(models.Model):
    """Index: the counties a plan gives something to do (its tasks' and calendar lines'
    targets, and every county of the region for a task addressed to all of them).

    Written by plans.services.content whenever targets change, so that "the plans that name
    county X" is one indexed join.
    """

    plan = models.ForeignKey(
        WorkPlan, verbose_name=_("work plan"), on_delete=models.CASCADE, related_name="county_index"
    )
    county = models.ForeignKey(County, verbose_name=_("county"), on_delete=models.PROTECT, related_name="plan_index")

    class Meta:
        verbose_name = _("plan county")
        verbose_name_plural = _("plan counties")
        constraints = [
            models.UniqueConstraint(fields=["plan", "county"], name="plancounty_unique"),
        ]
        indexes = [models.Index(fields=["county", "plan"], name="plancounty_county_idx")]

    def __str__(self):
        return f"{self.plan_id} → {self.county_id}"


class FeedToken(models.Model):
    """The secret in a user's calendar-feed (iCalendar) address; renewing it revokes the old.
    Only its SHA-256 is kept: the addresses are shown once, when they are made."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="feed_token",
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")

    def __str__(self):
        return f"{self.user} · {self.created_at:%Y-%m-%d}"
