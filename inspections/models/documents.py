"""The documents an inspection issues: the 督导意见书 to each county, the 整改通知书 and the
督导报告, numbered in the office's own 文号 sequence per year and printed from a Word template
the office may replace."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    OPINION = "opinion", _("Inspection opinion")  # 督导意见书
    RECTIFICATION_NOTICE = "notice", _("Rectification notice")  # 整改通知书
    REPORT = "report", _("Inspection report")  # 督导报告


DOCUMENT_KINDS = [value for value, _label in DocumentKind.choices]


class DocumentSeries(models.Model):
    """An office's 文号 prefix for what it issues (镇教督 → 镇教督〔2026〕3号)."""

    office = models.OneToOneField(
        "organisation.Office", verbose_name=_("office"), on_delete=models.CASCADE, related_name="document_series"
    )
    prefix = models.CharField(_("document number prefix"), max_length=32)

    class Meta:
        verbose_name = _("document number series")
        verbose_name_plural = _("document number series")

    def __str__(self):
        return self.prefix


def template_upload_to(instance, filename: str) -> str:
    return f"document-templates/{instance.kind}-{timezone.now():%Y%m%d%H%M%S}.docx"


class DocumentTemplate(models.Model):
    """A Word template for one kind of document, the office's own or (no office) everyone's."""

    office = models.ForeignKey(
        "organisation.Office",
        verbose_name=_("office"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="document_templates",
    )
    # Any kind registered in inspections.documents (template_kind_register), this app's or another's.
    kind = models.CharField(_("kind"), max_length=16)
    file = models.FileField(_("Word template"), upload_to=template_upload_to)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        constraints = [
            models.UniqueConstraint(fields=["office", "kind"], name="documenttemplate_one_per_kind"),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(office=None), name="documenttemplate_one_default_per_kind"
            ),
        ]

    def __str__(self):
        from inspections.documents import template_kind_choices

        return f"{self.office or '—'} · {dict(template_kind_choices()).get(self.kind, self.kind)}"


class IssuedDocument(models.Model):
    """A document issued for an inspection, with its number; its text is kept as issued."""

    Kind = DocumentKind

    inspection = models.ForeignKey(
        "inspections.Inspection", verbose_name=_("inspection"), on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=DocumentKind.choices)
    # The county it is addressed to (none for the 督导报告).
    county = models.ForeignKey(
        "organisation.County",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    office = models.ForeignKey(
        "organisation.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    doc_number = models.CharField(_("document number"), max_length=64)
    title = models.CharField(_("title"), max_length=255)
    # What the document said when issued: its paragraphs and tables, as rendered then.
    content = models.JSONField(_("content"), default=dict)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["inspection_id", "kind", "county_id"]
        constraints = [
            models.UniqueConstraint(fields=["office", "year", "number"], name="issueddocument_unique_number"),
            models.UniqueConstraint(
                fields=["inspection", "kind", "county"],
                name="issueddocument_one_per_county",
                condition=Q(county__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["inspection", "kind"], name="issueddocument_one_report", condition=Q(county=None)
            ),
            models.CheckConstraint(condition=Q(kind__in=DOCUMENT_KINDS), name="issueddocument_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind="report", county=None) | (~Q(kind="report") & Q(county__isnull=False)),
                name="issueddocument_county_by_kind",
            ),
        ]

    def __str__(self):
        return f"{self.doc_number} {self.title}"

    def get_absolute_url(self):
        return reverse("inspections:document_detail", args=[self.pk])
