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


# The menu's three entries for the inspection work, by the URL names of their pages.
_RECTIFICATION = ("rectification_", "findings_rectify", "follow_up_add")
_INSPECTIONS = (
    "inspection_",
    "self_assessment",
    "checklist_template_",
    "finding_",
    "document_",
    "follow_up_items",
    "visit_finding_create",
)


@register.simple_tag
def inspections_section(match) -> str:
    """Which of the menu's entries a page of the inspections app belongs to: "inspections",
    "rectification" or "register" ("" for a page of another app)."""
    if match is None or match.app_name != "inspections":
        return ""
    if match.url_name.startswith(_RECTIFICATION):
        return "rectification"
    if match.url_name.startswith(_INSPECTIONS):
        return "inspections"
    return "register"


@register.simple_tag
def inspection_dashboard_url(user) -> str:
    """The inspection work dashboard of the user's (first) office for this year, or "" for a user
    with no office of their own."""
    from django.urls import reverse

    from organisation.access import access_for
    from supervision.localtime import site_today

    offices = sorted(access_for(user).offices)
    if not offices:
        return ""
    return reverse("inspections:inspection_dashboard", args=[offices[0], site_today().year])
