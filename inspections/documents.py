"""The documents an inspection issues: the 督导意见书 to each county visited, the 整改通知书 of a
county's rectification items, and the 督导报告 across counties.

Issuing one numbers it in the office's own 文号 sequence of the year (镇教督〔2026〕3号), under a
lock on the office's DocumentSeries row so that two issuers never take one number, and keeps its
text as issued (IssuedDocument.content: the paragraphs and tables, as they read that day): what
changes afterwards (a finding edited, an item closed) never changes a document already out.

The text is the official document's, in Chinese whatever the reader's language (as the plan's
workbook headers are). The same content prints as an HTML page and fills a Word template
(docxtpl: Jinja2 tags in the .docx, rendered in Jinja2's sandbox), the office's own when it has
uploaded one (DocumentTemplate), else the site's, else the default shipped in inspections/docx/.
"""

import datetime
import io
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Max, Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import log_action
from inspections import actions
from inspections.models import (
    DocumentKind,
    DocumentSeries,
    DocumentTemplate,
    Finding,
    Inspection,
    InspectionMember,
    IssuedDocument,
    Rectification,
    Severity,
)
from organisation.models import County
from schedule.numerals import int_to_cn
from supervision.localtime import site_today
from tracking.models import Assignment
from tracking.services.reports import DOCX, evidence_check

DEFAULTS_DIR = Path(__file__).resolve().parent / "docx"
# An uploaded template: at most this large (a letterhead with a logo is some tens of kilobytes).
TEMPLATE_MAX_BYTES = 5 * 1024 * 1024

# What a template may use: {{ office }}, {{ doc_number }}, … (and each section's heading,
# paragraphs and table: headers and rows). Shown in the admin beside the upload.
TEMPLATE_FIELDS = ("office", "doc_number", "title", "recipient", "date", "sections", "kind", "year", "number")

error_messages = {
    "no_series": _(
        "%(office)s has no document number prefix (文号) yet: set it under “Document number series” in the "
        "administration before issuing documents."
    ),
    "already_issued": _("The %(kind)s for %(county)s has already been issued as %(number)s."),
    "report_issued": _("The inspection report has already been issued as %(number)s."),
    "county_required": _("Choose the county the document is addressed to."),
    "county_not_visited": _("%(county)s is not one of the counties this inspection visits."),
    "not_yet": _("Documents are issued once the inspection has been on site; it is still %(status)s."),
    "no_rectification": _("No rectification item has been issued to %(county)s: there is no notice to send."),
    "template_broken": _(
        "The Word template “%(template)s” could not be filled in (%(reason)s). Correct it or upload another "
        "in the administration; the document itself is issued and prints as a page."
    ),
    "template_not_docx": _("The file is not a Word document (.docx)."),
    "template_too_large": _("The template is larger than %(limit)s."),
}

# Official wording of the kinds and severities, in Chinese as the documents are written.
KIND_WORDS = {
    Inspection.Kind.SPECIAL: "专项督导",
    Inspection.Kind.COMPREHENSIVE: "综合督导",
    Inspection.Kind.EVALUATION: "督导评估",
    Inspection.Kind.ROUTINE: "挂牌督导",
    Inspection.Kind.RANDOM: "随机抽查",
    Inspection.Kind.FOLLOW_UP: "整改情况督查",
}
SEVERITY_WORDS = {
    Severity.URGENT: "紧急隐患",
    Severity.SERIOUS: "严重",
    Severity.GENERAL: "一般",
    Severity.MINOR: "轻微",
}
# Most serious first, as the report's table reads.
SEVERITY_ORDER = [Severity.URGENT, Severity.SERIOUS, Severity.GENERAL, Severity.MINOR]
DOCUMENT_WORDS = {
    DocumentKind.OPINION: "督导意见书",
    DocumentKind.RECTIFICATION_NOTICE: "整改通知书",
    DocumentKind.REPORT: "督导报告",
}
COUNTY_KINDS = (DocumentKind.OPINION, DocumentKind.RECTIFICATION_NOTICE)


