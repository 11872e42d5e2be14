"""Evaluation test data shared by the evaluation tests: an indicator sheet of 一级 headings over
scored items worth 100 points in all (exact Decimals)."""

import itertools
from decimal import ROUND_DOWN, Decimal

from evaluation.models import Indicator, IndicatorSheet
from tests.factories import OfficeFactory

ITEMS_PER_HEADING = 5
SOURCES = [Indicator.Source.PLAN_COMPLETION, Indicator.Source.RECTIFICATION_ON_TIME, Indicator.Source.VISIT_COVERAGE]
_titles = itertools.count(1)


def leaf_points(items: int, total: Decimal = Decimal("100")) -> list[Decimal]:
    """`items` points to two places adding up to `total` exactly (the remainder on the first)."""
    share = (total / items).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    points = [share] * items
    points[0] += total - share * items
    return points


def indicator_sheet_build(
    *,
    office=None,
    year: int = 2025,
    items: int = 10,
    with_headings: bool = True,
    veto: bool = False,
    sources: bool = False,
    title: str | None = None,
) -> IndicatorSheet:
    """A sheet of `items` scored items (level 2 under 一级 headings of up to five items each,
    or level 1 without headings) whose points add up to 100. `veto`: the last item is a veto
    item; `sources`: the first items are filled from the app's figures (one per figure)."""
    office = office or OfficeFactory()
    sheet = IndicatorSheet.objects.create(
        office=office, year=year, title=title or f"{year}年县级教育督导评估指标体系（{next(_titles)}）"
    )
    points = leaf_points(items)
    groups = (
        [list(range(start, min(start + ITEMS_PER_HEADING, items))) for start in range(0, items, ITEMS_PER_HEADING)]
        if with_headings
        else [list(range(items))]
    )
    position = itertools.count(1)
    headings = []
    leaves = []
    chinese = "一二三四五六七八九十"
    for number, group in enumerate(groups, start=1):
        heading = None
        if with_headings:
            label = chinese[number - 1] if number <= 10 else str(number)
            heading = Indicator(
                sheet=sheet,
                level=1,
                position=next(position),
                code=f"{label}、",
                title=f"评估领域{number}",
                points=sum((points[i] for i in group), Decimal("0")),
            )
            headings.append(heading)
        for index in group:
            leaves.append(
                (
                    heading,
                    Indicator(
                        sheet=sheet,
                        level=2 if with_headings else 1,
                        position=next(position),
                        code=f"{number}.{index - group[0] + 1}" if with_headings else str(index + 1),
                        title=f"评估指标{index + 1}",
                        points=points[index],
                        rule=f"按标准赋分：达到要求得{points[index]}分。",
                        evidence="相关文件、台账",
                        veto=veto and index == items - 1,
                        source=SOURCES[index] if sources and index < len(SOURCES) else "",
                    ),
                )
            )
    Indicator.objects.bulk_create(headings)
    for heading, leaf in leaves:
        leaf.parent = heading
    Indicator.objects.bulk_create([leaf for _heading, leaf in leaves])
    return sheet
