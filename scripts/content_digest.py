"""A digest of a database's content: one SHA-256 per model holding domain data, and a total.

Run from the repository root, on the database DATABASE_URL names (SQLite's db.sqlite3 without):

    .venv/bin/python scripts/content_digest.py [--database-url URL] [--json]

Two databases filled the same way (setup_demo, or generate_demo with the same scale, seed and
--as-of) give the same digests, whatever ids they handed out and whenever they ran; a move of a
model to another app, or a refactoring of the code that writes it, must not change them.

What is compared: every row of every model of the domain's apps (found by app label, so that a
model moved from `plans` into `organisation`, `tracking` or `demo` is still found under its class
name), with its field history and many-to-many tables, and the users. Left out: primary keys,
uuids (a uuid a row refers to is replaced by that row's natural key), salted password hashes and
secret tokens, version counters, the instant of every timestamp (whether it is set stays:
services stamp rows with the time they ran) and stored files' names. A foreign key is replaced by the natural key of
the row it points to (a county by its code, a plan by its office, year and 文号, a task by its
plan and number, …; a model without one named here by its whole content). Rows are sorted.
"""

import argparse
import datetime
import hashlib
import json
import os
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DOMAIN_APPS = {"organisation", "audit", "plans", "tracking", "demo"}
EXTRA_MODELS = {"User"}
# Natural keys by class name: the fields that name a row to a person (foreign keys in turn by
# the natural key of their row).
NATURAL_KEYS = {
    "User": ("username",),
    "Region": ("code",),
    "County": ("city", "code", "name"),
    "CountyAlias": ("county", "name"),
    "Office": ("name",),
    "OfficeAlias": ("name",),
    "Membership": ("user", "office"),
    "CountyContact": ("county",),
    "OfficialCalendarYear": ("year",),
    "OfficialCalendarDay": ("date",),
    "DemoDataset": ("scale", "seed", "as_of"),
    "WorkPlan": ("office", "plan_year", "doc_number", "revision_of", "title"),
    "PlanSource": ("plan",),
    "PlanRevision": ("plan", "number"),
    "Section": ("plan", "position"),
    "Task": ("plan", "number"),
    "Project": ("plan", "number"),
    "ScheduleEntry": ("plan", "position"),
    "TaskTarget": ("task", "county"),
    "EntryTarget": ("entry", "county"),
    "PlanCounty": ("plan", "county"),
    "Assignment": ("plan", "task", "entry", "county", "occurrence"),
    "Reminder": ("county", "sent_on"),
    "FeedToken": ("user",),
}
# Values that differ between two runs writing the same content.
LEFT_OUT = {"version", "password", "token", "history_id"}
# Copies of another row's value, kept for speed (a report's office is its assignment's): they
# add nothing, and digests of databases made before the copy existed stay comparable.
COPIES = {("ProgressReport", "office"), ("HistoricalProgressReport", "office")}


def django_setup(database_url: str | None) -> None:
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supervision.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()


def domain_models() -> list:
    from django.apps import apps

    return sorted(
        (
            model
            for model in apps.get_models(include_auto_created=True)
            if model._meta.app_label in DOMAIN_APPS or model.__name__ in EXTRA_MODELS
        ),
        key=lambda model: model.__name__,
    )


