"""The site's menu, which every page shows: written here rather than in base.html, because the
template's way (a dozen {% url %}, {% if perms… %} and {% translate %} nodes) cost every
request 0.4 ms of CPU, a third of base.html's (README, Performance: Throughput). The
addresses are reversed once per process; the entries still ask the permission rules and
translate their labels on every request.

The template library "menu". It names pages of every area by URL name and permission only, and
uses the inspections area's idea of its sections: so it lives in the highest area whose code it
imports (tests/test_layout.py), not in the project package beneath them all."""

import functools
from html import escape

import rules
from django import template
from django.conf import settings
from django.urls import get_script_prefix, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info, gettext

from inspections.templatetags.inspection_tags import inspections_section
from organisation.access import inbox_count

register = template.Library()

_CURRENT = ' aria-current="page"'


@functools.cache
def _address(name: str, prefix: str) -> str:
    # `prefix` (the WSGI SCRIPT_NAME) is part of the key: reverse() writes it in.
    return escape(reverse(name))


def _link(name: str, label: str, current: bool) -> str:
    return f'<a href="{_address(name, get_script_prefix())}"{_CURRENT if current else ""}>{escape(label)}</a>'


def _entries(user, match) -> list[str]:
    url_name = match.url_name if match is not None else None
    if rules.test_rule("inspections.inspector_only", user):
        return [_link("inspections:my_schools", gettext("My schools"), url_name in ("my_schools", "visit_create"))]
    entries = []
    if user.has_perm("tracking.report_portal"):
        entries.append(_link("tracking:portal", gettext("My work"), url_name in ("portal", "assignment_detail")))
    entries.append(_link("plans:plan_list", gettext("Plans"), url_name in ("plan_list", "plan_detail")))
    entries.append(_link("tracking:county_list", gettext("Counties"), url_name in ("county_list", "county_detail")))
    if user.has_perm("tracking.view_inbox"):
        waiting = inbox_count(user)
        label = escape(gettext("To do")) + (f' <span class="nav-count">{waiting}</span>' if waiting else "")
        current = _CURRENT if url_name == "inbox" else ""
        entries.append(f'<a href="{_address("tracking:inbox", get_script_prefix())}"{current}>{label}</a>')
    if user.has_perm("tracking.view_progress"):
        progress = url_name in ("progress_home", "office_dashboard", "province_dashboard")
        entries.append(_link("tracking:progress_home", gettext("Progress"), progress))
    section = inspections_section(match)
    if user.has_perm("inspections.list_inspections"):
        entries.append(_link("inspections:inspection_list", gettext("Inspections"), section == "inspections"))
    if user.has_perm("inspections.view_rectification_list"):
        entries.append(_link("inspections:rectification_list", gettext("Rectification"), section == "rectification"))
    if user.has_perm("inspections.view_register"):
        entries.append(_link("inspections:school_list", gettext("Register"), section == "register"))
    if user.has_perm("evaluation.list_rounds"):
        evaluation = match is not None and match.app_name == "evaluation"
        entries.append(_link("evaluation:round_list", gettext("Evaluation"), evaluation))
    if user.has_perm("bulletins.list"):
        bulletins = match is not None and match.namespace == "bulletins"
        entries.append(_link("bulletins:bulletin_list", gettext("Bulletins"), bulletins))
    calendar = url_name in ("calendar_home", "office_calendar", "plan_calendar")
    entries.append(_link("plans:calendar_home", gettext("Calendar"), calendar))
    if user.has_perm("plans.import_workplan"):
        entries.append(
            _link(
                "plans:import_upload",
                gettext("Import"),
                url_name in ("import_upload", "import_confirm", "import_batch"),
            )
        )
    if user.is_superuser:
        entries.append(_link("admin:index", gettext("Admin"), False))
    return entries


@register.simple_tag(takes_context=True)
def site_nav(context) -> str:
    """The main menu of the signed-in user: the pages their roles open, the one shown marked
    current, the number of things waiting in their 待办 inbox. Nothing for a visitor."""
    request = context.get("request")
    user = context.get("user")
    if request is None or user is None or not user.is_authenticated:
        return ""
    entries = _entries(user, getattr(request, "resolver_match", None))
    return mark_safe(
        f'<nav class="site-nav" aria-label="{escape(gettext("Main"))}">\n' + "\n".join(entries) + "\n</nav>"
    )


@register.simple_tag(takes_context=True)
def site_user_tools(context) -> str:
    """The signed-in user's name and links beside the menu (notifications, jobs, API tokens, the
    sign-out form): the markup base.html wrote with a dozen nodes, blank lines included."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return ""
    prefix = get_script_prefix()
    notifications = (
        f'<a class="site-tools__link" href="{_address("notifications:preferences", prefix)}">'
        f"{escape(gettext('Notifications'))}</a>"
        if user.has_perm("notifications.change_preferences")
        else ""
    )
    return mark_safe(
        "\n"
        f'          <span class="site-user">{escape(user.get_full_name() or user.get_username())}</span>\n'
        f"          {notifications}\n"
        f'          <a class="site-tools__link" href="{_address("jobs:job_list", prefix)}">{escape(gettext("My jobs"))}</a>\n'
        f'          <a class="site-tools__link" href="{_address("api:token_list", prefix)}">'
        f"{escape(gettext('API tokens'))}</a>\n"
        f'          <form class="inline-form" action="{_address("logout", prefix)}" method="post">\n'
        f"            {_csrf_input(context)}\n"
        f'            <button type="submit" class="link-button">{escape(gettext("Log out"))}</button>\n'
        "          </form>\n"
        "        "
    )


@register.simple_tag(takes_context=True)
def language_options(context) -> str:
    """The options of the language form, the current language selected (as the loop over
    get_language_info_list wrote them)."""
    current = context.get("LANGUAGE_CODE")
    options = "".join(
        f'\n              <option value="{escape(code)}"{" selected" if code == current else ""}>'
        f"{escape(get_language_info(code)['name_local'])}</option>\n            "
        for code, _name in settings.LANGUAGES
    )
    return mark_safe("\n            \n            " + options)


def _csrf_input(context) -> str:
    # What {% csrf_token %} writes: the same token as the page's other forms (one per context).
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(str(token))}">'
