"""The arithmetic of an evaluation, free of Django: a sheet's totals, the grade by the office's
thresholds and the veto items, and the ranking. Everything is Decimal; nothing is rounded
but by the sheet's own two decimal places, so the page, the Excel and the .docx agree."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal("0")
CENT = Decimal("0.01")

EXCELLENT, GOOD, PASS, FAIL = "excellent", "good", "pass", "fail"


@dataclass(frozen=True)
class Thresholds:
    excellent: Decimal
    good: Decimal
    passing: Decimal


def points(value) -> Decimal:
    """`value` (a Decimal, int or text such as "7.5") as points to two places; never a float."""
    if isinstance(value, float):
        raise TypeError("Scores are never floats.")
    return Decimal(str(value).strip()).quantize(CENT)


def total_of(scores: Iterable[Decimal | None]) -> Decimal | None:
    """The sum of the given scores, None when none is given."""
    given = [score for score in scores if score is not None]
    return sum(given, ZERO).quantize(CENT) if given else None


def grade_of(total: Decimal | None, *, vetoed: bool, thresholds: Thresholds) -> str:
    """优秀 / 良好 / 合格 / 不合格 by the thresholds (a total at or above each); a failed veto
    item makes it 不合格 whatever the total. No total, no grade."""
    if total is None:
        return ""
    if vetoed:
        return FAIL
    if total >= thresholds.excellent:
        return EXCELLENT
    if total >= thresholds.good:
        return GOOD
    if total >= thresholds.passing:
        return PASS
    return FAIL


def ranks(totals: Mapping[object, Decimal | None], *, vetoed: Iterable[object] = ()) -> dict[object, int | None]:
    """Competition ranking (1, 2, 2, 4) by total, highest first; those with a failed veto item
    rank after every other, among themselves by total; no total, no rank."""
    vetoed = set(vetoed)
    order = sorted(
        (key for key, total in totals.items() if total is not None),
        key=lambda key: (key in vetoed, -totals[key]),
    )
    found: dict[object, int | None] = dict.fromkeys(totals)
    previous, rank = None, 0
    for position, key in enumerate(order, start=1):
        standing = (key in vetoed, totals[key])
        if standing != previous:
            rank, previous = position, standing
        found[key] = rank
    return found


def score_bounds_error(score: Decimal, *, maximum: Decimal) -> str | None:
    """Why `score` cannot stand for an item worth `maximum` points (None: it can)."""
    if score < ZERO:
        return "negative"
    if score > maximum:
        return "over"
    if score != score.quantize(CENT):
        return "precision"
    return None
