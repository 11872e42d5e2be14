"""A bulletin's first draft, from the office's data for a period and a set of counties: plan
work completion and what is overdue per county, 整改 closed and overdue, inspections done, an
evaluation round's results and ranking, and the counties named for good practice or as laggards.
The year summary (年度工作总结) adds each section of the year's plans: tasks done and not.

Figures are read with a fixed number of queries whatever the number of counties, counted as
int and Decimal (a rate with one decimal, a score with two), and each keeps the page it comes
from, so that a reader of the draft can check it. The paragraphs are the office's templates
(bulletins.paragraphs) filled with them."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse

from bulletins.paragraphs import paragraph_texts, text_fill
from evaluation.models import EvaluationRound, Participant
from inspections.models import Inspection
from organisation.models import County, Office
from plans.models import Section, WorkPlan
from tracking.models import Assignment

# How many counties a bulletin names at most for good practice and as laggards.
NAMED = 3
GRADE_WORDS = {"excellent": "优秀", "good": "良好", "pass": "合格", "fail": "不合格", "": "—"}
State = Assignment.State


def rate_of(done: int, total: int) -> Decimal:
    """A percentage with one decimal, rounded half up as people round (2/3 → 66.7)."""
    if not total:
        return Decimal("0.0")
    return (Decimal(100 * done) / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class CountyWork:
    county: County
    total: int = 0
    done: int = 0
    overdue: int = 0

    @property
    def rate(self) -> Decimal:
        return rate_of(self.done, self.total)


@dataclass
class CountyRectification:
    county: County
    issued: int = 0
    closed: int = 0
    overdue: int = 0


@dataclass
class SectionWork:
    heading: str
    total: int = 0
    done: int = 0

    @property
    def open(self) -> int:
        return self.total - self.done


@dataclass
class Figures:
    """What a draft says, as numbers."""

    counties: list[County]
    plan: dict[int, CountyWork]
    plan_total: CountyWork
    rectification: dict[int, CountyRectification]
    rectification_total: CountyRectification
    inspections: dict[str, int]
    participants: list[Participant] = field(default_factory=list)
    sections: list[SectionWork] = field(default_factory=list)
    good: list[County] = field(default_factory=list)
    laggards: list[County] = field(default_factory=list)


@dataclass
class Draft:
    title: str
    body: dict
    named: list[int]
    figures: Figures


def cn_day(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def period_words(start: datetime.date, end: datetime.date) -> str:
    return f"{cn_day(start)}至{cn_day(end)}"


def _url(name: str, *args, query: str = "") -> str:
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:  # a page another part of the app has not mounted (yet)
        return ""
    return f"{url}?{query}" if query else url


def _figure(label: str, value, url: str = "") -> dict:
    return {"label": label, "value": str(value), "url": url}


def _paragraph(key: str, texts: dict, values: dict, figures: list[dict], counties=()) -> dict:
    return {
        "key": key,
        "text": text_fill(texts[key], values),
        "figures": figures,
        "counties": [county.pk for county in counties],
    }


def _names(counties: list[County]) -> str:
    return "、".join(county.name for county in counties)


def figures_gather(
    *,
    office: Office,
    start: datetime.date,
    end: datetime.date,
    county_ids: list[int],
    round_: EvaluationRound | None,
    today: datetime.date,
    plans: list[WorkPlan] | None = None,
) -> Figures:
    """The figures of `office`'s counties `county_ids` over start..end (six queries; one more
    for a year summary's `plans`)."""
    counties = list(County.objects.filter(pk__in=county_ids).order_by("code", "name"))
    by_id = {county.pk: county for county in counties}
    plan_work = Assignment.objects.filter(
        kind=Assignment.Kind.PLAN_WORK, office=office, county_id__in=county_ids, due_date__range=(start, end)
    ).exclude(state=State.WITHDRAWN)
    if plans is not None:
        plan_work = plan_work.filter(plan__in=plans)
    counted = dict(
        done=Count("pk", filter=Q(state=State.ACCEPTED)),
        overdue=Count("pk", filter=Assignment.overdue_q(today)),
        total=Count("pk"),
    )
    plan, plan_total = {}, CountyWork(county=None)
    for row in plan_work.values("county_id").annotate(**counted).order_by():
        work = plan[row["county_id"]] = CountyWork(by_id[row["county_id"]], row["total"], row["done"], row["overdue"])
        plan_total.total += work.total
        plan_total.done += work.done
        plan_total.overdue += work.overdue
    rectification, rect_total = {}, CountyRectification(county=None)
    for row in (
        Assignment.objects.filter(
            kind=Assignment.Kind.RECTIFICATION, office=office, county_id__in=county_ids, due_date__range=(start, end)
        )
        .exclude(state=State.WITHDRAWN)
        .values("county_id")
        .annotate(**counted)
        .order_by()
    ):
        item = rectification[row["county_id"]] = CountyRectification(
            by_id[row["county_id"]], row["total"], row["done"], row["overdue"]
        )
        rect_total.issued += item.issued
        rect_total.closed += item.closed
        rect_total.overdue += item.overdue
    visited = Inspection.objects.filter(
        pk__in=Inspection.objects.filter(
            office=office, starts_on__lte=end, ends_on__gte=start, counties__in=county_ids
        ).values("pk")
    )
    by_status = dict(visited.values_list("status").annotate(n=Count("pk")).order_by())
    inspections = {
        "count": sum(by_status.values()),
        "closed": by_status.get(Inspection.Status.CLOSED, 0),
        "feedback": by_status.get(Inspection.Status.RECTIFICATION, 0),
    }
    participants = []
    if round_ is not None:
        participants = list(
            Participant.objects.filter(round=round_, county_id__in=county_ids, zone=None, school=None)
            .select_related("county")
            .order_by("rank", "county__code", "pk")
        )
    sections = _sections(plans) if plans is not None else []
    figures = Figures(counties, plan, plan_total, rectification, rect_total, inspections, participants, sections)
    _name(figures)
    return figures