def _error(code: str, **params) -> ValidationError:
    return ValidationError(error_messages[code], code=code, params=params)


def cn_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def document_title(inspection_title: str, kind: str) -> str:
    """…专项督导意见书, …专项督导报告: the inspection's title and the document's name, without
    saying 督导 twice."""
    word = DOCUMENT_WORDS[kind]
    if inspection_title.endswith("督导") and word.startswith("督导"):
        word = word[2:]
    return f"{inspection_title}{word}"


def doc_number_format(*, prefix: str, year: int, number: int) -> str:
    """镇教督〔2026〕3号: the office's prefix, the year in 六角括号, the number of the year."""
    return f"{prefix}〔{year}〕{number}号"


# --- What a document says ------------------------------------------------------------------------


def _section(heading: str = "", paragraphs=(), table: dict | None = None) -> dict:
    return {"heading": heading, "paragraphs": list(paragraphs), "table": table}


def _rectification_obligations(item_ids: list[int]) -> dict[int, Assignment]:
    """The county's obligation of each 整改 item (its deadline and state), by item."""
    if not item_ids:
        return {}
    content_type = ContentType.objects.get_for_model(Rectification)
    return {
        assignment.subject_id: assignment
        for assignment in Assignment.objects.filter(
            kind=Assignment.Kind.RECTIFICATION, subject_type=content_type, subject_id__in=item_ids
        )
        .exclude(state=Assignment.State.WITHDRAWN)
        .only("subject_id", "due_date", "state", "closed_at")
    }


def _facts(inspection: Inspection) -> list[str]:
    """The inspection's facts as the documents state them: its purpose, its team."""
    paragraphs = [line.strip() for line in inspection.description.splitlines() if line.strip()]
    team = list(inspection.team.all())
    leaders = [m.name for m in team if m.role == InspectionMember.Role.LEADER]
    others = [m.name for m in team if m.role != InspectionMember.Role.LEADER]
    if leaders or others:
        parts = []
        if leaders:
            parts.append(f"督导组组长：{'、'.join(leaders)}")
        if others:
            parts.append(f"成员：{'、'.join(others)}")
        paragraphs.append("；".join(parts) + "。")
    return paragraphs


def _when(inspection: Inspection) -> str:
    if inspection.starts_on == inspection.ends_on:
        return cn_date(inspection.starts_on)
    return f"{cn_date(inspection.starts_on)}至{cn_date(inspection.ends_on)}"


def _finding_line(number: int, finding: Finding) -> str:
    where = f"{finding.school.name}：" if finding.school_id else ""
    return f"{number}. {where}{finding.text.strip()}（{SEVERITY_WORDS.get(finding.severity, finding.severity)}）"


def _items_of(inspection: Inspection, county_id: int) -> list[Rectification]:
    return list(
        Rectification.objects.filter(finding__inspection=inspection, county_id=county_id)
        .select_related("finding__school")
        .order_by("created_at", "pk")
    )


def _opinion(inspection: Inspection, county, today: datetime.date) -> list[dict]:
    kind = KIND_WORDS.get(inspection.kind, inspection.get_kind_display())
    findings = list(
        Finding.objects.filter(inspection=inspection, county=county).select_related("school").order_by("created_at")
    )
    items = _items_of(inspection, county.pk)
    deadlines = _rectification_obligations([item.pk for item in items])
    schools = list(inspection.schools.filter(county=county).order_by("name").values_list("name", flat=True))
    facts = [
        f"根据工作安排，{inspection.office.name}于{_when(inspection)}对{county.name}开展了{kind}"
        f"（{inspection.title}）。现将督导意见反馈如下。"
    ]
    basics = _facts(inspection)
    if schools:
        basics.append(f"督导组实地督查了{'、'.join(schools)}（共{len(schools)}所学校）。")
    problems = [_finding_line(n, f) for n, f in enumerate(findings, 1)] or ["本次督导未发现需要整改的问题。"]
    demands = []
    for number, item in enumerate(items, 1):
        line = f"{number}. {item.requirement.strip()}"
        if item.done_when.strip():
            line += f"整改到位标准：{item.done_when.strip()}。"
        obligation = deadlines.get(item.pk)
        if obligation is not None:
            line += f"整改期限：{cn_date(obligation.due_date)}前。"
        demands.append(line)
    if demands:
        demands.append("请认真研究制定整改方案，按期整改到位，并通过督导工作台报送整改情况和佐证材料。")
    else:
        demands.append("请继续巩固督导成果，持续改进相关工作。")
    return [
        _section(paragraphs=facts),
        _section("一、基本情况", basics or ["（无）"]),
        _section("二、发现的主要问题", problems),
        _section("三、整改要求", demands),
    ]


