"""Who may see or do what is decided in the permissions modules only: a view, form, selector or
template tag that narrows a list by the user asks a named function of organisation/access.py,
plans/permissions.py or tracking/permissions.py, never the user's memberships (`access_for`)
directly. The few other places that read them say why below."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AREAS = ["organisation", "plans", "tracking", "supervision", "schedule"]
PERMISSIONS_MODULES = {"organisation/access.py", "plans/permissions.py", "tracking/permissions.py"}
# Where the memberships are read outside the permissions modules, and why.
EXCEPTIONS = {
    # The menu's 待办 count on every page: a figure the membership query already read, not a list.
    "plans/templatetags/plan_extras.py",
    # setup_demo's story: which assignments the demo county user reports on (the demo app's).
    "plans/services/demo_month.py",
    # Calendars (the county office's share of a plan, the office a calendar starts from): being
    # moved into plans/outputs/, where they call counties_shown_to and the like.
    "plans/views/outputs.py",
    # The portal, inbox and dashboards: their scoping moves into tracking/permissions.py with the
    # county obligation.
    "tracking/views/tracking.py",
    "tracking/selectors/tracking.py",
}
# Attributes of Access that only a rule should read.
ACCESS_ONLY = {"editing_offices", "offices_with", "county_offices"}


def _modules():
    for area in AREAS:
        for path in sorted((ROOT / area).rglob("*.py")):
            if "migrations" not in path.parts:
                yield str(path.relative_to(ROOT)), ast.parse(path.read_text(encoding="utf-8"))


def _calls_access_for(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            if name == "access_for":
                return True
    return False


def test_only_the_permissions_modules_read_a_users_memberships():
    readers = {name for name, tree in _modules() if _calls_access_for(tree)}

    assert readers - PERMISSIONS_MODULES - EXCEPTIONS == set()


def test_only_the_permissions_modules_narrow_by_the_offices_a_user_edits_for():
    readers = {
        name
        for name, tree in _modules()
        if any(isinstance(node, ast.Attribute) and node.attr in ACCESS_ONLY for node in ast.walk(tree))
    }

    assert readers - PERMISSIONS_MODULES - EXCEPTIONS == set()


def test_the_guard_sees_a_call_written_either_way():
    assert _calls_access_for(ast.parse("access_for(user).counties"))
    assert _calls_access_for(ast.parse("access.access_for(user)"))
    assert not _calls_access_for(ast.parse("from organisation.access import access_for"))


# A permission as the code and the templates check it: has_perm("…"), perm="…", a table of
# ("…", service) pairs, {% has_perm "…" %} and {{ perms.app.name }}.
CHECKED_IN_CODE = re.compile(r"""(?:has_perm\(|perm=|\()\s*"((?:plans|tracking)\.[a-z]+_[a-z_]+)\"""")
CHECKED_IN_TEMPLATES = re.compile(r"""has_perm "([a-z_]+\.[a-z_]+)"|perms\.([a-z_]+)\.([a-z_]+)""")


def _checked_permissions() -> set[str]:
    found = set()
    for area in AREAS:
        for path in (ROOT / area).rglob("*.py"):
            if "migrations" not in path.parts:
                found |= set(CHECKED_IN_CODE.findall(path.read_text(encoding="utf-8")))
    for path in (ROOT / "templates").rglob("*.html"):
        for tag, app, name in CHECKED_IN_TEMPLATES.findall(path.read_text(encoding="utf-8")):
            found.add(tag or f"{app}.{name}")
    return found


def test_every_permission_checked_is_a_rule():
    import rules

    checked = _checked_permissions()

    from plans.transitions import TRANSITIONS

    # The plan's steps name theirs in the transitions table (plans.permissions registers them).
    checked |= {transition.permission for transition in TRANSITIONS.values()}
    assert {"plans.submit_workplan", "plans.archive_workplan", "tracking.acknowledge_assignment"} <= checked
    assert {perm for perm in checked if not rules.perm_exists(perm)} == set()
