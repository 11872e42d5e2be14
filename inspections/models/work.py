"""Inspections (督导检查) and what they produce: checklists from the office's templates, the
counties' 自查自评 answers, findings on site, 整改 items and the follow-up that closes them.

What a county owes because of them is a tracking.Assignment of a kind registered in
inspections.kinds (自查自评 for an inspection, 整改 for a rectification item): the county sees
it in its portal, reports on it with evidence and staff review it as they review plan work."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from supervision.history import HistoricalRecords
from tracking.models import StoredFile


class InspectionKind(models.TextChoices):
    SPECIAL = "special", _("Special inspection")  # 专项督导
    COMPREHENSIVE = "comprehensive", _("Comprehensive inspection")  # 综合督导
    EVALUATION = "evaluation", _("Evaluation or acceptance")  # 督导评估 / 验收
    ROUTINE = "routine", _("Routine visit")  # 挂牌督导 (经常性督导)
    RANDOM = "random", _("Random or unannounced check")  # 随机抽查 / 暗访
    FOLLOW_UP = "follow_up", _("Rectification follow-up")  # 整改情况督查


INSPECTION_KINDS = [value for value, _label in InspectionKind.choices]


class ChecklistTemplate(models.Model):
    """An office's checklist for one kind of inspection: copied into each new inspection of the
    kind, where it may be changed for that inspection alone."""

    office = models.ForeignKey(
        "organisation.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="checklist_templates"
    )
    kind = models.CharField(_("kind of inspection"), max_length=16, choices=InspectionKind.choices)
    name = models.CharField(_("name"), max_length=128)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ["office_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["office", "kind"], name="checklisttemplate_one_per_kind"),
            models.CheckConstraint(condition=Q(kind__in=INSPECTION_KINDS), name="checklisttemplate_kind_valid"),
        ]

    def __str__(self):
        return self.name


class ChecklistEntry(models.Model):
    """What an item of a checklist says, in a template and in an inspection's copy of it."""

    position = models.PositiveIntegerField(_("position"))
    section = models.CharField(_("section"), max_length=128, blank=True)
    title = models.TextField(_("item"))
    guidance = models.TextField(_("what to look at"), blank=True)
    evidence = models.TextField(_("evidence to ask for"), blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.title


class ChecklistTemplateItem(ChecklistEntry):
    template = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("template"), on_delete=models.CASCADE, related_name="items"
    )

    class Meta:
        verbose_name = _("checklist template item")
        verbose_name_plural = _("checklist template items")
        ordering = ["template_id", "position", "id"]


