"""评估考核: what is scored (an indicator sheet of 一级/二级/三级指标), who is scored in a round
(participants: counties, 督学责任区 or schools), their scores item by item (self, initial,
reviewed), the published results with their numbered revisions, and objections (申诉).

Scores are exact: Decimal fields, summed as Decimal (evaluation.scoring), never float."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

POINTS = {"max_digits": 7, "decimal_places": 2}


class IndicatorSheet(models.Model):
    """An office's indicator system (指标体系) for one kind of evaluation and year."""

    office = models.ForeignKey(
        "organisation.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="indicator_sheets"
    )
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    note = models.TextField(_("note"), blank=True)
    copied_from = models.ForeignKey(
        "self", verbose_name=_("copied from"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("indicator sheet")
        verbose_name_plural = _("indicator sheets")
        ordering = ["-year", "title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["office", "year", "title"], name="indicatorsheet_unique_title"),
        ]

    def __str__(self):
        return f"{self.year} {self.title}"

    def get_absolute_url(self):
        return reverse("evaluation:sheet_detail", args=[self.pk])


class Indicator(models.Model):
    """One indicator of a sheet: a 一级/二级 heading, or a scored item (an indicator without
    children) with its points, how it is scored and the evidence it needs."""

    class Method(models.TextChoices):
        POINTS = "points", _("Points by rule")  # 按标准赋分
        YES_NO = "yes_no", _("Yes or no")  # 达标得满分，否则不得分
        SCALE = "scale", _("Scale")  # 等级赋分 (A/B/C/D as shares of the points)
        DEDUCTION = "deduction", _("Deductions")  # 扣分制: full points less deductions

    class Source(models.TextChoices):
        """A figure the app itself holds, filling the score of an item automatically."""

        NONE = "", _("Scored by people")
        PLAN_COMPLETION = "plan_completion", _("Completion rate of plan work")
        RECTIFICATION_ON_TIME = "rectification_on_time", _("Rectification closed on time")
        VISIT_COVERAGE = "visit_coverage", _("School visit coverage")

    sheet = models.ForeignKey(
        IndicatorSheet, verbose_name=_("sheet"), on_delete=models.CASCADE, related_name="indicators"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    level = models.PositiveSmallIntegerField(_("level"))
    # Order in the sheet, depth first (a heading before its items).
    position = models.PositiveIntegerField(_("position"))
    code = models.CharField(_("number"), max_length=16, blank=True)
    title = models.CharField(_("indicator"), max_length=500)
    points = models.DecimalField(_("points"), **POINTS, default=Decimal("0"))
    method = models.CharField(_("scoring method"), max_length=16, choices=Method.choices, default=Method.POINTS)
    rule = models.TextField(_("scoring rule"), blank=True)  # 评分标准
    evidence = models.TextField(_("evidence required"), blank=True)  # 佐证材料
    # SCALE: the levels and their share of the points, e.g. [["A", "1"], ["B", "0.8"], ["C", "0.6"]].
    scale = models.JSONField(_("scale levels"), default=list, blank=True)
    # 一票否决: a participant failing it is graded 不合格 whatever its total.
    veto = models.BooleanField(_("veto item"), default=False)
    source = models.CharField(_("filled from"), max_length=32, choices=Source.choices, blank=True, default="")

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["sheet_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "position"], name="indicator_unique_position"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=3), name="indicator_level_valid"),
            models.CheckConstraint(condition=Q(points__gte=0), name="indicator_points_not_negative"),
            models.CheckConstraint(
                condition=Q(method__in=["points", "yes_no", "scale", "deduction"]), name="indicator_method_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=["", "plan_completion", "rectification_on_time", "visit_coverage"]),
                name="indicator_source_valid",
            ),
            models.CheckConstraint(
                condition=Q(parent=None, level=1) | Q(parent__isnull=False, level__gte=2), name="indicator_level_parent"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}".strip()


class EvaluationRound(models.Model):
    """One evaluation of a year: a sheet, who is scored, its calendar and its stage."""

    class Target(models.TextChoices):
        COUNTY = "county", _("Counties")
        ZONE = "zone", _("Inspector zones")
        SCHOOL = "school", _("Schools")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Preparing")
        SELF_ASSESSMENT = "self", pgettext_lazy("evaluation stage", "Self-assessment")  # 自评, not 自查自评
        SCORING = "scoring", _("Scoring")
        REVIEW = "review", pgettext_lazy("evaluation stage", "Review")  # 复核, not a plan's 审核
        PUBLISHED = "published", _("Published")

    office = models.ForeignKey(
        "organisation.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="evaluation_rounds"
    )
    sheet = models.ForeignKey(
        IndicatorSheet, verbose_name=_("indicator sheet"), on_delete=models.PROTECT, related_name="rounds"
    )
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    target = models.CharField(_("who is scored"), max_length=8, choices=Target.choices, default=Target.COUNTY)
    status = models.CharField(_("stage"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    # The calendar.
    self_assessment_due = models.DateField(pgettext_lazy("evaluation", "self-assessment due"), null=True, blank=True)
    scoring_from = models.DateField(_("on-site scoring from"), null=True, blank=True)
    scoring_until = models.DateField(_("on-site scoring until"), null=True, blank=True)
    review_due = models.DateField(_("review due"), null=True, blank=True)
    publish_on = models.DateField(_("publication planned"), null=True, blank=True)
    objection_days = models.PositiveSmallIntegerField(_("objection window (working days)"), default=5)
    # Set on publication: when, and the last day an objection may be raised.
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    objection_until = models.DateField(_("objections until"), null=True, blank=True)
    # The grades' thresholds (a total at or above): 优秀, 良好, 合格; below: 不合格.
    excellent_min = models.DecimalField(_("excellent from"), **POINTS, default=Decimal("90"))
    good_min = models.DecimalField(_("good from"), **POINTS, default=Decimal("80"))
    pass_min = models.DecimalField(_("pass from"), **POINTS, default=Decimal("60"))
    # The published results' revision: 1 on publication, one more per correction.
    revision = models.PositiveSmallIntegerField(_("revision"), default=0)
    # Last year's round of the same evaluation, for the comparison.
    previous = models.ForeignKey(
        "self", verbose_name=_("previous round"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        ordering = ["-year", "title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["office", "year", "title"], name="evaluationround_unique_title"),
            models.CheckConstraint(
                condition=Q(target__in=["county", "zone", "school"]), name="evaluationround_target_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "self", "scoring", "review", "published"]),
                name="evaluationround_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(excellent_min__gte=F("good_min"), good_min__gte=F("pass_min"), pass_min__gte=0),
                name="evaluationround_thresholds_ordered",
            ),
            models.CheckConstraint(
                condition=Q(scoring_from=None) | Q(scoring_until=None) | Q(scoring_until__gte=F("scoring_from")),
                name="evaluationround_scoring_dates_ordered",
            ),
            # Published results carry their date, their objection window and a revision.
            models.CheckConstraint(
                condition=~Q(status="published")
                | Q(published_at__isnull=False, objection_until__isnull=False, revision__gte=1),
                name="evaluationround_published_dated",
            ),
        ]
        indexes = [models.Index(fields=["office", "year"], name="evaluationround_office_year")]

    def __str__(self):
        return f"{self.year} {self.title}"

    def get_absolute_url(self):
        return reverse("evaluation:round_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Participant(models.Model):
    """Who is scored in a round: a county, or one of its 督学责任区 or schools (the county's
    office then answers for it). Its totals, grade and rank are kept as computed when the
    scores were last saved (evaluation.scoring), so the ranking reads one row per participant."""

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", _("Excellent")  # 优秀
        GOOD = "good", _("Good")  # 良好
        PASS = "pass", _("Pass")  # 合格
        FAIL = "fail", _("Fail")  # 不合格

    round = models.ForeignKey(
        EvaluationRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="participants"
    )
    county = models.ForeignKey(
        "organisation.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    zone = models.ForeignKey(
        "inspections.InspectorZone",
        verbose_name=_("zone"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    school = models.ForeignKey(
        "inspections.School",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    self_total = models.DecimalField(_("self-assessed total"), **POINTS, null=True, blank=True)
    total = models.DecimalField(_("total"), **POINTS, null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=12, choices=Grade.choices, blank=True, default="")
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    vetoed = models.BooleanField(_("failed a veto item"), default=False)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["round_id", "rank", "county_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "county"], condition=Q(zone=None, school=None), name="participant_one_per_county"
            ),
            models.UniqueConstraint(
                fields=["round", "zone"], condition=Q(zone__isnull=False), name="participant_one_per_zone"
            ),
            models.UniqueConstraint(
                fields=["round", "school"], condition=Q(school__isnull=False), name="participant_one_per_school"
            ),
            models.CheckConstraint(condition=Q(zone=None) | Q(school=None), name="participant_zone_or_school"),
            models.CheckConstraint(
                condition=Q(grade__in=["", "excellent", "good", "pass", "fail"]), name="participant_grade_valid"
            ),
        ]
        indexes = [models.Index(fields=["round", "rank"], name="participant_round_rank")]

    def __str__(self):
        if self.school_id:
            return str(self.school)
        if self.zone_id:
            return str(self.zone)
        return str(self.county)

    def get_absolute_url(self):
        return reverse("evaluation:participant_detail", args=[self.pk])


class Score(models.Model):
    """A participant's score on one scored indicator: its own (自评), the inspectors' (初评)
    with a reason, and a second reviewer's (复核) when given; the final score is the reviewed
    one, or else the initial one."""

    participant = models.ForeignKey(
        Participant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="scores"
    )
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+")
    self_score = models.DecimalField(_("self-assessed score"), **POINTS, null=True, blank=True)
    self_note = models.TextField(_("self-assessment note"), blank=True)
    score = models.DecimalField(_("score"), **POINTS, null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scored by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)
    # The inspection whose visit gathered the evidence for this score.
    inspection = models.ForeignKey(
        "inspections.Inspection",
        verbose_name=_("inspection"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    review_score = models.DecimalField(_("reviewed score"), **POINTS, null=True, blank=True)
    review_reason = models.TextField(_("review reason"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    # On a veto item (一票否决): the participant failed it, and is graded 不合格 whatever its total.
    veto_failed = models.BooleanField(_("veto item failed"), default=False)
    # For an item filled from the app's own figures: the figure and its definition as used.
    figure = models.CharField(_("figure used"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["participant", "indicator"], name="score_one_per_indicator"),
            models.CheckConstraint(
                condition=(Q(self_score=None) | Q(self_score__gte=0))
                & (Q(score=None) | Q(score__gte=0))
                & (Q(review_score=None) | Q(review_score__gte=0)),
                name="score_not_negative",
            ),
            # Every score given by a person carries its reason.
            models.CheckConstraint(condition=Q(score=None) | ~Q(reason=""), name="score_with_reason"),
            models.CheckConstraint(
                condition=Q(review_score=None) | ~Q(review_reason=""), name="score_review_with_reason"
            ),
        ]

    def __str__(self):
        return f"{self.participant_id}/{self.indicator_id}: {self.final}"

    @property
    def final(self) -> Decimal | None:
        return self.review_score if self.review_score is not None else self.score


class ResultRevision(models.Model):
    """The published results as they stood at one revision: 1 on publication, then one per
    correction with its reason (as a plan's revisions)."""

    round = models.ForeignKey(
        EvaluationRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveSmallIntegerField(_("revision"))
    reason = models.TextField(_("reason"))
    # participant id → {"total": "87.50", "grade": "good", "rank": 3}, as published then.
    results = models.JSONField(_("results"), default=dict)
    created_at = models.DateTimeField(_("published at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("results revision")
        verbose_name_plural = _("results revisions")
        ordering = ["round_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="resultrevision_unique_number"),
            models.CheckConstraint(
                condition=Q(number__gte=1) & ~Q(reason=""), name="resultrevision_numbered_with_reason"
            ),
        ]

    def __str__(self):
        return f"{self.round} r{self.number}"


class Objection(models.Model):
    """A county's objection (申诉) to its published results, on one item or the whole sheet,
    raised within the round's window and answered by the office's staff."""

    class Outcome(models.TextChoices):
        UPHELD = "upheld", _("Upheld: the score is corrected")
        PARTLY = "partly", _("Partly upheld")
        REJECTED = "rejected", _("Rejected: the score stands")

    participant = models.ForeignKey(
        Participant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="objections"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("objection"))
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("raised by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True, default="")
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-raised_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="objection_not_empty"),
            # Open, or answered with an outcome, a text and a date.
            models.CheckConstraint(
                condition=Q(outcome="", answer="", answered_at=None)
                | (Q(outcome__in=["upheld", "partly", "rejected"], answered_at__isnull=False) & ~Q(answer="")),
                name="objection_answered_whole",
            ),
        ]

    def __str__(self):
        return self.text[:40]

    @property
    def is_open(self) -> bool:
        return not self.outcome
