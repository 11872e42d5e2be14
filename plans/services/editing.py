"""Drafting in the browser: a blank plan, last year's plan copied into a new year, and a
draft's content saved from the edit page.

Every write goes through `plan_content_write` (rows matched by key, so a task keeps its id
while it is edited, moved or renumbered), inside one transaction, recorded in the history
against `acting_user`. Numbers and positions follow the order of the lists given: they are
always 1..n, whatever was added, removed or moved.
"""

import datetime
import re
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.services import log_action
from organisation.models import Office
from plans import actions
from plans.models import WorkPlan
from plans.services.content import plan_content_write, plan_snapshot
from plans.services.drafts import draft_write
from plans.services.drafts import error_messages as draft_errors
from plans.services.lifecycle import error_messages as lifecycle_errors
from plans.snapshots import PLAN_FIELDS, header_apply
from schedule.numerals import int_to_cn
from schedule.periods import parse_period
from supervision.history import acting_as

Status = WorkPlan.Status

error_messages = {
    "not_draft": draft_errors["not_draft"],
    "title_required": _("A plan needs a title."),
    "year_range": _("Enter a year between 1949 and 2100."),
    "year_taken": _("%(office)s already has a plan “%(title)s” for %(year)s."),
    "not_copyable": _("A draft revision cannot be copied; copy the plan it revises."),
    "bad_key": _("The form was altered or incomplete; open the edit page again."),
    "task_title_required": _("Task %(number)s needs a title."),
    "section_heading_required": _("Every section needs a heading."),
    "period_unreadable": _(
        "“%(period)s” is not a period this page can read. Write it as people do: "
        "3月, 8-9月, 二季度, 3月上旬, 1月31日前, 全年, 每月."
    ),
    "entry_text_required": _("A calendar line needs a period and what is to be done."),
}

# Header fields the edit page writes; plan_year only for a plan that is not a revision (a
# revision is of its plan's year).
HEADER_FIELDS = tuple(name for name in PLAN_FIELDS if name != "projects_first")

_CN_DIGITS = "〇一二三四五六七八九"
_SECTION_LABEL = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)$")
_TASK_LABEL = re.compile(r"^(?P<open>（?)(?P<number>\d+)(?P<close>[.．、）]?)$")


def _event(plan: WorkPlan, acting_user, comment: str = "") -> None:
    log_action(
        plan, actions.PLAN_CREATED, user=acting_user, office=plan.office, data={"comment": comment} if comment else {}
    )


def _check_year(year) -> None:
    if not isinstance(year, int) or not 1949 <= year <= 2100:
        raise ValidationError({"plan_year": ValidationError(error_messages["year_range"], code="year_range")})


def _check_year_free(*, office: Office, plan_year: int, title: str) -> None:
    # A second click on "copy" or "create" must not make a second identical draft.
    if WorkPlan.objects.filter(office=office, plan_year=plan_year, title=title, revision_of=None).exists():
        raise ValidationError(
            error_messages["year_taken"],
            code="year_taken",
            params={"office": office.name, "title": title, "year": plan_year},
        )


@transaction.atomic
def work_plan_create(*, office: Office, plan_year: int, title: str, acting_user) -> WorkPlan:
    """A blank draft of `office` for `plan_year`, to be written on the edit page."""
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": ValidationError(error_messages["title_required"], code="title_required")})
    _check_year(plan_year)
    _check_year_free(office=office, plan_year=plan_year, title=title)
    plan = WorkPlan(office=office, plan_year=plan_year, title=title, status=Status.DRAFT, created_by=acting_user)
    with acting_as(acting_user):
        plan.save()
    _event(plan, acting_user)
    return plan


# --- Copying a plan into a new year -------------------------------------------------------------


def _cn_year(year: int) -> str:
    return "".join(_CN_DIGITS[int(digit)] for digit in str(year))


def year_shift_text(text: str, old: int, new: int) -> str:
    """2017年 → 2018年 and 二〇一七年 → 二〇一八年; other numbers stay as written."""
    if not text:
        return text
    text = re.sub(rf"(?<!\d){old}(?=\s*年)", str(new), text)
    cn_old = _cn_year(old)
    variants = {cn_old, cn_old.replace("〇", "○"), cn_old.replace("〇", "零")}
    for variant in variants:
        text = text.replace(variant + "年", _cn_year(new) + "年")
    return text


