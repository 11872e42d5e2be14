"""The areas depend one way: organisation ← audit ← jobs ← plans ← tracking ← inspections ← evaluation ← bulletins ← notifications ← api, demo, with the pure packages
(schedule, plans.parsing) beneath them all and free of Django. An area tells the areas above it
what happened through its signals module, never by importing them."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Each area, and the project packages it may import besides itself.
MAY_IMPORT = {
    "schedule": set(),
    "plans/parsing": {"schedule"},
    "supervision": {"schedule"},
    "organisation": {"supervision", "schedule"},
    "audit": {"organisation", "supervision"},
    "jobs": {"audit", "organisation", "supervision", "schedule"},
    "plans": {"jobs", "audit", "organisation", "supervision", "schedule"},
    "tracking": {"plans", "jobs", "audit", "organisation", "supervision", "schedule"},
    "inspections": {"tracking", "plans", "jobs", "audit", "organisation", "supervision", "schedule"},
    "evaluation": {"inspections", "tracking", "plans", "jobs", "audit", "organisation", "supervision", "schedule"},
    "bulletins": {
        "evaluation",
        "inspections",
        "tracking",
        "plans",
        "jobs",
        "audit",
        "organisation",
        "supervision",
        "schedule",
    },
    "notifications": {
        "bulletins",
        "evaluation",
        "inspections",
        "tracking",
        "plans",
        "jobs",
        "audit",
        "organisation",
        "supervision",
        "schedule",
    },
    # The REST API reads and writes through every area's selectors, rules and services.
    "api": {
        "notifications",
        "bulletins",
        "evaluation",
        "inspections",
        "tracking",
        "plans",
        "jobs",
        "audit",
        "organisation",
        "supervision",
        "schedule",
    },
    "demo": {
        "notifications",
        "bulletins",
        "evaluation",
        "inspections",
        "tracking",
        "plans",
        "jobs",
        "audit",
        "organisation",
        "supervision",
        "schedule",
    },
}
PROJECT = {
    "schedule",
    "supervision",
    "organisation",
    "audit",
    "jobs",
    "plans",
    "tracking",
    "inspections",
    "evaluation",
    "bulletins",
    "notifications",
    "api",
    "demo",
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _area_of(module: str) -> str:
    return "plans/parsing" if module.startswith("plans.parsing") else module.split(".")[0]


@pytest.mark.parametrize("area", sorted(MAY_IMPORT))
def test_an_area_imports_only_the_areas_beneath_it(area):
    allowed = MAY_IMPORT[area] | {area}
    found = {}
    for path in sorted((ROOT / area).rglob("*.py")):
        if area == "plans" and "parsing" in path.parts or "migrations" in path.parts:
            continue
        if area == "supervision" and path.name in ("settings.py", "urls.py"):
            continue  # the project's root: it names and mounts the areas
        wrong = {
            name
            for name in _imports(path)
            if name.split(".")[0] in PROJECT and _area_of(name) not in allowed and name.split(".")[0] not in allowed
        }
        if area == "plans/parsing":
            wrong |= {name for name in _imports(path) if name.split(".")[0] == "plans" and _area_of(name) != area}
        if wrong:
            found[str(path.relative_to(ROOT))] = sorted(wrong)
    assert found == {}


@pytest.mark.parametrize("package", ["schedule", "plans/parsing"])
def test_the_pure_packages_import_no_django(package):
    users = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / package).rglob("*.py"))
        if any(name.split(".")[0] == "django" for name in _imports(path))
    ]
    assert users == []