def _notice(inspection: Inspection, county, today: datetime.date) -> list[dict]:
    kind = KIND_WORDS.get(inspection.kind, inspection.get_kind_display())
    items = _items_of(inspection, county.pk)
    if not items:
        raise _error("no_rectification", county=county.name)
    deadlines = _rectification_obligations([item.pk for item in items])
    rows = []
    for number, item in enumerate(items, 1):
        obligation = deadlines.get(item.pk)
        rows.append(
            [
                str(number),
                item.finding.text.strip(),
                item.requirement.strip(),
                item.done_when.strip() or "—",
                cn_date(obligation.due_date) if obligation is not None else "—",
            ]
        )
    return [
        _section(
            paragraphs=[
                f"{inspection.office.name}于{_when(inspection)}对{county.name}开展了{kind}（{inspection.title}）。"
                f"针对督导中发现的问题，现将整改事项通知如下，请按期整改到位："
            ]
        ),
        _section(table={"headers": ["序号", "发现的问题", "整改要求", "整改到位标准", "整改期限"], "rows": rows}),
        _section(
            paragraphs=[
                "请于整改期限内通过督导工作台报送整改情况和佐证材料，逐项销号。"
                "逾期未完成整改的，将按规定予以督办，必要时约谈或通报。"
            ]
        ),
    ]


