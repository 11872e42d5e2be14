"""What the pages of the areas beneath show of the inspections, without importing them: a plan's
page lists the inspections carrying out its tasks (plans knows only the relation's name)."""

from django import template
from django.utils.safestring import mark_safe

from inspections import selectors
from plans.templatetags.plan_extras import ellipsis_text, truncated_chars, url_parts
from supervision.escaping import escape_text

register = template.Library()


@register.simple_tag(takes_context=True)
def plan_inspections(context, plan) -> list:
    """The inspections carrying out `plan`'s tasks that the reader reads, by task: (task
    number, task title, inspection) rows, in one query."""
    return selectors.plan_inspections(plan=plan, user=context["request"].user)


@register.simple_tag
def plan_inspection_rows(carried) -> str:
    """`plan_inspections`' rows as the plan page's table writes them: the task (linked), the
    inspection (linked) and its kind, when on site, its stage. Written here rather than as a
    loop of the template: a few rows of filters and URLs were a fifth of the page's time."""
    before, after = url_parts("inspections:inspection_detail")
    ellipsis = ellipsis_text()
    rows = []
    for number, title, inspection in carried:
        task = (
            f'<a href="#task-{escape_text(number)}">{escape_text(number)}. '
            f"{escape_text(truncated_chars(title, 40, ellipsis))}</a>"
            if number
            else "—"
        )
        starts = inspection.starts_on.isoformat() if inspection.starts_on else ""
        rows.append(
            "\n        <tr>\n"
            f"          <td>{task}</td>\n"
            f'          <td><a href="{before}{inspection.pk}{after}">{escape_text(inspection.title)}</a>'
            f' <span class="muted">{escape_text(inspection.get_kind_display())}</span></td>\n'
            f'          <td><time datetime="{starts}">{starts}</time></td>\n'
            f'          <td><span class="badge badge--{escape_text(inspection.status)}">'
            f"{escape_text(inspection.get_status_display())}</span></td>\n"
            "        </tr>\n        "
        )
    return mark_safe("".join(rows))


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
