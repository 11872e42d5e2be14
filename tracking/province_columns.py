"""Columns other areas add to a province's dashboard (a row per office of the province), so that
tracking depends on none of them: the inspection work registers its figures (inspections,
findings, 整改, visit coverage) here, as it registers its kinds in tracking.kinds.

A group's `figures` is called once per page with every office of the province and must answer in
a fixed number of queries whatever their number (counted by the database, GROUP BY office):
the page's query count stays flat as provinces grow."""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.functional import Promise

# figures(offices=…, year=…, today=…) → ({office id: {column: value}}, {column: total})
Figures = Callable[..., tuple[dict[int, dict[str, object]], dict[str, object]]]


@dataclass(frozen=True)
class ProvinceColumns:
    key: str
    # The group's heading, and its columns as (key, label).
    label: str | Promise
    columns: Sequence[tuple[str, str | Promise]]
    figures: Figures


_GROUPS: dict[str, ProvinceColumns] = {}


def province_columns_register(group: ProvinceColumns) -> ProvinceColumns:
    _GROUPS[group.key] = group
    return group


def province_columns() -> list[ProvinceColumns]:
    return list(_GROUPS.values())


def province_columns_figures(
    *, offices: list, year: int, today: datetime.date
) -> tuple[list[str], dict[int, list[object]], list[object]]:
    """The headers of every registered column, each office's values in that order, and the
    province's total."""
    headers: list[str] = []
    by_office: dict[int, list[object]] = {office.pk: [] for office in offices}
    total: list[object] = []
    for group in province_columns():
        values, totals = group.figures(offices=offices, year=year, today=today)
        for key, label in group.columns:
            headers.append(str(label))
            for office in offices:
                by_office[office.pk].append(values.get(office.pk, {}).get(key, 0))
            total.append(totals.get(key, 0))
    return headers, by_office, total