def _date_shift(value: datetime.date | None, years: int) -> datetime.date | None:
    if value is None:
        return None
    try:
        return value.replace(year=value.year + years)
    except ValueError:  # 29 February into a year without one
        return value.replace(year=value.year + years, day=28)


def _fresh_keys(content: dict) -> dict:
    """The same content under new keys: next year's tasks are new rows, not last year's."""
    keys: dict[str, str] = {}

    def fresh(key):
        if key is None:
            return None
        return keys.setdefault(key, str(uuid.uuid4()))

    return {
        **content,
        "sections": [
            {**item, "key": fresh(item["key"]), "parent": fresh(item.get("parent"))} for item in content["sections"]
        ],
        "tasks": [
            {**item, "key": fresh(item["key"]), "section": fresh(item.get("section"))} for item in content["tasks"]
        ],
        "projects": [{**item, "key": fresh(item["key"])} for item in content["projects"]],
        "entries": [
            {**item, "key": fresh(item["key"]), "task": fresh(item.get("task"))} for item in content["entries"]
        ],
    }


@transaction.atomic
def work_plan_copy(*, source: WorkPlan, plan_year: int | None = None, acting_user) -> WorkPlan:
    """A new draft of `source`'s office for `plan_year` (the year after `source`'s unless
    given): its sections, tasks, counties, projects and calendar carried over, the year in
    its title, notice and dates moved on, its 文号 cleared (a new notice gets a new one)."""
    if source.revision_of_id is not None:
        raise ValidationError(error_messages["not_copyable"], code="not_copyable")
    plan_year = source.plan_year + 1 if plan_year is None else plan_year
    _check_year(plan_year)
    content = _fresh_keys(plan_snapshot(source))
    header = dict(content["plan"])
    old = source.plan_year
    years = plan_year - old
    for name in ("title", "notice_title", "notice_text", "imprint", "preamble"):
        header[name] = year_shift_text(header[name], old, plan_year)
    header.update(
        doc_number="",
        plan_year=plan_year,
        issue_date=_date_shift(source.issue_date, years),
    )
    _check_year_free(office=source.office, plan_year=plan_year, title=header["title"])
    for entry in content["entries"]:
        entry["period"] = year_shift_text(entry["period"], old, plan_year)
    plan = WorkPlan(office=source.office, status=Status.DRAFT, created_by=acting_user)
    header_apply(plan, header)
    with acting_as(acting_user):
        plan.save()
        plan_content_write(plan=plan, content=content, match_by="key", acting_user=acting_user)
    _event(plan, acting_user, comment=gettext("Copied from %(plan)s") % {"plan": source})
    return plan


# --- Saving the edit page -------------------------------------------------------------------------


def _section_labels(sections: list[dict], current: dict[str, dict]) -> None:
    """一、二、… for headings, （一）（二）… under each; a label written otherwise (第一部分)
    stays as it was."""
    top = sub = 0
    parent = None
    for item in sections:
        if item["level"] == 1:
            top, sub, parent = top + 1, 0, item["key"]
            item["parent"] = None
            standard = f"{int_to_cn(top)}、"
        else:
            sub += 1
            item["parent"] = parent
            standard = f"（{int_to_cn(sub)}）"
        was = current.get(item["key"], {}).get("label", "")
        same_level = current.get(item["key"], {}).get("level") == item["level"]
        item["label"] = standard if (not was or _SECTION_LABEL.match(was) or not same_level) else was


def _task_labels(tasks: list[dict], current: dict[str, dict]) -> None:
    """A task's label is its number as the notice writes it (1. 1、 （1））; numbering that
    restarts in each section keeps restarting."""
    styles, restarts = [], False
    for item in current.values():
        match = _TASK_LABEL.match(item.get("label") or "")
        if match:
            styles.append((match["open"], match["close"]))
            restarts |= int(match["number"]) != item["number"]
    default = styles[0] if styles else ("", ".")
    index_in_section, section = 0, object()
    for number, item in enumerate(tasks, start=1):
        if item.get("section") != section:
            section, index_in_section = item.get("section"), 0
        index_in_section += 1
        was = current.get(item["key"], {}).get("label", "")
        match = _TASK_LABEL.match(was)
        if was and not match:
            item["label"] = was  # written some other way: kept
            continue
        opening, closing = (match["open"], match["close"]) if match else default
        item["label"] = f"{opening}{index_in_section if restarts else number}{closing}"


