"""What the indicator sheet pages read: the list (one query, counts as subqueries) and a sheet
as its indented tree with the check of each heading's points (two queries)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum

from evaluation.figures import DEFINITIONS
from evaluation.models import EvaluationRound, Indicator, IndicatorSheet
from evaluation.permissions import sheets_listed_q
from evaluation.sheet_import import scale_text

# How the app computes the figures that fill an item (shown with the item).
SOURCE_DEFINITIONS = DEFINITIONS


def sheet_list(*, user, office_id: int | None = None, year: int | None = None) -> QuerySet[IndicatorSheet]:
    """The sheets `user` lists, newest year first, each with its items' count, its total and
    how many rounds use it (published ones apart)."""
    sheets = IndicatorSheet.objects.select_related("office")
    where = sheets_listed_q(user)
    if where is not None:
        sheets = sheets.filter(where)
    if office_id:
        sheets = sheets.filter(office_id=office_id)
    if year:
        sheets = sheets.filter(year=year)
    items = (
        Indicator.objects.filter(sheet=OuterRef("pk"), children__isnull=True)
        .order_by()
        .values("sheet")
        .annotate(n=Count("pk"))
        .values("n")
    )
    total = (
        Indicator.objects.filter(sheet=OuterRef("pk"), level=1)
        .order_by()
        .values("sheet")
        .annotate(s=Sum("points"))
        .values("s")
    )
    return sheets.annotate(
        item_count=Subquery(items, output_field=IntegerField()),
        total=Subquery(total),
        round_count=Count("rounds", distinct=True),
        published_count=Count("rounds", filter=Q(rounds__status=EvaluationRound.Status.PUBLISHED), distinct=True),
    ).order_by("office__name", "-year", "title", "pk")


def sheet_filter_choices(*, user) -> tuple[list[tuple[int, str]], list[int]]:
    """The offices and years of the sheets `user` lists, for the list's filter (one query)."""
    sheets = IndicatorSheet.objects.all()
    where = sheets_listed_q(user)
    if where is not None:
        sheets = sheets.filter(where)
    pairs = set(sheets.values_list("office_id", "office__name", "year"))
    offices = sorted({(pk, name) for pk, name, _year in pairs}, key=lambda pair: pair[1])
    years = sorted({year for _pk, _name, year in pairs}, reverse=True)
    return offices, years


@dataclass
class TreeRow:
    """One line of the sheet's tree: the indicator, whether it is scored, and for a heading its
    items' sum and whether its own points differ from it."""

    indicator: Indicator
    scored: bool
    children_sum: Decimal | None
    scale_text: str
    source_definition: str

    @property
    def differs(self) -> bool:
        return self.children_sum is not None and self.children_sum != self.indicator.points


@dataclass
class SheetTree:
    rows: list[TreeRow]
    rounds: list[EvaluationRound]

    @property
    def total(self) -> Decimal:
        return sum((row.indicator.points for row in self.rows if row.indicator.level == 1), Decimal("0.00"))

    @property
    def scored_total(self) -> Decimal:
        return sum((row.indicator.points for row in self.rows if row.scored), Decimal("0.00"))

    @property
    def differences(self) -> list[TreeRow]:
        return [row for row in self.rows if row.differs]

    @property
    def scored_count(self) -> int:
        return sum(row.scored for row in self.rows)

    @property
    def veto_count(self) -> int:
        return sum(row.scored and row.indicator.veto for row in self.rows)


def sheet_tree(sheet: IndicatorSheet) -> SheetTree:
    """The sheet's indicators in order with their headings' sums, and the rounds using it."""
    indicators = list(Indicator.objects.filter(sheet=sheet).order_by("position"))
    sums: dict[int, Decimal] = {}
    has_children = set()
    for indicator in indicators:
        if indicator.parent_id is not None:
            has_children.add(indicator.parent_id)
            sums[indicator.parent_id] = sums.get(indicator.parent_id, Decimal("0.00")) + indicator.points
    rows = [
        TreeRow(
            indicator=indicator,
            scored=indicator.pk not in has_children,
            children_sum=sums.get(indicator.pk),
            scale_text=scale_text(indicator.scale) if indicator.method == Indicator.Method.SCALE else "",
            source_definition=SOURCE_DEFINITIONS.get(indicator.source, ""),
        )
        for indicator in indicators
    ]
    rounds = list(EvaluationRound.objects.filter(sheet=sheet).only("title", "year", "status", "sheet_id"))
    return SheetTree(rows=rows, rounds=rounds)