def _sections(plans: list[WorkPlan]) -> list[SectionWork]:
    """Each section of `plans` with its tasks done (every county's obligation accepted) and not:
    one query for the obligations, one for the headings."""
    tasks: dict[int, list] = defaultdict(lambda: [None, 0, 0])
    for task_id, section_id, n, done in (
        Assignment.objects.filter(kind=Assignment.Kind.PLAN_WORK, plan__in=plans, task__isnull=False)
        .exclude(state=State.WITHDRAWN)
        .values_list("task_id", "task__section_id")
        .annotate(n=Count("pk"), done=Count("pk", filter=Q(state=State.ACCEPTED)))
        .order_by()
    ):
        tasks[task_id] = [section_id, n, done]
    headings = {
        section.pk: section
        for section in Section.objects.filter(plan__in=plans, parent=None).only(
            "heading", "label", "plan_id", "position"
        )
    }
    parents = dict(Section.objects.filter(plan__in=plans).values_list("pk", "parent_id"))
    result: dict[int, SectionWork] = {}
    for section_id, n, done in tasks.values():
        top = section_id
        while top is not None and parents.get(top) is not None:
            top = parents[top]
        section = headings.get(top)
        if section is None:
            continue
        work = result.setdefault(section.pk, SectionWork(f"{section.label}{section.heading}".strip()))
        work.total += 1
        work.done += n == done
    order = sorted(result, key=lambda pk: (headings[pk].plan_id, headings[pk].position))
    return [result[pk] for pk in order]