def _entry_dates(item: dict, current: dict | None) -> dict:
    """Months, granularity and deadline of a calendar line from its period as written. A
    period unchanged since it was imported keeps what the importer read in its context."""
    period = (item.get("period") or "").strip()
    if current is not None and current["period"] == period:
        return {
            "months": current["months"],
            "granularity": current["granularity"],
            "deadline_day": current.get("deadline_day"),
        }
    parsed = parse_period(period)
    if parsed is None:
        raise ValidationError(error_messages["period_unreadable"], code="period_unreadable", params={"period": period})
    return {
        "months": list(parsed.months),
        "granularity": parsed.granularity,
        "deadline_day": parsed.deadline_day,
    }


def _entry_order(entries: list[dict], current: dict[str, dict]) -> list[dict]:
    """Calendar lines in the order of the plan's calendar: existing lines keep their places
    (lines moved within their task trade places there), a new line follows the line before it
    in its task, and a task's first lines go to the end. Positions then carry no change that
    nobody made."""
    groups: dict[object, list[int]] = {}
    for index, item in enumerate(entries):
        groups.setdefault(item.get("task"), []).append(index)
    rank: dict[int, float] = {}
    for indexes in groups.values():
        kept = [i for i in indexes if entries[i]["key"] in current]
        slots = sorted(current[entries[i]["key"]]["position"] for i in kept)
        rank.update({i: float(slot) for i, slot in zip(kept, slots, strict=True)})
    end = max(rank.values(), default=0.0)
    for indexes in groups.values():
        for step, i in enumerate(indexes):
            if i in rank:
                continue
            before = [rank[j] for j in indexes[:step]]
            after = [rank[j] for j in indexes[step + 1 :] if j in rank]
            if before:
                rank[i] = before[-1] + 1e-3
            elif after:
                rank[i] = after[0] - 0.5
            else:
                end += 1.0
                rank[i] = end
    return [entries[i] for i in sorted(range(len(entries)), key=lambda i: (rank[i], i))]


def _key(value) -> str | None:
    if value in (None, ""):
        return None
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise ValidationError(error_messages["bad_key"], code="bad_key") from None


def _check_keys(content: dict) -> None:
    """Keys are UUIDs, each once; a task names a section given, a line a task given."""
    seen = set()
    for kind in ("sections", "tasks", "entries"):
        for item in content[kind]:
            item["key"] = _key(item.get("key"))
            if item["key"] is None or item["key"] in seen:
                raise ValidationError(error_messages["bad_key"], code="bad_key")
            seen.add(item["key"])
    sections = {item["key"] for item in content["sections"]}
    tasks = {item["key"] for item in content["tasks"]}
    for kind, reference, targets in (("tasks", "section", sections), ("entries", "task", tasks)):
        for item in content[kind]:
            item[reference] = _key(item.get(reference))
            if item[reference] is not None and item[reference] not in targets:
                raise ValidationError(error_messages["bad_key"], code="bad_key")


def _renew_keys(content: dict, current_keys: set[str]) -> None:
    """New rows get keys of our own: a key the browser made up is only a name for the form."""
    renamed = {}
    for kind in ("sections", "tasks", "entries"):
        for item in content[kind]:
            if item["key"] not in current_keys:
                renamed[item["key"]] = item["key"] = str(uuid.uuid4())
    for item in content["tasks"]:
        item["section"] = renamed.get(item.get("section"), item.get("section"))
    for item in content["entries"]:
        item["task"] = renamed.get(item.get("task"), item.get("task"))


def _check_doc_number(plan: WorkPlan, doc_number: str) -> None:
    if not doc_number:
        return
    others = WorkPlan.objects.filter(office_id=plan.office_id, doc_number=doc_number, revision_of=None)
    others = others.exclude(pk=plan.pk)
    if plan.revision_of_id is not None:
        others = others.exclude(pk=plan.revision_of_id)
    if others.exists():
        raise ValidationError(
            {
                "doc_number": ValidationError(
                    lifecycle_errors["doc_number_taken"],
                    code="doc_number_taken",
                    params={"doc_number": doc_number},
                )
            }
        )


