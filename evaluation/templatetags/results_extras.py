"""Scores as the results pages write them: two decimals from the Decimal itself (never a float),
as the Excel's '0.00' shows them; a dash for no score."""

from decimal import Decimal

from django import template

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
