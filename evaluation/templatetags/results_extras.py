"""Scores as the results pages write them: two decimals from the Decimal itself (never a float),
as the Excel's '0.00' shows them; a dash for no score."""

from decimal import Decimal

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def score(value) -> str:
    if value is None or value == "":
        return "—"
    return f"{Decimal(value):.2f}"


@register.filter
def signed(value) -> str:
    """A difference with its sign: +1.50, −2.00 (0.00 unsigned)."""
    if value is None:
        return "—"
    value = Decimal(value)
    if value == 0:
        return "0.00"
    return f"{value:+.2f}".replace("-", "−")


@register.simple_tag
def comparison_cells(row):
    """A comparison row's cells, one <td> each, written at once: a 15 × 60 table would otherwise
    cost 900 loops of tags and filters. Only formatted numbers go in, so nothing needs escaping."""
    cells = []
    for cell in row.cells:
        change = f' <span class="muted">({signed(cell.change)})</span>' if cell.change is not None else ""
        cells.append(f'<td class="num">{score(cell.score)}{change}</td>')
    return mark_safe("".join(cells))  # noqa: S308 - numbers only
