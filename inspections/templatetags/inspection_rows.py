"""Rows of the inspection dashboard's tables (inspections/dashboard.html), written in Python.

A tag rather than the template's loops: a city's zones and inspectors are hundreds of rows of
eight figures, and their lookups, filters and localisation were half of the page's CPU. The
markup is the loops' own, byte for byte."""

from django import template
from django.utils.safestring import mark_safe

from plans.templatetags.plan_extras import escape_text

register = template.Library()

_ROW = "\n        <tr>"
_END = "</tr>\n        "


def _count(n: int) -> str:
    """A count as the template wrote it with `default:""`: nothing for none."""
    return f'<td class="num">{n or ""}</td>'


@register.simple_tag
def matrix_rows(rows, field: str) -> str:
    """The rows of a table by kind (inspections by month, findings by severity): the kind's
    label, its counts in `field` (empty when none) and their total."""
    return mark_safe(
        "".join(
            f'{_ROW}<th scope="row">{escape_text(row.label)}</th>'
            f"{''.join(_count(n) for n in getattr(row, field))}"
            f'<td class="num"><strong>{row.total}</strong></td>{_END}'
            for row in rows
        )
    )


def _coverage_cells(row) -> str:
    coverage = f"{row.coverage}%" if row.due else "—"
    return f'<td class="num">{row.due}</td><td class="num">{row.fulfilled}</td><td class="num">{coverage}</td>'


@register.simple_tag
def zone_rows(zones) -> str:
    """The visits by zone: zone, county, inspector, visits due and made, coverage, schools held
    and not visited this year (marked when any)."""
    rows = []
    for row in zones:
        never = " cell cell--open" if row.never_visited else ""
        rows.append(
            f"{_ROW}\n"
            f'          <th scope="row">{escape_text(row.name)}</th><td>{escape_text(row.county)}</td>'
            f"<td>{escape_text(row.inspector or '—')}</td>\n"
            f"          {_coverage_cells(row)}\n"
            f'          <td class="num">{row.schools}</td><td class="num{never}">{row.never_visited}</td>\n'
            f"        {_END}"
        )
    return mark_safe("".join(rows))


@register.simple_tag
def inspector_rows(inspectors) -> str:
    """The visits by inspector: inspector, county, zones, visits due and made, coverage,
    schools not visited this year."""
    return mark_safe(
        "".join(
            f"{_ROW}\n"
            f'          <th scope="row">{escape_text(row.name)}</th><td>{escape_text(row.county)}</td>'
            f'<td class="num">{row.zones}</td>\n'
            f"          {_coverage_cells(row)}\n"
            f'          <td class="num">{row.never_visited}</td>\n'
            f"        {_END}"
            for row in inspectors
        )
    )
