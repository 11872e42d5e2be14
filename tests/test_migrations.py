"""Migrations stand on their own: none imports the project's code, whose models move on while a
migration must keep building yesterday's schema (only the upload-path functions Django itself
names by their import path are referred to)."""

import ast
from pathlib import Path

from django.apps import apps

PROJECT_APPS = ("organisation", "audit", "plans", "tracking", "api", "demo", "supervision", "schedule")
ALLOWED = {"plans.models.plans.source_upload_to", "tracking.models.evidence_upload_to"}


def _project_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name.split(".")[0] in PROJECT_APPS}


def test_no_migration_imports_the_projects_code():
    offenders = {}
    for config in apps.get_app_configs():
        folder = Path(config.path) / "migrations"
        if config.name not in PROJECT_APPS or not folder.is_dir():
            continue
        for path in sorted(folder.glob("0*.py")):
            imports = _project_imports(path)
            # `import plans.models.plans` is how Django names an upload_to callable.
            text = path.read_text(encoding="utf-8")
            used = {ref for ref in ALLOWED if ref in text}
            bad = {name for name in imports if not any(ref.startswith(name + ".") for ref in used)}
            if bad:
                offenders[str(path)] = sorted(bad)
    assert offenders == {}


def test_every_area_has_one_initial_migration():
    for label in ("organisation", "plans", "tracking"):
        folder = Path(apps.get_app_config(label).path) / "migrations"
        assert [p.name for p in folder.glob("0001_*.py")] == ["0001_initial.py"]