def _report(inspection: Inspection, today: datetime.date) -> list[dict]:
    kind = KIND_WORDS.get(inspection.kind, inspection.get_kind_display())
    counties = list(inspection.counties.order_by("code", "name"))
    names = {county.pk: county.name for county in counties}
    by_severity: dict[int, Counter] = defaultdict(Counter)
    for county_id, severity, n in (
        Finding.objects.filter(inspection=inspection)
        .values_list("county_id", "severity")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        by_severity[county_id][severity] += n
    # A finding of a county the inspection no longer lists still counts, under its county.
    missing = set(by_severity) - set(names)
    if missing:
        names |= dict(County.objects.filter(pk__in=missing).order_by("code").values_list("pk", "name"))
    totals = Counter()
    for counter in by_severity.values():
        totals.update(counter)
    finding_rows = []
    for county_id, name in names.items():
        counter = by_severity.get(county_id, Counter())
        finding_rows.append([name, *[str(counter[s]) for s in SEVERITY_ORDER], str(sum(counter.values()))])
    finding_rows.append(["合计", *[str(totals[s]) for s in SEVERITY_ORDER], str(sum(totals.values()))])
    schools = inspection.schools.count()
    basics = [
        f"{_when(inspection)}，{inspection.office.name}组织开展了{kind}（{inspection.title}），"
        f"督导检查了{len(counties)}个县（市、区）" + (f"的{schools}所学校。" if schools else "。"),
        *_facts(inspection),
    ]
    total = sum(totals.values())
    summary = f"本次督导共发现问题{total}个" + (
        "，其中" + "、".join(f"{SEVERITY_WORDS[s]}{totals[s]}个" for s in SEVERITY_ORDER if totals[s]) + "。"
        if total
        else "。"
    )
    lists = []
    findings = (
        Finding.objects.filter(inspection=inspection).select_related("school").order_by("county_id", "created_at")
    )
    grouped: dict[int, list[Finding]] = defaultdict(list)
    for finding in findings:
        grouped[finding.county_id].append(finding)
    for index, (county_id, name) in enumerate(((c, n) for c, n in names.items() if grouped.get(c)), 1):
        lines = "；".join(_finding_line(n, f).rstrip("。") for n, f in enumerate(grouped[county_id], 1))
        lists.append(f"（{int_to_cn(index)}）{name}：{lines}。")
    # 整改: what was issued to each county, closed (销号), still open past its deadline.
    items = Rectification.objects.filter(finding__inspection=inspection).values("pk")
    content_type = ContentType.objects.get_for_model(Rectification)
    counted = {
        row["county_id"]: row
        for row in Assignment.objects.filter(
            kind=Assignment.Kind.RECTIFICATION, subject_type=content_type, subject_id__in=items
        )
        .exclude(state=Assignment.State.WITHDRAWN)
        .values("county_id")
        .annotate(
            issued=Count("pk"),
            closed=Count("pk", filter=Q(state=Assignment.State.ACCEPTED)),
            overdue=Count("pk", filter=Assignment.overdue_q(today)),
        )
        .order_by()
    }
    rect_rows, sums = [], Counter()
    for county_id, name in names.items():
        row = counted.get(county_id, {"issued": 0, "closed": 0, "overdue": 0})
        open_ = row["issued"] - row["closed"]
        sums.update({"issued": row["issued"], "closed": row["closed"], "open": open_, "overdue": row["overdue"]})
        rect_rows.append([name, str(row["issued"]), str(row["closed"]), str(open_), str(row["overdue"])])
    rect_rows.append(["合计", str(sums["issued"]), str(sums["closed"]), str(sums["open"]), str(sums["overdue"])])
    return [
        _section("一、基本情况", basics),
        _section(
            "二、发现的问题",
            [summary],
            {"headers": ["县（市、区）", *[SEVERITY_WORDS[s] for s in SEVERITY_ORDER], "合计"], "rows": finding_rows},
        ),
        _section(paragraphs=lists),
        _section(
            "三、整改情况",
            [
                f"截至{cn_date(today)}，共下发整改事项{sums['issued']}项，已销号{sums['closed']}项，"
                f"未完成{sums['open']}项，其中逾期{sums['overdue']}项。"
            ],
            {"headers": ["县（市、区）", "下发整改事项", "已销号", "未完成", "已逾期"], "rows": rect_rows},
        ),
    ]


def document_content(
    *, inspection: Inspection, kind: str, county=None, doc_number: str, number: int, today: datetime.date
) -> dict:
    """What the document says, as a page and the Word template render it."""
    if kind == DocumentKind.OPINION:
        sections = _opinion(inspection, county, today)
    elif kind == DocumentKind.RECTIFICATION_NOTICE:
        sections = _notice(inspection, county, today)
    else:
        sections = _report(inspection, today)
    return {
        "kind": kind,
        "office": inspection.office.name,
        "doc_number": doc_number,
        "year": today.year,
        "number": number,
        "title": document_title(inspection.title, kind),
        "recipient": f"{county.name}人民政府" if county is not None else "",
        "date": cn_date(today),
        "sections": sections,
    }


# --- Issuing --------------------------------------------------------------------------------------

# Every model numbered in the office's 文号 sequence (office, year, number): one sequence per
# office and year across them all. An area above registers its own (bulletins.Bulletin).
_NUMBERED: list[type[models.Model]] = []


def numbered_models_register(model: type[models.Model]) -> None:
    if model not in _NUMBERED:
        _NUMBERED.append(model)


numbered_models_register(IssuedDocument)


def document_number_take(*, office, year: int) -> tuple[int, str]:
    """The next number of `office`'s 文号 sequence of `year` and its 文号, over every numbered
    model. Call it inside the transaction that saves the number."""
    # The office's series row is the lock: issuers of one office take their turn, so the
    # number below is read and written by one of them at a time.
    series = DocumentSeries.objects.select_for_update().filter(office_id=office.pk).first()
    if series is None:
        raise _error("no_series", office=office.name)
    last = 0
    for model in _NUMBERED:
        found = model.objects.filter(office_id=office.pk, year=year).aggregate(last=Max("number"))["last"]
        last = max(last, found or 0)
    number = last + 1
    return number, doc_number_format(prefix=series.prefix, year=year, number=number)


@transaction.atomic
def document_issue(*, inspection: Inspection, kind: str, county=None, acting_user, today=None) -> IssuedDocument:
    """Issue the `kind` document of `inspection` (to `county`, for the 督导意见书 and the 整改通知书):
    number it next in the office's sequence of the year and keep what it says."""
    today = today or site_today()
    if kind not in DOCUMENT_WORDS:
        raise ValueError(f"unknown document kind {kind!r}")
    if inspection.status in (Inspection.Status.PREPARING, Inspection.Status.SELF_ASSESSMENT):
        raise _error("not_yet", status=inspection.get_status_display())
    if kind in COUNTY_KINDS:
        if county is None:
            raise _error("county_required")
        if not inspection.counties.filter(pk=county.pk).exists():
            raise _error("county_not_visited", county=county.name)
    else:
        county = None
    year = today.year
    number, doc_number = document_number_take(office=inspection.office, year=year)
    issued = IssuedDocument.objects.filter(inspection=inspection, kind=kind, county=county).first()
    if issued is not None:
        if county is None:
            raise _error("report_issued", number=issued.doc_number)
        raise _error("already_issued", kind=DOCUMENT_WORDS[kind], county=county.name, number=issued.doc_number)
    content = document_content(
        inspection=inspection, kind=kind, county=county, doc_number=doc_number, number=number, today=today
    )
    document = IssuedDocument.objects.create(
        inspection=inspection,
        kind=kind,
        county=county,
        office_id=inspection.office_id,
        year=year,
        number=number,
        doc_number=doc_number,
        title=content["title"],
        content=content,
        issued_at=timezone.now(),
        issued_by=acting_user if acting_user is not None and acting_user.is_authenticated else None,
    )
    log_action(
        document,
        actions.DOCUMENT_ISSUED,
        user=acting_user,
        office=inspection.office,
        data={
            "inspection": inspection.pk,
            "kind": kind,
            "county": county.pk if county is not None else None,
            "doc_number": doc_number,
        },
    )
    return document


# --- Word -----------------------------------------------------------------------------------------


class TemplateBroken(Exception):
    """A Word template that cannot be filled in: `message` says which and why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# The kinds of Word template an office may replace: kind → (label, default file). The inspection
# documents' are here; an area above registers its own (bulletins' 通报).
_TEMPLATE_KINDS: dict[str, tuple] = {}


def template_kind_register(kind: str, *, label, default: Path) -> None:
    _TEMPLATE_KINDS[kind] = (label, default)


def template_kind_choices() -> list[tuple[str, str]]:
    return [(kind, label) for kind, (label, _default) in _TEMPLATE_KINDS.items()]


for _kind, _label in DocumentKind.choices:
    template_kind_register(_kind, label=_label, default=DEFAULTS_DIR / f"{_kind}.docx")


def template_for(*, office_id: int, kind: str) -> tuple[str, bytes]:
    """The template of `kind` an office's documents are filled into, with its name: the office's
    own, else the site's, else the default shipped with the app."""
    templates = {
        template.office_id: template
        for template in DocumentTemplate.objects.filter(Q(office_id=office_id) | Q(office=None), kind=kind)
    }
    template = templates.get(office_id) or templates.get(None)
    if template is not None:
        name = f"{template}（{Path(template.file.name).name}）"
        try:
            with template.file.open("rb") as handle:
                return name, handle.read(TEMPLATE_MAX_BYTES + 1)
        except OSError:
            raise TemplateBroken(_broken(name, broken_reasons["missing"])) from None
    path = _TEMPLATE_KINDS[kind][1]
    return f"{path.name}（默认模板）", path.read_bytes()


def _render(data: bytes, context: dict) -> bytes:
    # Imported here: only this path needs docxtpl and Jinja2.
    from docxtpl import DocxTemplate
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    template = DocxTemplate(io.BytesIO(data))
    # The sandbox keeps an office's template from reaching Python's internals; StrictUndefined
    # makes a misspelt field an error the office is told about, not a silent blank.
    template.render(context, jinja_env=SandboxedEnvironment(undefined=StrictUndefined), autoescape=True)
    output = io.BytesIO()
    template.save(output)
    return output.getvalue()


broken_reasons = {
    "missing": _("the file is missing"),
    "syntax": _("a tag is malformed: %(detail)s"),
    "undefined": _("it uses a field that does not exist: %(detail)s"),
    "security": _("it uses an expression that is not allowed"),
    "not_docx": _("it is not a valid Word document"),
}


def _broken(name: str, reason) -> str:
    return str(error_messages["template_broken"] % {"template": name, "reason": reason})


def _broken_reason(error: Exception) -> str:
    from jinja2 import TemplateError, TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    if isinstance(error, TemplateSyntaxError):
        return broken_reasons["syntax"] % {"detail": error.message}
    if isinstance(error, UndefinedError):
        return broken_reasons["undefined"] % {"detail": error.message}
    if isinstance(error, SecurityError):
        return str(broken_reasons["security"])
    if isinstance(error, TemplateError):
        return str(error.message or error.__class__.__name__)
    return str(broken_reasons["not_docx"])


def docx_render(*, data: bytes, name: str, context: dict) -> bytes:
    """`data` (a docxtpl template) filled with `context`; TemplateBroken names the template and
    says why when it cannot be."""
    from jinja2 import TemplateError
    from lxml.etree import LxmlError

    try:
        return _render(data, context)
    except (TemplateError, LxmlError, zipfile.BadZipFile, KeyError, ValueError, TypeError, AttributeError) as error:
        raise TemplateBroken(_broken(name, _broken_reason(error))) from error


def document_docx(*, document: IssuedDocument) -> bytes:
    """The issued document as a Word file, from the template its office uses now, filled with
    the content kept at issue."""
    name, data = template_for(office_id=document.office_id, kind=document.kind)
    return docx_render(data=data, name=name, context=document.content)


SAMPLE_CONTENT = {
    "kind": DocumentKind.OPINION,
    "office": "某市人民政府教育督导委员会办公室",
    "doc_number": "某教督〔2026〕1号",
    "year": 2026,
    "number": 1,
    "title": "示例督导意见书",
    "recipient": "某区人民政府",
    "date": "2026年3月2日",
    "sections": [
        _section("一、基本情况", ["示例段落。"]),
        _section("二、发现的问题", ["示例段落。"], {"headers": ["序号", "问题"], "rows": [["1", "示例"]]}),
    ],
}


def template_check(upload) -> bytes:
    """An uploaded Word template, refused as evidence is refused (a renamed program, a zip bomb,
    entities) and when larger than TEMPLATE_MAX_BYTES or when it cannot be filled in."""
    if upload.size > TEMPLATE_MAX_BYTES:
        raise _error("template_too_large", limit=filesizeformat(TEMPLATE_MAX_BYTES))
    (checked,) = evidence_check([upload])
    if checked.kind != DOCX:
        raise _error("template_not_docx")
    try:
        docx_render(data=checked.data, name=checked.name, context=SAMPLE_CONTENT)
    except TemplateBroken as broken:
        raise ValidationError(broken.message, code="template_broken") from None
    upload.seek(0)
    return checked.data
