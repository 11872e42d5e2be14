"""Supervised work: what a published plan gives each county to do, and what the county reports.

Publishing a plan sends an assignment per (task or calendar line, county); a county
acknowledges it (签收) and reports on it, staff accept a report or return it. A revision
updates the open assignments and never touches a report.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisation.models import County, Office
from plans.models.plans import ScheduleEntry, Task, WorkPlan
from supervision.history import HistoricalRecords


class AssignmentQuerySet(models.QuerySet):
    def overdue(self, today):
        return self.filter(Assignment.overdue_q(today))


class Assignment(models.Model):
    """What a county owes an office by a date: one obligation, of a kind (tracking.kinds).

    Plan work, the first kind, is one task, or one calendar line of a task, sent to one county
    (one obligation per occurrence of recurring work); other kinds name what they concern by a
    generic subject. Every kind shares the portal, the reports and their evidence, the review,
    the reminders, the urgency rule and the dashboards, which read `office`, `year` and `kind`.
    """

    class Kind(models.TextChoices):
        PLAN_WORK = "plan_work", _("Plan work")
        # inspections.kinds
        SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
        RECTIFICATION = "rectification", _("Rectification item")
        VISIT = "visit", _("School visit")
        # evaluation.kinds
        EVALUATION = "evaluation", _("Evaluation self-assessment")

    class State(models.TextChoices):
        ASSIGNED = "assigned", _("Not yet acknowledged")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        REPORTED = "reported", _("Reported, awaiting review")
        RETURNED = "returned", _("Returned for another report")
        ACCEPTED = "accepted", _("Accepted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # States in which the county still has work to do (schedule.urgency.OPEN_STATES).
    OPEN = (State.ASSIGNED, State.ACKNOWLEDGED, State.REPORTED, State.RETURNED)

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.PLAN_WORK)
    # Whom the county owes it to, and the work year: what the portal, the inbox and the
    # dashboards scope by, whatever the kind (for plan work: the plan's office and year).
    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="assignments",
        db_index=False,  # assignment_office_year_idx leads with it
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # Plan work only.
    plan = models.ForeignKey(
        WorkPlan,
        verbose_name=_("work plan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        db_index=False,  # assignment_plan_county_idx leads with it
    )
    # What an obligation of another kind concerns (a rectification item, a visit, …).
    subject_type = models.ForeignKey(
        ContentType, verbose_name=_("subject type"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(_("subject"), null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    # Both go to NULL when a revision removes the task or line: the assignment is withdrawn
    # first, and it keeps its label and every report.
    task = models.ForeignKey(
        Task,
        verbose_name=_("task"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
    )
    entry = models.ForeignKey(
        ScheduleEntry,
        verbose_name=_("calendar line"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
    )
    county = models.ForeignKey(
        County,
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="assignments",
        db_index=False,  # assignment_county_idx and assignment_county_id_idx lead with it
    )
    # Recurring work (每月, 每季度, …): which time this is, as schedule.recurrence keys it
    # (M03, Q2, …; empty for a single period), and its number of the year's count (第 3/12 次).
    occurrence = models.CharField(_("occurrence"), max_length=8, blank=True, default="")
    occurrence_number = models.PositiveSmallIntegerField(_("occurrence number"), default=0)
    occurrence_count = models.PositiveSmallIntegerField(_("occurrences in the year"), default=0)
    # What the county is asked, as it read when sent (task number and title, period and line).
    label = models.TextField(_("what"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.ASSIGNED)
    due_date = models.DateField(_("due date"))
    # The date the rules gave, kept when staff move the due date, so the change can be undone.
    due_date_rule = models.DateField(_("due date by the rules"))
    due_date_reason = models.TextField(_("reason for the due date"), blank=True)
    # The official calendar did not cover the year: working days are weekdays only.
    due_date_approximate = models.BooleanField(_("due date from weekdays only"), default=False)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The latest report's account of the work (未开始 / 进行中 / 已完成), for the dashboards.
    progress = models.CharField(_("progress"), max_length=16, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_note = models.TextField(_("note on closing"), blank=True)

    # The history is read one assignment at a time (by id, in date order); an index on each of
    # its foreign keys would only cost every publication ~100 rows' worth of index writes.
    # history_user keeps its index: deleting a user sets it to NULL here.
    history = HistoricalRecords(
        no_db_index=["office", "plan", "subject_type", "task", "entry", "county", "acknowledged_by"]
    )
    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["due_date", "id"]
        constraints = [
            # One assignment per calendar line, county and occurrence of recurring work, and per
            # task and county for a task sent without calendar lines; a revision reopens a
            # withdrawn one, never duplicates.
            models.UniqueConstraint(
                fields=["entry", "county", "occurrence"],
                condition=Q(entry__isnull=False),
                name="assignment_unique_entry_county_occurrence",
            ),
            models.CheckConstraint(
                condition=Q(occurrence="", occurrence_number=0, occurrence_count=0)
                | (
                    ~Q(occurrence="") & Q(occurrence_number__gte=1, occurrence_number__lte=models.F("occurrence_count"))
                ),
                name="assignment_occurrence_numbered",
            ),
            # …and per subject, county, year and occurrence for the other kinds (a school owes
            # its March visit every year).
            models.UniqueConstraint(
                fields=["kind", "subject_type", "subject_id", "county", "year", "occurrence"],
                condition=Q(subject_type__isnull=False),
                name="assignment_unique_subject_county_occurrence",
            ),
            models.UniqueConstraint(
                fields=["task", "county"],
                condition=Q(entry__isnull=True) & Q(task__isnull=False),
                name="assignment_unique_task_county",
            ),
            # A kind is added with its migration, which widens this list (tracking.kinds).
            models.CheckConstraint(
                condition=Q(kind__in=["plan_work", "self_assessment", "rectification", "visit", "evaluation"]),
                name="assignment_kind_valid",
            ),
            # Plan work comes from a plan; every other kind from its subject.
            models.CheckConstraint(
                condition=Q(kind="plan_work", plan__isnull=False, subject_type__isnull=True, subject_id__isnull=True)
                | (
                    ~Q(kind="plan_work")
                    & Q(plan__isnull=True, task__isnull=True, entry__isnull=True)
                    & Q(subject_type__isnull=False, subject_id__isnull=False)
                ),
                name="assignment_source_by_kind",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["assigned", "acknowledged", "reported", "returned", "accepted", "withdrawn"]),
                name="assignment_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(state="assigned") | Q(state="withdrawn") | Q(acknowledged_at__isnull=False),
                name="assignment_acknowledged_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["accepted", "withdrawn"]) | Q(closed_at__isnull=False),
                name="assignment_closed_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["county", "state", "due_date"], name="assignment_county_idx"),
            models.Index(fields=["plan", "county"], name="assignment_plan_county_idx"),
            models.Index(fields=["office", "year", "state"], name="assignment_office_year_idx"),
            # A county's obligations of one kind and year falling due by a day (the visit coverage
            # of the inspection and province dashboards): without it the county's every obligation
            # due by then, plan work of all years included, is read and filtered, so the page
            # grows with the years kept. It carries the state, the school and the id, so that
            # those dashboards count visits owed from the index alone (PostgreSQL): a province's
            # 30,000 of a year took 17–19 ms of the database's CPU read from the table, 10–13.
            models.Index(
                fields=["county", "kind", "year", "due_date"],
                include=["state", "subject_id", "id"],
                name="assignment_county_kind_idx",
            ),
            # A county's or an office's obligations in id order: the API's cursor pages walk these
            # rather than the whole primary key (180–220 ms a page at national scale without).
            models.Index(fields=["county", "id"], name="assignment_county_id_idx"),
            models.Index(fields=["office", "id"], name="assignment_office_id_idx"),
            # The county list counts each listed county's plan work (all, and open) among the
            # plans the user reads: plan work is a tenth of a county's obligations (school
            # visits are most of them), and this index answers the counts without the table
            # (48,000 → 4,600 buffers for a page of 50 counties at national scale).
            models.Index(
                fields=["county", "plan", "state"], condition=Q(plan__isnull=False), name="assignment_county_plan_idx"
            ),
        ]

    def __str__(self):
        return f"{self.county} · {self.label}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN

    @property
    def obligation_kind(self):
        """Its kind's entry in tracking.kinds: how it names its source, what reports it takes."""
        from tracking.kinds import kind_of

        return kind_of(self)

    @property
    def source_label(self) -> str:
        """What it comes from, as lists name it (for plan work: the plan's title)."""
        return self.obligation_kind.source_label(self)

    @property
    def source_url(self) -> str | None:
        return self.obligation_kind.source_url(self)

    @classmethod
    def overdue_q(cls, today) -> Q:
        """schedule.urgency.is_overdue in SQL: open, and due before today."""
        return Q(state__in=cls.OPEN, due_date__lt=today)


