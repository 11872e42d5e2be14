"""Rounds with scores for the results tests (and the demo site's published round): a sheet made
with Indicator.objects.create, participants, scores set directly, then participants_recompute."""

from decimal import Decimal

from evaluation.models import EvaluationRound, Indicator, IndicatorSheet, Participant, Score
from evaluation.services.totals import participants_recompute


def sheet_build(
    *, office, items: int = 3, points="10", year: int = 2026, title: str = "县级教育督导评估"
) -> IndicatorSheet:
    """A sheet of one 一级 heading and `items` scored 二级 items of `points` each, numbered 1.1, 1.2…"""
    sheet = IndicatorSheet.objects.create(office=office, title=title, year=year)
    heading = Indicator.objects.create(sheet=sheet, level=1, position=1, code="1", title="办学条件")
    for number in range(1, items + 1):
        Indicator.objects.create(
            sheet=sheet,
            parent=heading,
            level=2,
            position=number + 1,
            code=f"1.{number}",
            title=f"指标{number}",
            points=Decimal(points),
        )
    return sheet


def items_of(round_: EvaluationRound) -> list[Indicator]:
    return list(Indicator.objects.filter(sheet=round_.sheet, children__isnull=True).order_by("position"))


def round_build(
    *,
    office,
    counties,
    sheet: IndicatorSheet | None = None,
    finals: dict | None = None,
    selfs: dict | None = None,
    status: str = EvaluationRound.Status.REVIEW,
    year: int = 2026,
    previous: EvaluationRound | None = None,
    items: int = 3,
    points="10",
    title: str = "县级教育督导评估",
) -> EvaluationRound:
    """A round of `counties` on `sheet` (or a new one). `finals`: county → its final scores item
    by item (None: not scored); by default each county scores its index less than full points on
    every item. `selfs` likewise for the self-assessment (default: full points)."""
    sheet = sheet or sheet_build(office=office, items=items, points=points, year=year, title=title)
    leaves = list(Indicator.objects.filter(sheet=sheet, children__isnull=True).order_by("position"))
    # The grades at 90, 80 and 60 per cent of the sheet's points.
    full = sum((item.points for item in leaves), Decimal(0))
    round_ = EvaluationRound.objects.create(
        office=office,
        sheet=sheet,
        title=title,
        year=year,
        status=status,
        previous=previous,
        objection_days=5,
        excellent_min=(full * Decimal("0.9")).quantize(Decimal("0.01")),
        good_min=(full * Decimal("0.8")).quantize(Decimal("0.01")),
        pass_min=(full * Decimal("0.6")).quantize(Decimal("0.01")),
    )
    scores = []
    for index, county in enumerate(counties):
        participant = Participant.objects.create(round=round_, county=county)
        given = (finals or {}).get(county, [max(item.points - index, Decimal(0)) for item in leaves])
        own = (selfs or {}).get(county, [item.points for item in leaves])
        for item, final, self_score in zip(leaves, given, own, strict=True):
            if final is None and self_score is None:
                continue
            scores.append(
                Score(
                    participant=participant,
                    indicator=item,
                    self_score=None if self_score is None else Decimal(self_score),
                    score=None if final is None else Decimal(final),
                    reason="现场核查" if final is not None else "",
                )
            )
    Score.objects.bulk_create(scores, batch_size=500)
    participants_recompute(round_=round_)
    return round_
