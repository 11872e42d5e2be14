"""What the pages of the areas beneath show of the inspections, without importing them: a plan's
page lists the inspections carrying out its tasks (plans knows only the relation's name)."""

from django import template

from inspections import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def plan_inspections(context, plan) -> list:
    """The inspections carrying out `plan`'s tasks that the reader reads, by task: (task
    number, task title, inspection) rows, in one query."""
    return selectors.plan_inspections(plan=plan, user=context["request"].user)
