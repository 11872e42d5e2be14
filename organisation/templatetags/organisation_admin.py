"""Tags for the admin's own pages."""

from django import template

from organisation.services.calendar import official_years_missing

register = template.Library()


@register.simple_tag
def official_calendar_missing() -> list[int]:
    """This year and the next when the official calendar holds no data for them."""
    return official_years_missing()