def work_plan_update(*, plan: WorkPlan, content: dict, expected_version: int, acting_user) -> WorkPlan:
    """Save a draft from the edit page: its header, sections, tasks and calendar lines.

    `content` has the shape of plans.snapshots (its "plan" part holds the header fields the
    page edits; "projects" are left as they are): sections, tasks and lines in the order the
    page shows them, tasks pointing at their section's key, lines at their task's key (None
    for the calendar's own lines). Rows whose key the plan has are updated in place; others
    are new; rows left out are deleted. A save based on an older version than the plan's is
    refused, so that nobody overwrites what someone else saved meanwhile.
    """
    if expected_version is None:
        # The page always sends the version it was opened at: a form without one is stale.
        expected_version = 0
    with draft_write(
        plan=plan, expected_version=expected_version, acting_user=acting_user, action=actions.PLAN_EDITED
    ) as write:
        _update(write, content)
    return write.plan


def _update(write, content: dict) -> None:
    plan = write.plan
    content = {
        "plan": dict(content.get("plan", {})),
        "sections": [dict(item) for item in content.get("sections", [])],
        "tasks": [dict(item) for item in content.get("tasks", [])],
        "entries": [dict(item) for item in content.get("entries", [])],
    }
    _check_keys(content)
    current = plan_snapshot(plan)
    current_by_key = {item["key"]: item for kind in ("sections", "tasks", "entries") for item in current[kind]}
    _renew_keys(content, set(current_by_key))

    header = {name: content["plan"][name] for name in HEADER_FIELDS if name in content["plan"]}
    if plan.revision_of_id is not None:
        header.pop("plan_year", None)
    if "title" in header:
        header["title"] = (header["title"] or "").strip()
        if not header["title"]:
            raise ValidationError({"title": ValidationError(error_messages["title_required"], code="title_required")})
    if "plan_year" in header:
        _check_year(header["plan_year"])
    _check_doc_number(plan, header.get("doc_number", plan.doc_number))

    sections = content["sections"]
    for item in sections:
        item["level"] = 2 if int(item.get("level") or 1) == 2 else 1
        item["heading"] = (item.get("heading") or "").strip()
        item["text"] = item.get("text") or ""
        if not item["heading"]:
            raise ValidationError(error_messages["section_heading_required"], code="section_heading_required")
    _section_labels(sections, current_by_key)

    # Tasks follow their sections (tasks before the first heading lead): numbers 1..n in the
    # order the notice prints them.
    section_rank = {item["key"]: rank for rank, item in enumerate(sections, start=1)}
    tasks = sorted(content["tasks"], key=lambda item: section_rank.get(item.get("section"), 0))
    for number, item in enumerate(tasks, start=1):
        was = current_by_key.get(item["key"], {})
        item["title"] = (item.get("title") or "").strip()
        if not item["title"]:
            raise ValidationError(
                error_messages["task_title_required"], code="task_title_required", params={"number": number}
            )
        item["text"] = (item.get("text") or "").strip() or item["title"]
        item["lead_unit"] = (item.get("lead_unit") or "").strip()
        item["addresses_all_counties"] = bool(item.get("addresses_all_counties"))
        item["counties"] = [list(pair) for pair in item.get("counties", [])]
        item.setdefault("lead_office", was.get("lead_office"))
        item.setdefault("unconfirmed_places", was.get("unconfirmed_places", []))
    _task_labels(tasks, {k: v for k, v in current_by_key.items() if "title" in v})

    entries = []
    for item in content["entries"]:
        was = current_by_key.get(item["key"])
        item["period"] = (item.get("period") or "").strip()
        item["text"] = (item.get("text") or "").strip()
        if not item["period"] or not item["text"]:
            raise ValidationError(error_messages["entry_text_required"], code="entry_text_required")
        item.update(_entry_dates(item, was))
        item["lead_unit"] = (item.get("lead_unit") or "").strip()
        # The page does not edit a line's own counties: they stay as imported.
        item.setdefault("counties", was.get("counties", []) if was else [])
        item.setdefault("unconfirmed_places", was.get("unconfirmed_places", []) if was else [])
        entries.append(item)
    entries = _entry_order(entries, {k: v for k, v in current_by_key.items() if "period" in v})

    write.content_write(
        content={
            "sections": sections,
            "tasks": tasks,
            "projects": current["projects"],
            "entries": entries,
        },
        match_by="key",
    )
    header_apply(plan, header)
    write.fields += list(header)
    write.data.update(sections=len(sections), tasks=len(tasks), entries=len(entries))