class Digest:
    def __init__(self, models):
        self.models = models
        self.rows = {}  # model → {pk: row values}
        self.keys = {}  # (model, pk) → natural key
        self.uuids = {}  # str(uuid) → natural key of the row holding it
        for model in models:
            self.rows[model] = {row["pk"]: row for row in model._base_manager.values("pk", *self._names(model))}
        for model in models:
            for field in self._fields(model):
                if self._is_uuid(field) and not model.__name__.startswith("Historical"):
                    for pk, row in self.rows[model].items():
                        if row[field.attname] is not None:
                            self.uuids[str(row[field.attname])] = [model.__name__, self.natural_key(model, pk)]

    @staticmethod
    def _fields(model):
        return [f for f in model._meta.concrete_fields if not f.primary_key and (model.__name__, f.name) not in COPIES]

    def _names(self, model):
        return [f.attname for f in self._fields(model)]

    @staticmethod
    def _is_uuid(field) -> bool:
        return field.get_internal_type() == "UUIDField"

    def natural_key(self, model, pk):
        if pk is None:
            return None
        cached = self.keys.get((model, pk))
        if cached is not None:
            return cached
        row = self.rows.get(model, {}).get(pk)
        if row is None:
            key = [model.__name__, "missing"]  # outside the compared models (or a dangling id)
        else:
            self.keys[(model, pk)] = ["cycle"]
            names = NATURAL_KEYS.get(model.__name__)
            fields = [f for f in self._fields(model) if names is None or f.name in names]
            key = [self.value(model, f, row) for f in fields]
        self.keys[(model, pk)] = key
        return key

    @staticmethod
    def _generic(model) -> dict[str, str]:
        """The id fields of the model's generic foreign keys → their content type's field."""
        from django.contrib.contenttypes.fields import GenericForeignKey

        return {
            model._meta.get_field(f.fk_field).attname: model._meta.get_field(f.ct_field).attname
            for f in model._meta.private_fields
            if isinstance(f, GenericForeignKey)
        }

    def value(self, model, field, row):
        value = row[field.attname]
        if field.is_relation:
            return self.natural_key(field.related_model, value)
        content_type = self._generic(model).get(field.attname)
        if content_type is not None and value is not None and row[content_type] is not None:
            # An audit event's object: the row it names, not the id it was handed (two runs
            # writing plans in another order give them other ids).
            from django.contrib.contenttypes.models import ContentType

            target = ContentType.objects.get_for_id(row[content_type]).model_class()
            if target in self.rows:
                return [target.__name__, self.natural_key(target, target._meta.pk.to_python(value))]
        if value is None:
            return None
        if field.get_internal_type() in ("DateTimeField", "FileField"):
            # The instant a service ran; a stored file's name (storage adds a suffix to a name
            # taken; its content has a checksum of its own).
            return "set"
        if isinstance(value, uuid.UUID):
            return "uuid"
        if field.get_internal_type() == "JSONField":
            return self.scrub(value)
        if isinstance(value, datetime.date | datetime.time):
            return value.isoformat()
        if isinstance(value, bytes | memoryview):
            return hashlib.sha256(bytes(value)).hexdigest()
        return value

    def scrub(self, value):
        """A JSON value with the uuids it holds replaced by their rows' natural keys, and the
        [county id, name] pairs and office ids of a plan's snapshot by names."""
        if isinstance(value, dict):
            scrubbed = {}
            for name, item in value.items():
                if name == "counties" and isinstance(item, list):
                    item = [c[1] if isinstance(c, list) and len(c) == 2 else c for c in item]
                elif name == "lead_office" and isinstance(item, int):
                    item = self.natural_key(self._model("Office"), item)
                scrubbed[name] = self.scrub(item)
            return scrubbed
        if isinstance(value, list):
            return [self.scrub(item) for item in value]
        if isinstance(value, str) and len(value) == 36:
            try:
                uuid.UUID(value)
            except ValueError:
                return value
            return self.uuids.get(value, "uuid")
        return value

    def _model(self, name):
        return next(m for m in self.models if m.__name__ == name)

    def model_digest(self, model) -> tuple[str, int]:
        fields = [
            f
            for f in self._fields(model)
            if f.name not in LEFT_OUT
            and not (model.__name__.startswith("Historical") and f.name == "id")
            and not self._is_uuid(f)
        ]
        lines = sorted(
            json.dumps({f.name: self.value(model, f, row) for f in fields}, ensure_ascii=False, sort_keys=True)
            for row in self.rows[model].values()
        )
        digest = hashlib.sha256()
        for line in lines:
            digest.update(line.encode("utf-8") + b"\n")
        return digest.hexdigest(), len(lines)


def content_digest() -> dict:
    """{"models": {class name: {"rows": n, "sha256": …}}, "total": sha256 of the models' digests}."""
    models = domain_models()
    digest = Digest(models)
    result, total = {}, hashlib.sha256()
    for model in models:
        sha, rows = digest.model_digest(model)
        result[model.__name__] = {"rows": rows, "sha256": sha}
        total.update(f"{model.__name__} {sha}\n".encode())
    return {"models": result, "total": total.hexdigest()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="the database to read (default: DATABASE_URL, else db.sqlite3)")
    parser.add_argument("--json", action="store_true", help="print the digests as JSON")
    args = parser.parse_args()
    django_setup(args.database_url)
    result = content_digest()
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return
    width = max(len(name) for name in result["models"])
    for name, item in result["models"].items():
        print(f"{name:<{width}}  {item['rows']:>9,}  {item['sha256']}")
    print(f"{'total':<{width}}  {'':>9}  {result['total']}")


if __name__ == "__main__":
    main()