class ProgressReport(models.Model):
    """A county's account of an assignment; every report is kept, and staff review each."""

    class Progress(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    class Review(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.PROTECT, related_name="reports"
    )
    # The assignment's office, copied when the report is written (an assignment never changes
    # office): the menu's 待办 on every page counts an office's reports awaiting review from
    # the small index below, instead of probing each of the office's assignments of every year.
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    progress = models.CharField(_("progress"), max_length=16, choices=Progress.choices)
    text = models.TextField(_("account"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    # The form's key, bound to the assignment and the author (services.reports): a form sent
    # again (a retry after a lost answer, a double-click) is one report.
    submission_key = models.UUIDField(_("submission key"), default=uuid.uuid4, unique=True)
    review = models.CharField(_("review"), max_length=16, choices=Review.choices, default=Review.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["assignment_id", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__in=["not_started", "in_progress", "done"]),
                name="report_progress_valid",
            ),
            models.CheckConstraint(
                condition=Q(review="pending") | Q(reviewed_at__isnull=False),
                name="report_reviewed_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["review", "created_at"], name="report_review_idx"),
            # The menu's 待办 on every page probes each of an office's assignments (thousands
            # at national scale) for reports awaiting review: a small index of those alone,
            # with their author, answers each probe without reading the table.
            models.Index(
                fields=["assignment"],
                include=["author"],
                condition=Q(review="pending"),
                name="report_pending_idx",
            ),
            # The menu's 待办 on every page: an office's reports awaiting review and their
            # authors (not counted for themselves), read from the index alone.
            models.Index(
                fields=["office"],
                include=["author"],
                condition=Q(review="pending"),
                name="report_pending_office_idx",
            ),
        ]

    def __str__(self):
        return f"{self.assignment_id} · {self.get_progress_display()}"


def evidence_upload_to(instance, filename: str) -> str:
    # A random name, outside the web root: the original name is kept in `name`, never a path.
    return f"evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class StoredFile(models.Model):
    """An upload kept after tracking.services.reports.evidence_check passed it: under a random
    name (the subclass's `file`), its original name, type, size and checksum beside it."""

    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("checksum"), max_length=64)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name


class EvidenceFile(StoredFile):
    """A file a county attached to a report, served only through a view that checks who asks."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("report"), on_delete=models.PROTECT, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=evidence_upload_to)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["report_id", "id"]


class Reminder(models.Model):
    """A reminder (催办) e-mailed to a county: at most one automatic reminder a county a day."""

    class Kind(models.TextChoices):
        AUTOMATIC = "automatic", _("Automatic")
        MANUAL = "manual", _("Sent by staff")

    county = models.ForeignKey(County, verbose_name=_("county"), on_delete=models.PROTECT, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    sent_on = models.DateField(_("sent on"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recipients = models.JSONField(_("recipients"), default=list)
    assignments = models.ManyToManyField(Assignment, verbose_name=_("assignments"), related_name="reminders")
    message = models.TextField(_("message"))

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "sent_on"],
                condition=Q(kind="automatic"),
                name="reminder_one_automatic_a_day",
            ),
        ]

    def __str__(self):
        return f"{self.county} · {self.sent_on}"