def _name(figures: Figures) -> None:
    """Good practice: the best completion with nothing overdue, and the round's excellent
    counties; laggards: the most overdue, and the counties that failed the round."""

    def overdue(pk):
        work, rect = figures.plan.get(pk), figures.rectification.get(pk)
        return (work.overdue if work else 0) + (rect.overdue if rect else 0)

    best = sorted(
        (work for work in figures.plan.values() if work.total and work.done and not overdue(work.county.pk)),
        key=lambda work: (-work.rate, work.county.code, work.county.pk),
    )[:NAMED]
    good = [work.county for work in best]
    good += [p.county for p in figures.participants if p.grade == "excellent" and p.county not in good][:NAMED]
    worst = sorted(
        (county for county in figures.counties if overdue(county.pk)),
        key=lambda county: (-overdue(county.pk), county.code, county.pk),
    )[:NAMED]
    laggards = list(worst) + [p.county for p in figures.participants if p.grade == "fail" and p.county not in worst]
    figures.good, figures.laggards = good, laggards


def draft_compose(*, figures: Figures, office: Office, kind: str, start, end, year: int, round_, plans=None) -> Draft:
    """The draft's title and body from `figures`, each paragraph from the office's template."""
    texts = paragraph_texts(office_id=office.pk)
    sections = []
    summary = kind == "summary"
    if summary:
        plan_titles = "、".join(f"《{plan.title}》" for plan in plans) or "年度工作要点"
        sections.append(
            {
                "heading": "",
                "paragraphs": [
                    _paragraph("summary_intro", texts, {"office": office.name, "year": year, "plans": plan_titles}, [])
                ],
            }
        )
        if figures.sections:
            sections.append(
                {
                    "heading": "一、工作要点任务完成情况",
                    "paragraphs": [
                        _paragraph(
                            "summary_section",
                            texts,
                            {"section": work.heading, "total": work.total, "done": work.done, "open": work.open},
                            [_figure("任务", work.total), _figure("已完成", work.done), _figure("未完成", work.open)],
                        )
                        for work in figures.sections
                    ],
                }
            )
    else:
        sections.append(
            {
                "heading": "",
                "paragraphs": [
                    _paragraph(
                        "intro",
                        texts,
                        {"office": office.name, "period": period_words(start, end), "count": len(figures.counties)},
                        [],
                    )
                ],
            }
        )
    numerals = iter("一二三四五六七八九十")
    if summary:
        next(numerals)
    total = figures.plan_total
    # Nothing due in the period: one sentence, not "0项…完成率0.0%".
    plan_paragraphs = (
        [_paragraph("plan_none", texts, {}, [])]
        if not total.total
        else [
            _paragraph(
                "plan_total",
                texts,
                {"total": total.total, "done": total.done, "rate": total.rate, "overdue": total.overdue},
                [
                    _figure("应完成", total.total),
                    _figure("已完成", total.done),
                    _figure("完成率", f"{total.rate}%"),
                    _figure("逾期", total.overdue),
                ],
            )
        ]
    )
    for county in figures.counties if total.total else ():
        work = figures.plan.get(county.pk)
        if work is None:
            continue
        url = _url("tracking:county_detail", county.pk)
        plan_paragraphs.append(
            _paragraph(
                "plan_county",
                texts,
                {
                    "county": county.name,
                    "total": work.total,
                    "done": work.done,
                    "rate": work.rate,
                    "overdue": work.overdue,
                },
                [_figure("完成率", f"{work.rate}%", url), _figure("逾期", work.overdue, url)],
                [county],
            )
        )
    sections.append({"heading": f"{next(numerals)}、工作要点落实情况", "paragraphs": plan_paragraphs})

    rect = figures.rectification_total
    rect_url = _url("inspections:rectification_list", query=f"office={office.pk}&year={year}")
    rect_paragraphs = (
        [_paragraph("rectification_none", texts, {}, [])]
        if not rect.issued
        else [
            _paragraph(
                "rectification_total",
                texts,
                {"issued": rect.issued, "closed": rect.closed, "overdue": rect.overdue},
                [
                    _figure("整改事项", rect.issued, rect_url),
                    _figure("已销号", rect.closed, rect_url),
                    _figure("逾期", rect.overdue, f"{rect_url}&state=overdue" if rect_url else ""),
                ],
            )
        ]
    )
    for county in figures.counties if rect.issued else ():
        item = figures.rectification.get(county.pk)
        if item is None:
            continue
        url = _url("inspections:rectification_list", query=f"office={office.pk}&year={year}&county={county.pk}")
        rect_paragraphs.append(
            _paragraph(
                "rectification_county",
                texts,
                {"county": county.name, "issued": item.issued, "closed": item.closed, "overdue": item.overdue},
                [_figure("逾期", item.overdue, f"{url}&state=overdue" if url else "")],
                [county],
            )
        )
    sections.append(
        {
            "heading": f"{next(numerals)}、督导检查与整改情况",
            "paragraphs": [
                _paragraph(
                    "inspections",
                    texts,
                    figures.inspections,
                    [
                        _figure(
                            "督导检查",
                            figures.inspections["count"],
                            _url("inspections:inspection_list", query=f"year={year}"),
                        )
                    ],
                ),
                *rect_paragraphs,
            ],
        }
    )

    if round_ is not None:
        url = _url("evaluation:round_results", round_.pk)
        ranked = figures.participants
        eval_paragraphs = [
            _paragraph(
                "evaluation_intro",
                texts,
                {
                    "round": round_.title,
                    "count": len(ranked),
                    "excellent": sum(p.grade == "excellent" for p in ranked),
                    "fail": sum(p.grade == "fail" for p in ranked),
                },
                [_figure("参评", len(ranked), url)],
            )
        ]
        for participant in ranked:
            score = f"{participant.total:.2f}" if participant.total is not None else "—"
            eval_paragraphs.append(
                _paragraph(
                    "evaluation_county",
                    texts,
                    {
                        "county": participant.county.name,
                        "rank": participant.rank if participant.rank is not None else "—",
                        "total": score,
                        "grade": GRADE_WORDS.get(participant.grade, participant.grade),
                    },
                    [_figure("总分", score, url), _figure("排名", participant.rank or "—", url)],
                    [participant.county],
                )
            )
        sections.append({"heading": f"{next(numerals)}、评估考核结果", "paragraphs": eval_paragraphs})

    named = []
    if figures.good:
        named.append(_paragraph("good_practice", texts, {"counties": _names(figures.good)}, [], figures.good))
    if figures.laggards:
        named.append(_paragraph("laggards", texts, {"counties": _names(figures.laggards)}, [], figures.laggards))
    named.append(_paragraph("closing", texts, {}, []))
    sections.append({"heading": f"{next(numerals)}、有关要求", "paragraphs": named})

    body = {"sections": sections}
    if summary:
        title = f"{office.name}{year}年度工作总结"
    else:
        title = f"关于{period_words(start, end)}教育督导工作情况的通报"
    return Draft(title=title, body=body, named=body_counties(body), figures=figures)


def body_counties(body: dict) -> list[int]:
    """The counties the paragraphs of `body` name."""
    return sorted(
        {pk for section in body.get("sections", []) for p in section["paragraphs"] for pk in p.get("counties", [])}
    )


def bulletin_draft(
    *, office: Office, kind: str, start: datetime.date, end: datetime.date, county_ids, round_, today
) -> Draft:
    plans = None
    year = end.year
    if kind == "summary":
        plans = list(
            WorkPlan.objects.filter(
                office=office, plan_year=year, status__in=WorkPlan.ISSUED, revision_of=None
            ).order_by("title")
        )
    figures = figures_gather(
        office=office, start=start, end=end, county_ids=list(county_ids), round_=round_, today=today, plans=plans
    )
    return draft_compose(
        figures=figures, office=office, kind=kind, start=start, end=end, year=year, round_=round_, plans=plans
    )
