"""The paragraphs a bulletin is drafted from: each a template with named placeholders, the
default in Chinese here, replaced by an office's own (or the site's) BulletinParagraphTemplate.

Filling is a plain substitution of {name} by the figure's text: no attribute or index access
(an office's text never reaches Python objects), and a placeholder without a figure stays as
written so the editor sees it."""

import re

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# key → (what it is for, the placeholders it may use, the default text)
DEFAULTS: dict[str, tuple] = {
    "intro": (
        _("Opening"),
        ("office", "period", "count"),
        "为推动各项督导工作落实，{office}对{period}全市{count}个县（市、区）的工作情况进行了调度。现将有关情况通报如下。",
    ),
    "plan_total": (
        _("Plan work: overall"),
        ("total", "done", "rate", "overdue"),
        "全市应完成工作要点任务{total}项，已完成{done}项，完成率{rate}%；逾期未完成{overdue}项。",
    ),
    "plan_none": (
        _("Plan work: none due"),
        (),
        "期间无到期的工作要点任务。",
    ),
    "plan_county": (
        _("Plan work: one county"),
        ("county", "total", "done", "rate", "overdue"),
        "{county}：应完成{total}项，已完成{done}项，完成率{rate}%，逾期未完成{overdue}项。",
    ),
    "rectification_total": (
        _("Rectification: overall"),
        ("issued", "closed", "overdue"),
        "期间到期整改事项{issued}项，已销号{closed}项，逾期未完成{overdue}项。",
    ),
    "rectification_none": (
        _("Rectification: none due"),
        (),
        "期间无到期的整改事项。",
    ),
    "rectification_county": (
        _("Rectification: one county"),
        ("county", "issued", "closed", "overdue"),
        "{county}：整改事项{issued}项，已销号{closed}项，逾期未完成{overdue}项。",
    ),
    "inspections": (
        _("Inspections done"),
        ("count", "closed", "feedback"),
        "期间共开展督导检查{count}次，其中已结束{closed}次，处于反馈整改阶段{feedback}次。",
    ),
    "evaluation_intro": (
        _("Evaluation: overall"),
        ("round", "count", "excellent", "fail"),
        "{round}共评估{count}个县（市、区），其中优秀{excellent}个，不合格{fail}个。",
    ),
    "evaluation_county": (
        _("Evaluation: one county"),
        ("county", "rank", "total", "grade"),
        "第{rank}名 {county}：总分{total}分，等级{grade}。",
    ),
    "good_practice": (
        _("Named good practice"),
        ("counties",),
        "{counties}工作推进有力、成效明显，予以通报表扬。",
    ),
    "laggards": (
        _("Named laggards"),
        ("counties",),
        "{counties}工作进展滞后，逾期未完成事项较多或评估结果不合格，予以通报批评，请限期整改到位。",
    ),
    "closing": (
        _("Closing"),
        (),
        "请各县（市、区）对照通报指出的问题，认真研究，采取有力措施，确保各项工作按期完成。",
    ),
    "summary_intro": (
        _("Year summary: opening"),
        ("office", "year", "plans"),
        "{year}年，{office}围绕{plans}确定的目标任务，扎实推进各项教育督导工作。现将全年工作总结如下。",
    ),
    "summary_section": (
        _("Year summary: one section of the plan"),
        ("section", "total", "done", "open"),
        "{section}：共{total}项任务，已完成{done}项，未完成{open}项。",
    ),
}

PLACEHOLDER = re.compile(r"\{(\w+)\}")
# Whatever stands in braces, to tell the office of a name it misspelt.
BRACED = re.compile(r"\{([^{}]*)\}")


def text_fill(template: str, values: dict) -> str:
    return PLACEHOLDER.sub(lambda m: str(values[m[1]]) if m[1] in values else m[0], template)


def unknown_placeholders(key: str, text: str) -> list[str]:
    allowed = set(DEFAULTS[key][1])
    return sorted({name for name in BRACED.findall(text) if name not in allowed})


def paragraph_texts(*, office_id: int | None) -> dict[str, str]:
    """key → the text the office's paragraphs start from: its own, else the site's, else the
    default. One query."""
    from bulletins.models import BulletinParagraphTemplate

    texts = {key: default for key, (_label, _names, default) in DEFAULTS.items()}
    rows = BulletinParagraphTemplate.objects.filter(Q(office=None) | Q(office_id=office_id)).order_by("office_id")
    site = {row.key: row.text for row in rows if row.office_id is None}
    own = {row.key: row.text for row in rows if row.office_id is not None}
    return texts | site | own
