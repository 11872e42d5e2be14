"""A plan's content as plain data: what a revision keeps, what a diff compares, and what the
services write back onto a plan (from a parsed notice, a draft revision or last year's plan).

No queries here: the callers read the rows and pass them in, so the same code serves the
services, the data migration that recorded existing plans' first revisions, and the pages.

The shape (schema 1):

    {"schema": 1,
     "plan": {title, notice_title, doc_number, issue_date, plan_year, recipients, cc,
              notice_text, preamble, notes, imprint, projects_first},
     "sections": [{key, position, level, label, heading, text, parent}],   # parent: a key
     "tasks": [{key, number, label, title, text, section, lead_unit, lead_office,
                addresses_all_counties, counties: [[id, name], ...]}],     # section: a key
     "projects": [{key, number, label, heading, name, goal, annual_target, text}],
     "entries": [{key, position, task, period, months, granularity, deadline_day, text,
                  lead_unit, counties: [[id, name], ...]}]}                # task: a key

Counties keep their name beside their id, so an old revision reads as it was published even
after a division is renamed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

SCHEMA = 1

PLAN_FIELDS = (
    "title",
    "notice_title",
    "doc_number",
    "issue_date",
    "plan_year",
    "recipients",
    "cc",
    "notice_text",
    "preamble",
    "notes",
    "imprint",
    "projects_first",
)
SECTION_FIELDS = ("position", "level", "label", "heading", "text")
TASK_FIELDS = (
    "number",
    "label",
    "title",
    "text",
    "lead_unit",
    "addresses_all_counties",
    "unconfirmed_places",
)
PROJECT_FIELDS = ("number", "label", "heading", "name", "goal", "annual_target", "text")
ENTRY_FIELDS = (
    "position",
    "period",
    "months",
    "granularity",
    "deadline_day",
    "text",
    "lead_unit",
    "unconfirmed_places",
)

# Fields later than the first snapshots: what an older snapshot (or model) means by their absence.
_DEFAULTS = {
    "projects_first": False,
    "addresses_all_counties": False,
    "heading": "",
    "lead_unit": "",
    "unconfirmed_places": [],
    "deadline_day": None,
}


def _value(obj, name):
    # getattr with a default: the data migration passes historical models, which may lack
    # fields that later migrations add.
    value = getattr(obj, name, _DEFAULTS.get(name))
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _months(mask: int) -> list[int]:
    return [month for month in range(1, 13) if mask & (1 << (month - 1))]


def snapshot_build(
    *,
    plan,
    sections,
    tasks,
    projects,
    entries,
    task_counties: dict[int, list[tuple[int, str]]],
    entry_counties: dict[int, list[tuple[int, str]]],
) -> dict:
    """The content of `plan` from its rows (in document order) and targets by row id."""
    section_keys = {s.pk: str(s.key) for s in sections}
    task_keys = {t.pk: str(t.key) for t in tasks}
    return {
        "schema": SCHEMA,
        "plan": {name: _value(plan, name) for name in PLAN_FIELDS},
        "sections": [
            {
                "key": str(s.key),
                **{name: _value(s, name) for name in SECTION_FIELDS},
                "parent": section_keys.get(s.parent_id),
            }
            for s in sections
        ],
        "tasks": [
            {
                "key": str(t.key),
                **{name: _value(t, name) for name in TASK_FIELDS},
                "section": section_keys.get(t.section_id),
                "lead_office": t.lead_office_id,
                "counties": [list(c) for c in task_counties.get(t.pk, [])],
            }
            for t in tasks
        ],
        "projects": [{"key": str(p.key), **{name: _value(p, name) for name in PROJECT_FIELDS}} for p in projects],
        "entries": [
            {
                "key": str(e.key),
                **{name: _value(e, name) for name in ENTRY_FIELDS if name != "months"},
                "months": _months(e.months),
                "task": task_keys.get(e.task_id),
                "counties": [list(c) for c in entry_counties.get(e.pk, [])],
            }
            for e in entries
        ],
    }


def header_apply(plan, header: dict, *, fields=PLAN_FIELDS) -> None:
    """Set a plan's header fields from a snapshot's "plan" part (the caller saves)."""
    for name in fields:
        if name not in header:
            continue
        value = header[name]
        if name == "issue_date" and isinstance(value, str):
            value = datetime.date.fromisoformat(value)
        setattr(plan, name, value)


# --- Differences between two snapshots --------------------------------------------------------


@dataclass
class FieldChange:
    field: str
    old: object
    new: object


@dataclass
class ItemChange:
    """One section, task, project or calendar line: added, removed or changed."""

    kind: str  # "added", "removed", "changed"
    old: dict | None
    new: dict | None
    fields: list[FieldChange] = field(default_factory=list)
    counties_added: list[str] = field(default_factory=list)
    counties_removed: list[str] = field(default_factory=list)

    @property
    def item(self) -> dict:
        return self.new if self.new is not None else self.old


@dataclass
class SnapshotDiff:
    plan: list[FieldChange]
    sections: list[ItemChange]
    tasks: list[ItemChange]
    projects: list[ItemChange]
    entries: list[ItemChange]

    @property
    def is_empty(self) -> bool:
        return not (self.plan or self.sections or self.tasks or self.projects or self.entries)


def _reference_labels(snapshot: dict) -> dict[str, str]:
    """Keys of sections and tasks → how a reader names them (一、总体要求 / 任务 3)."""
    labels = {s["key"]: f"{s['label']}{s['heading']}" for s in snapshot.get("sections", [])}
    labels.update({t["key"]: str(t["number"]) for t in snapshot.get("tasks", [])})
    return labels


def _compare(old: list[dict], new: list[dict], fields, old_labels, new_labels, references=()):
    old_by_key = {item["key"]: item for item in old}
    new_by_key = {item["key"]: item for item in new}
    changes = []
    for item in new:
        before = old_by_key.get(item["key"])
        if before is None:
            changes.append(ItemChange("added", None, item))
            continue
        change = ItemChange("changed", before, item)
        for name in fields:
            was, now = before.get(name, _DEFAULTS.get(name)), item.get(name, _DEFAULTS.get(name))
            if was != now:
                change.fields.append(FieldChange(name, was, now))
        for name in references:
            # A reference changed when it points at a different thing, not a renumbered one.
            was = old_labels.get(before.get(name), "")
            now = new_labels.get(item.get(name), "")
            if was != now:
                change.fields.append(FieldChange(name, was, now))
        if "counties" in item:
            old_names = {c[0]: c[1] for c in before.get("counties", [])}
            new_names = {c[0]: c[1] for c in item.get("counties", [])}
            change.counties_added = [new_names[i] for i in new_names if i not in old_names]
            change.counties_removed = [old_names[i] for i in old_names if i not in new_names]
        if change.fields or change.counties_added or change.counties_removed:
            changes.append(change)
    changes.extend(ItemChange("removed", item, None) for item in old if item["key"] not in new_by_key)
    return changes


def snapshot_diff(old: dict, new: dict) -> SnapshotDiff:
    """What changed from `old` to `new`, item by item (matched by key), field by field."""
    old_labels, new_labels = _reference_labels(old), _reference_labels(new)
    plan_changes = [
        FieldChange(name, old["plan"].get(name, _DEFAULTS.get(name)), new["plan"].get(name, _DEFAULTS.get(name)))
        for name in PLAN_FIELDS
        if old["plan"].get(name, _DEFAULTS.get(name)) != new["plan"].get(name, _DEFAULTS.get(name))
    ]
    return SnapshotDiff(
        plan=plan_changes,
        sections=_compare(old["sections"], new["sections"], SECTION_FIELDS, old_labels, new_labels, ("parent",)),
        tasks=_compare(old["tasks"], new["tasks"], TASK_FIELDS, old_labels, new_labels, ("section",)),
        projects=_compare(old["projects"], new["projects"], PROJECT_FIELDS, old_labels, new_labels),
        entries=_compare(old["entries"], new["entries"], ENTRY_FIELDS, old_labels, new_labels, ("task",)),
    )