class Inspection(models.Model):
    """A 督导检查 an office carries out: of a kind, for one or more plan tasks, on dates, by a team,
    in counties and schools, against a checklist.

    Its course (《教育督导条例》第二十–二十二条): prepared → counties' 自查自评 (when asked) → on
    site → findings fed back and 整改 issued → closed once the report is out."""

    Kind = InspectionKind

    class Status(models.TextChoices):
        PREPARING = "preparing", _("Preparing")
        SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
        ON_SITE = "on_site", _("On site")
        RECTIFICATION = "rectification", _("Feedback and rectification")
        CLOSED = "closed", pgettext_lazy("inspection stage", "Closed")

    office = models.ForeignKey(
        "organisation.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="inspections"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("purpose and scope"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PREPARING)
    starts_on = models.DateField(_("on site from"))
    ends_on = models.DateField(_("on site until"))
    # 自查自评 asked of the counties before the visit, due on this date (none: not asked).
    self_assessment_due = models.DateField(_("self-assessment due"), null=True, blank=True)
    # The plan tasks it carries out; a task's page shows them (and a revised plan's task, through
    # its key, still does).
    tasks = models.ManyToManyField("plans.Task", verbose_name=_("plan tasks"), blank=True, related_name="inspections")
    counties = models.ManyToManyField(
        "organisation.County", verbose_name=_("counties"), blank=True, related_name="inspections"
    )
    schools = models.ManyToManyField(
        "inspections.School", verbose_name=_("schools"), blank=True, related_name="inspections"
    )
    # 整改情况督查: the rectification items it goes back to check.
    follows_up = models.ManyToManyField(
        "inspections.Rectification",
        verbose_name=_("rectification items checked"),
        blank=True,
        related_name="follow_ups",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=INSPECTION_KINDS), name="inspection_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=["preparing", "self_assessment", "on_site", "rectification", "closed"]),
                name="inspection_status_valid",
            ),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="inspection_ends_after_start"),
            models.CheckConstraint(
                condition=Q(self_assessment_due=None) | Q(self_assessment_due__lte=models.F("starts_on")),
                name="inspection_self_assessment_before_visit",
            ),
            models.CheckConstraint(
                condition=Q(status="closed", closed_at__isnull=False) | (~Q(status="closed") & Q(closed_at=None)),
                name="inspection_closed_has_date",
            ),
        ]
        indexes = [models.Index(fields=["office", "year", "kind"], name="inspection_office_year_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("inspections:inspection_detail", args=[self.pk])


class InspectionMember(models.Model):
    """A member of the inspection's team (督导检查团): its leader, members, 督学 and staff of other
    科室. A member with an account (directly, or as a 督学) records findings for it."""

    class Role(models.TextChoices):
        LEADER = "leader", _("Leader")
        DEPUTY = "deputy", _("Deputy leader")
        MEMBER = "member", _("Member")

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="team"
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.MEMBER)
    name = models.CharField(_("name"), max_length=64)
    unit = models.CharField(_("unit"), max_length=128, blank=True)
    inspector = models.ForeignKey(
        "inspections.Inspector",
        verbose_name=_("inspector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["inspection_id", "role", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["leader", "deputy", "member"]), name="inspectionmember_role_valid"
            ),
            models.UniqueConstraint(
                fields=["inspection"], condition=Q(role="leader"), name="inspectionmember_one_leader"
            ),
        ]

    def __str__(self):
        return self.name


class ChecklistItem(ChecklistEntry):
    """An item of an inspection's checklist (copied from the office's template of its kind)."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="checklist"
    )

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["inspection_id", "position", "id"]


class ChecklistAnswer(models.Model):
    """A county's 自查自评 of one checklist item: how it rates itself and why. The evidence goes
    with the county's report on its self-assessment obligation."""

    class Rating(models.TextChoices):
        MET = "met", _("Met")
        PARTLY = "partly", _("Partly met")
        NOT_MET = "not_met", _("Not met")
        NOT_APPLICABLE = "n_a", _("Not applicable")

    item = models.ForeignKey(ChecklistItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="answers")
    county = models.ForeignKey(
        "organisation.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    rating = models.CharField(_("self-rating"), max_length=8, choices=Rating.choices)
    text = models.TextField(_("account"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("self-assessment answer")
        verbose_name_plural = _("self-assessment answers")
        ordering = ["item_id", "county_id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "county"], name="checklistanswer_one_per_county"),
            models.CheckConstraint(
                condition=Q(rating__in=["met", "partly", "not_met", "n_a"]), name="checklistanswer_rating_valid"
            ),
        ]

    def __str__(self):
        return f"{self.county_id} · {self.get_rating_display()}"


class Severity(models.TextChoices):
    MINOR = "minor", _("Minor")
    GENERAL = "general", _("General")
    SERIOUS = "serious", _("Serious")
    # 《挂牌督导办法》第五条: a hazard or emergency the inspector acts on at once.
    URGENT = "urgent", _("Urgent hazard")


class Finding(models.Model):
    """What was found at a county or one of its schools, on an inspection or a 挂牌督导 visit."""

    Severity = Severity

    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("inspection"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
    )
    visit = models.ForeignKey(
        "inspections.Visit",
        verbose_name=_("visit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
    )
    county = models.ForeignKey(
        "organisation.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    school = models.ForeignKey(
        "inspections.School",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
    )
    item = models.ForeignKey(
        ChecklistItem,
        verbose_name=_("checklist item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
    )
    text = models.TextField(_("what was found"))
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, default=Severity.GENERAL)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    # The form's key (a form sent twice after a dropped connection is one finding).
    submission_key = models.UUIDField(_("submission key"), default=uuid.uuid4, unique=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["county_id", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(inspection__isnull=False) | Q(visit__isnull=False), name="finding_has_source"
            ),
            models.CheckConstraint(
                condition=Q(severity__in=["minor", "general", "serious", "urgent"]), name="finding_severity_valid"
            ),
        ]
        indexes = [models.Index(fields=["inspection", "county"], name="finding_inspection_county_idx")]

    def __str__(self):
        return self.text[:60]


def finding_upload_to(instance, filename: str) -> str:
    # As for evidence: a random name outside the web root; the original name is kept in `name`.
    return f"findings/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class FindingFile(StoredFile):
    """A photo or file taken with a finding, served only through a view that checks who asks."""

    finding = models.ForeignKey(Finding, verbose_name=_("finding"), on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to=finding_upload_to)

    class Meta:
        verbose_name = _("finding file")
        verbose_name_plural = _("finding files")
        ordering = ["finding_id", "id"]


class Rectification(models.Model):
    """A 整改 item: a finding issued to a county (a school's, to the school's county) to put right
    by a deadline, with what counts as done. The county's obligation (kind "rectification") carries
    its deadline and state; closing it is 销号, and an item that needs a follow-up check closes only
    once an 整改情况督查 has confirmed it."""

    class Escalation(models.TextChoices):
        NONE = "", _("None")
        TALK = "talk", _("Accountability talk (约谈)")
        BULLETIN = "bulletin", _("Named in a bulletin (通报)")

    finding = models.OneToOneField(
        Finding, verbose_name=_("finding"), on_delete=models.PROTECT, related_name="rectification"
    )
    office = models.ForeignKey(
        "organisation.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="rectifications"
    )
    county = models.ForeignKey(
        "organisation.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    requirement = models.TextField(_("what is required"))
    done_when = models.TextField(_("what counts as done"), blank=True)
    needs_follow_up = models.BooleanField(_("closes after a follow-up check"), default=False)
    # Set by the 整改情况督查 that confirmed it on site.
    confirmed_by = models.ForeignKey(
        Inspection,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="confirmed",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    escalation = models.CharField(_("escalation"), max_length=8, choices=Escalation.choices, blank=True, default="")
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    escalation_note = models.TextField(_("note on escalation"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("issued at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        ordering = ["county_id", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(escalation__in=["", "talk", "bulletin"]), name="rectification_escalation_valid"
            ),
            models.CheckConstraint(
                condition=Q(escalation="", escalated_at=None) | (~Q(escalation="") & Q(escalated_at__isnull=False)),
                name="rectification_escalated_has_date",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_by=None, confirmed_at=None)
                | Q(confirmed_by__isnull=False, confirmed_at__isnull=False),
                name="rectification_confirmed_has_date",
            ),
        ]
        indexes = [models.Index(fields=["office", "year", "county"], name="rectification_office_year_idx")]

    def __str__(self):
        return self.requirement[:60]

    def get_absolute_url(self):
        return reverse("inspections:rectification_detail", args=[self.pk])
