"""通报 and 年度工作总结: what an office issues about its counties' work over a period, drafted from
the data (bulletins.drafting) and then edited as text. The body keeps each paragraph's text and
the figures it was drafted from (label, value, source page), as they were that day."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Bulletin(models.Model):
    class Kind(models.TextChoices):
        BULLETIN = "bulletin", _("Bulletin")  # 通报
        YEAR_SUMMARY = "summary", _("Year summary")  # 年度工作总结

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        ISSUED = "issued", _("Issued")

    office = models.ForeignKey(
        "organisation.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="bulletins"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.BULLETIN)
    title = models.CharField(_("title"), max_length=255)
    year = models.PositiveSmallIntegerField(_("year"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    counties = models.ManyToManyField(
        "organisation.County", verbose_name=_("counties covered"), related_name="+", blank=True
    )
    # The counties a paragraph names: they read the bulletin once issued.
    named_counties = models.ManyToManyField(
        "organisation.County", verbose_name=_("counties named"), related_name="named_in_bulletins", blank=True
    )
    round = models.ForeignKey(
        "evaluation.EvaluationRound",
        verbose_name=_("evaluation round"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    # {"sections": [{"heading": …, "paragraphs": [{"key": …, "text": …, "figures": [{label, value, url}]}]}]}
    body = models.JSONField(_("body"), default=dict)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    doc_number = models.CharField(_("document number"), max_length=64, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-year", "-created_at", "-pk"]
        constraints = [
            # The 文号 sequence is the office's of the year (inspections.documents.document_number_take).
            models.UniqueConstraint(fields=["office", "year", "number"], name="bulletin_unique_number"),
            models.CheckConstraint(
                condition=~Q(status="issued")
                | (Q(number__isnull=False) & ~Q(doc_number="") & Q(issued_at__isnull=False)),
                name="bulletin_issued_numbered",
            ),
            models.CheckConstraint(
                condition=Q(status="issued") | (Q(number=None) & Q(doc_number="")),
                name="bulletin_numbered_only_issued",
            ),
            models.CheckConstraint(condition=Q(status__in=["draft", "review", "issued"]), name="bulletin_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=["bulletin", "summary"]), name="bulletin_kind_valid"),
            models.CheckConstraint(condition=Q(period_start__lte=models.F("period_end")), name="bulletin_period_order"),
        ]
        indexes = [models.Index(fields=["office", "year"], name="bulletin_office_year")]

    def __str__(self):
        return f"{self.doc_number} {self.title}".strip()

    def get_absolute_url(self):
        return reverse("bulletins:bulletin_detail", args=[self.pk])

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED


class BulletinParagraphTemplate(models.Model):
    """The text a drafted paragraph starts from, with named placeholders ({county}, {rate}, …):
    an office's own, or (no office) the site's in place of the default shipped in code
    (bulletins.paragraphs.DEFAULTS)."""

    office = models.ForeignKey(
        "organisation.Office",
        verbose_name=_("office"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="bulletin_paragraphs",
    )
    key = models.CharField(_("paragraph"), max_length=32)
    text = models.TextField(_("text"))
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("bulletin paragraph template")
        verbose_name_plural = _("bulletin paragraph templates")
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["office", "key"], name="bulletinparagraph_one_per_key"),
            models.UniqueConstraint(fields=["key"], condition=Q(office=None), name="bulletinparagraph_one_default"),
        ]

    def __str__(self):
        return f"{self.office or '—'} · {self.key}"
