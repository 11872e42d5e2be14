"""The figures the app itself holds that fill an indicator (Indicator.Source): one function per
source, each giving for counties of a year a value between 0 and 1 and the definition with the
counts it was computed from, read from the counties' obligations (tracking.Assignment by kind).

A county with nothing counted has no figure (None): its item is left for people to score."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from evaluation.models import Indicator
from inspections.visit_selectors import visits_owed
from supervision.localtime import site_localtime, site_today
from tracking.models import Assignment

Source = Indicator.Source
State = Assignment.State
CENT = Decimal("0.01")


# What each figure means, shown with an item it fills (the sheet's page) and matched by the
# functions below: the day counted is the year's end for a past year, else today.
DEFINITIONS = {
    Source.PLAN_COMPLETION: _(
        "The share of the county's plan work (the office's plans of the year) due by the day counted that has been "
        "accepted."
    ),
    Source.RECTIFICATION_ON_TIME: _(
        "The share of the rectification items the office issued to the county, due by the day counted, that were "
        "closed (销号) by their due date."
    ),
    Source.VISIT_COVERAGE: _(
        "The share of the county's school visits (挂牌督导) due by the day counted that were made."
    ),
}


@dataclass(frozen=True)
class Figure:
    value: Decimal | None  # 0..1, None when nothing was counted
    text: str  # the definition with the counts


def _rate(part: int, whole: int) -> Decimal | None:
    return min(Decimal(part) / Decimal(whole), Decimal(1)) if whole else None


def _percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{(value * 100).quantize(CENT)}%"


def _as_of(year: int, today: datetime.date | None) -> datetime.date:
    # A past year is counted whole; the current one up to today.
    return min(today or site_today(), datetime.date(year, 12, 31))


def plan_completion(*, office, year: int, counties: Iterable, today=None) -> dict[int, Figure]:
    """Plan work completion: the obligations of `office`'s plans of `year` due by today (or the
    year's end) accepted, of those due and not withdrawn."""
    ids = [getattr(county, "pk", county) for county in counties]
    as_of = _as_of(year, today)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    rows = (
        Assignment.objects.filter(
            kind=Assignment.Kind.PLAN_WORK, office=office, year=year, county_id__in=ids, due_date__lte=as_of
        )
        .exclude(state=State.WITHDRAWN)
        .values_list("county_id", "state")
    )
    for county_id, state in rows:
        counts[county_id][1] += 1
        counts[county_id][0] += state == State.ACCEPTED
    figures = {}
    for county_id in ids:
        done, whole = counts[county_id]
        value = _rate(done, whole)
        figures[county_id] = Figure(
            value,
            gettext(
                "Completion rate of plan work: %(done)d of the %(whole)d obligations of the office's plans "
                "of %(year)d due by %(day)s accepted = %(rate)s"
            )
            % {"done": done, "whole": whole, "year": year, "day": as_of.isoformat(), "rate": _percent(value)},
        )
    return figures


def rectification_on_time(*, office, year: int, counties: Iterable, today=None) -> dict[int, Figure]:
    """整改 closed on time: the rectification items `office` issued in `year` that were due by
    today (or the year's end) and were closed (accepted) by their due date, of those due."""
    ids = [getattr(county, "pk", county) for county in counties]
    as_of = _as_of(year, today)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    rows = (
        Assignment.objects.filter(
            kind=Assignment.Kind.RECTIFICATION, office=office, year=year, county_id__in=ids, due_date__lte=as_of
        )
        .exclude(state=State.WITHDRAWN)
        .values_list("county_id", "state", "due_date", "closed_at")
    )
    for county_id, state, due_date, closed_at in rows:
        counts[county_id][1] += 1
        if state == State.ACCEPTED and closed_at is not None and site_localtime(closed_at).date() <= due_date:
            counts[county_id][0] += 1
    figures = {}
    for county_id in ids:
        done, whole = counts[county_id]
        value = _rate(done, whole)
        figures[county_id] = Figure(
            value,
            gettext(
                "Rectification closed on time: %(done)d of the %(whole)d items due by %(day)s closed by their "
                "due date = %(rate)s"
            )
            % {"done": done, "whole": whole, "day": as_of.isoformat(), "rate": _percent(value)},
        )
    return figures


def visit_coverage(*, office, year: int, counties: Iterable, today=None) -> dict[int, Figure]:
    """挂牌督导 coverage: the schools' visits of `year` due by today (or the year's end) that
    were made, of those due. Visits are owed to the county's own office, whichever office
    evaluates it."""
    ids = [getattr(county, "pk", county) for county in counties]
    as_of = _as_of(year, today)
    counts = visits_owed(counties=Q(county_id__in=ids), year=year, as_of=as_of)
    figures = {}
    for county_id in ids:
        whole, done = counts.get(county_id, (0, 0))
        value = _rate(done, whole)
        figures[county_id] = Figure(
            value,
            gettext("School visit coverage: %(done)d of the %(whole)d visits due by %(day)s made = %(rate)s")
            % {"done": done, "whole": whole, "day": as_of.isoformat(), "rate": _percent(value)},
        )
    return figures


FIGURES = {
    Source.PLAN_COMPLETION: plan_completion,
    Source.RECTIFICATION_ON_TIME: rectification_on_time,
    Source.VISIT_COVERAGE: visit_coverage,
}


def figure_of(source: str, *, office, year: int, county, today=None) -> Figure:
    """One county's figure for `source`."""
    county_id = getattr(county, "pk", county)
    return FIGURES[source](office=office, year=year, counties=[county_id], today=today)[county_id]


def figure_score(figure: Figure, *, points: Decimal) -> Decimal | None:
    """The item's score from its figure: the value times the item's points, to the cent."""
    return None if figure.value is None else (figure.value * points).quantize(CENT)
