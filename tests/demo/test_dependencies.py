"""The demo app sits above every other app: it imports the domain, nothing imports it."""

import ast
from pathlib import Path

from django.conf import settings

APPS_BELOW = ("plans", "inspections", "supervision")


def _imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_app_below_the_demo_imports_it():
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for app in APPS_BELOW
        for path in sorted((Path(settings.BASE_DIR) / app).rglob("*.py"))
        if any(name == "demo" or name.startswith("demo.") for name in _imported(path))
    ]
    assert offenders == []


def test_the_demo_app_is_installed_last():
    assert settings.INSTALLED_APPS[-1] == "demo"
