"""The forms of the edit page and the outline that holds them together.

The page is one form: the header, then the plan's outline (sections, their tasks, each
task's calendar lines, and the calendar's own lines). Every row's fields carry the row's key
in their prefix (`t-<key>-title`), and the outline is the list of hidden `outline` inputs in
the order the page shows them ("s:<key>", "t:<key>", "e:<key>", "annex"): a task belongs to
the section before it, a line to the task before it. Moving a block on the page (a button
without JavaScript, a drag with it) therefore moves it in what is saved, and numbers follow.

Without JavaScript the buttons that add, remove and move a row send the form back; the page
comes back with the change made and everything typed kept, and nothing is saved until "Save".
"""

import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from types import SimpleNamespace

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from plans.selectors.editing import CountyResolver
from plans.services.editing import error_messages as editing_errors
from plans.templatetags.plan_extras import deadline_label, months_label
from schedule.numerals import int_to_cn
from schedule.periods import parse_period

OUTLINE = "outline"
ANNEX = "annex"


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


# --- Periods ------------------------------------------------------------------------------------


def period_reading(text: str) -> dict | None:
    """What a period as written means: its months and the day it is due, in words."""
    reading = _period_reading(text or "", get_language())
    return None if reading is None else {**reading, "months": list(reading["months"])}


@lru_cache(maxsize=1024)
def _period_reading(text: str, language: str | None) -> dict | None:
    # Read once per text and language in a process: an edit page reads every calendar line's
    # period, and most plans write the same few (3月, 全年, 二季度).
    period = parse_period(text)
    if period is None:
        return None
    months = list(period.months)
    due = deadline_label(SimpleNamespace(deadline_day=period.deadline_day, end_month=period.end_month))
    summary = gettext("Read as: %(months)s") % {"months": months_label(months)}
    if due:
        summary += gettext(" · due %(date)s") % {"date": due}
    return {
        "months": months,
        "granularity": period.granularity,
        "deadline_day": period.deadline_day,
        "deadline": due,
        "summary": summary,
    }


def period_error(text: str) -> str:
    return str(editing_errors["period_unreadable"]) % {"period": text}


# --- The forms ------------------------------------------------------------------------------------


class _EditForm(forms.Form):
    # Browsers would stop "add a task" while some other field is still empty: the server checks.
    use_required_attribute = False

    def __init__(self, *args, **kwargs):
        # The edit page writes its labels itself (plans.templatetags.plan_editing), with no
        # suffix: the default one is translated anew for each of a page's 150 forms.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class _SharedFields(dict):
    """A form class's fields, given to each of its forms as they are instead of deep-copied:
    the edit page of a large draft makes some 150 forms (a section's, a task's, a calendar
    line's), and copying their fields was a fifth of the page's time. Nothing changes these
    forms' fields per form (a form may still add or remove fields of its own dictionary)."""

    def __deepcopy__(self, memo):
        return dict(self)


def _shared_fields(form_class):
    form_class.base_fields = _SharedFields(form_class.base_fields)
    return form_class


class PlanHeaderForm(_EditForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    title = forms.CharField(label=_("Title"), max_length=500)
    plan_year = forms.IntegerField(label=_("Plan year"), min_value=1949, max_value=2100)
    doc_number = forms.CharField(
        label=_("Document number"),
        max_length=64,
        required=False,
        help_text=_("As printed, e.g. 郑教督〔2025〕1号. Leave empty until the notice has one."),
    )
    issue_date = forms.DateField(
        label=_("Issue date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    notice_title = forms.CharField(
        label=_("Notice title"),
        max_length=500,
        required=False,
        help_text=_("The covering notice's title (关于印发……的通知), if the plan is issued with one."),
    )
    recipients = forms.CharField(
        label=_("Recipients (主送)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line."),
    )
    notice_text = forms.CharField(label=_("Notice text"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    preamble = forms.CharField(
        label=_("Preamble"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the plan says before its first section."),
    )
    cc = forms.CharField(
        label=_("Copied to (抄送)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line."),
    )
    imprint = forms.CharField(label=_("Imprint (印发)"), max_length=500, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, revision: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if revision:
            # A revision is of its plan's year.
            del self.fields["plan_year"]

    def clean_recipients(self):
        return _lines(self.cleaned_data["recipients"])

    def clean_cc(self):
        return _lines(self.cleaned_data["cc"])

    @staticmethod
    def initial_from(header: dict, version: int) -> dict:
        return {
            **{
                name: header.get(name)
                for name in (
                    "title",
                    "plan_year",
                    "doc_number",
                    "issue_date",
                    "notice_title",
                    "notice_text",
                    "preamble",
                    "imprint",
                    "notes",
                )
            },
            "recipients": "\n".join(header.get("recipients") or []),
            "cc": "\n".join(header.get("cc") or []),
            "version": version,
        }


@_shared_fields
class SectionEditForm(_EditForm):
    level = forms.TypedChoiceField(
        label=_("Level"),
        coerce=int,
        choices=[(1, _("Heading (一、)")), (2, _("Subheading (（一）)"))],
    )
    heading = forms.CharField(label=_("Heading"), max_length=500)
    text = forms.CharField(label=_("Text under the heading"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


@_shared_fields
class TaskEditForm(_EditForm):
    title = forms.CharField(
        label=_("Title"),
        help_text=_("The task's lead phrase, printed in bold."),
        widget=forms.Textarea(attrs={"rows": 1}),
    )
    text = forms.CharField(
        label=_("Full text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Left empty, the title is the whole text."),
    )
    lead_unit = forms.CharField(label=_("Lead unit"), required=False, max_length=500)
    counties = forms.CharField(
        label=_("Target counties"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-suggest-multi": ""}),
        help_text=_("Names separated by 、 or spaces; short forms are understood (管城区, 孟津县)."),
    )
    all_counties = forms.BooleanField(label=_("All counties of the region"), required=False)

    def __init__(self, *args, resolver: CountyResolver | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.resolver = resolver

    def clean_counties(self):
        text = self.cleaned_data["counties"]
        if not text.strip() or self.resolver is None:
            return []
        counties, unknown, ambiguous = self.resolver.resolve(text)
        problems = []
        if unknown:
            problems.append(
                ValidationError(
                    _("Not a county of this office's region: %(names)s."),
                    code="unknown_county",
                    params={"names": "、".join(unknown)},
                )
            )
        if ambiguous:
            problems.append(
                ValidationError(
                    _("%(names)s could mean more than one county; add the city, as in 鼓楼区（福州市）."),
                    code="ambiguous_county",
                    params={"names": "、".join(ambiguous)},
                )
            )
        if problems:
            raise ValidationError(problems)
        return [[county.pk, county.name] for county in counties]


@_shared_fields
class EntryEditForm(_EditForm):
    period = forms.CharField(
        label=_("When"),
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-period": "", "class": "period-input"}),
        help_text=_("As people write it: 3月, 8-9月, 二季度, 3月上旬, 1月31日前, 全年, 每月."),
    )
    text = forms.CharField(label=_("What"), widget=forms.Textarea(attrs={"rows": 1}))
    lead_unit = forms.CharField(label=_("Lead unit"), required=False, max_length=500)

    def __init__(self, *args, stored_period: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # A period the importer read in its context stays valid while nobody changes it.
        self.stored_period = stored_period

    def clean_period(self):
        period = self.cleaned_data["period"].strip()
        if period and period != self.stored_period and parse_period(period) is None:
            raise ValidationError(period_error(period), code="period_unreadable")
        return period


# --- The outline -------------------------------------------------------------------------------------


class OutlineError(Exception):
    """The posted outline is not one this page sent: a tampered or truncated form."""


@dataclass
class EntryBlock:
    key: str
    form: EntryEditForm = None
    is_new: bool = False
    focus: bool = False


@dataclass
class TaskBlock:
    key: str
    entries: list[EntryBlock] = field(default_factory=list)
    form: TaskEditForm = None
    is_new: bool = False
    focus: bool = False
    number: int = 0
    label: str = ""


@dataclass
class SectionBlock:
    """A section and its tasks; key None: the tasks printed before the first heading."""

    key: str | None
    tasks: list[TaskBlock] = field(default_factory=list)
    form: SectionEditForm = None
    is_new: bool = False
    focus: bool = False
    label: str = ""


def new_key() -> str:
    return str(uuid.uuid4())


def _checked_key(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise OutlineError(value) from None


def outline_parse(tokens: list[str]) -> tuple[list[SectionBlock], list[EntryBlock]]:
    """The outline's blocks (keys only) from the posted `outline` values."""
    parts = [SectionBlock(None)]
    annex: list[EntryBlock] = []
    task, in_annex, seen = None, False, set()
    for token in tokens:
        if token == ANNEX:
            in_annex, task = True, None
            continue
        kind, _sep, raw = token.partition(":")
        key = _checked_key(raw)
        if key in seen:
            raise OutlineError(token)
        seen.add(key)
        if kind == "s":
            parts.append(SectionBlock(key))
            task, in_annex = None, False
        elif kind == "t":
            task, in_annex = TaskBlock(key), False
            parts[-1].tasks.append(task)
        elif kind == "e":
            (annex if in_annex or task is None else task.entries).append(EntryBlock(key))
        else:
            raise OutlineError(token)
    return parts, annex


def outline_from_snapshot(snapshot: dict) -> tuple[list[SectionBlock], list[EntryBlock]]:
    parts = [SectionBlock(None)] + [SectionBlock(item["key"]) for item in snapshot["sections"]]
    by_section = {part.key: part for part in parts}
    tasks = {}
    for item in snapshot["tasks"]:
        task = TaskBlock(item["key"])
        tasks[item["key"]] = task
        by_section.get(item["section"], parts[0]).tasks.append(task)
    annex = []
    for item in snapshot["entries"]:
        owner = tasks.get(item["task"])
        (owner.entries if owner is not None else annex).append(EntryBlock(item["key"]))
    return parts, annex


# --- Changes made by the page's buttons ----------------------------------------------------------


def _move(items: list, index: int, step: int) -> bool:
    target = index + step
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
        return True
    return False


def outline_apply(op: str, parts: list[SectionBlock], annex: list[EntryBlock]) -> str | None:
    """Make the change a button asks for; returns the key of the block to focus."""
    action, _sep, raw = op.partition(":")
    key = _checked_key(raw) if raw and raw != "lead" else raw
    sections = parts[1:]
    tasks = [(part, task) for part in parts for task in part.tasks]
    entries = [(task.entries, entry) for _p, task in tasks for entry in task.entries]
    entries += [(annex, entry) for entry in annex]

    if action == "section-add":
        block = SectionBlock(new_key(), is_new=True)
        parts.append(block)
        return block.key
    if action in ("section-up", "section-down", "section-remove"):
        index = next((i for i, part in enumerate(sections) if part.key == key), None)
        if index is None:
            raise OutlineError(op)
        if action == "section-remove":
            # Its tasks stay: they join the section before it.
            section = parts.pop(index + 1)
            parts[index].tasks.extend(section.tasks)
            return parts[index].key
        moved = sections[:]
        _move(moved, index, -1 if action == "section-up" else 1)
        parts[1:] = moved
        return key
    if action == "task-add":
        part = next((p for p in parts if (p.key or "lead") == key), None)
        if part is None:
            raise OutlineError(op)
        block = TaskBlock(new_key(), is_new=True)
        part.tasks.append(block)
        return block.key
    if action in ("task-after", "task-up", "task-down", "task-remove"):
        found = next(((p, t) for p, t in tasks if t.key == key), None)
        if found is None:
            raise OutlineError(op)
        part, task = found
        index = part.tasks.index(task)
        if action == "task-after":
            block = TaskBlock(new_key(), is_new=True)
            part.tasks.insert(index + 1, block)
            return block.key
        if action == "task-remove":
            part.tasks.pop(index)
            return None
        step = -1 if action == "task-up" else 1
        if not _move(part.tasks, index, step):
            # At the edge of its section: into the neighbouring one (first or last there).
            position = parts.index(part) + step
            if 0 <= position < len(parts):
                part.tasks.pop(index)
                neighbour = parts[position]
                neighbour.tasks.insert(len(neighbour.tasks) if step < 0 else 0, task)
        return key
    if action == "entry-add":
        task = next((t for _p, t in tasks if t.key == key), None)
        if task is None:
            raise OutlineError(op)
        block = EntryBlock(new_key(), is_new=True)
        task.entries.append(block)
        return block.key
    if action == "annex-add":
        block = EntryBlock(new_key(), is_new=True)
        annex.append(block)
        return block.key
    if action in ("entry-up", "entry-down", "entry-remove"):
        found = next(((owner, e) for owner, e in entries if e.key == key), None)
        if found is None:
            raise OutlineError(op)
        owner, entry = found
        index = owner.index(entry)
        if action == "entry-remove":
            owner.pop(index)
            return None
        _move(owner, index, -1 if action == "entry-up" else 1)
        return key
    raise OutlineError(op)


# --- The page's forms --------------------------------------------------------------------------------


def _raw_initial(form_class, data, prefix: str) -> dict:
    """What was typed into a form's fields, as the initial values of an unbound form."""
    initial = {}
    for name, form_field in form_class.base_fields.items():
        key = f"{prefix}-{name}"
        if isinstance(form_field, forms.BooleanField):
            initial[name] = key in data
        elif key in data:
            initial[name] = data.get(key)
    return initial


@dataclass
class PlanEditor:
    """The edit page's forms, in the outline's order.

    mode "initial": from the plan as saved; "typed": from a posted form, unbound (a button
    changed the outline, nothing is checked yet); "bound": from a posted form, to validate.
    """

    header: PlanHeaderForm
    parts: list[SectionBlock]
    annex: list[EntryBlock]
    focus: str | None = None
    errors: list[str] = field(default_factory=list)
    stale: dict | None = None

    @classmethod
    def build(cls, *, plan, snapshot: dict, mode: str, data=None, resolver=None, op: str | None = None):
        if mode == "initial":
            parts, annex = outline_from_snapshot(snapshot)
        else:
            parts, annex = outline_parse(data.getlist(OUTLINE))
        focus = outline_apply(op, parts, annex) if op else None
        items = {item["key"]: item for kind in ("sections", "tasks", "entries") for item in snapshot[kind]}
        revision = plan.revision_of_id is not None

        def make(form_class, prefix, key, initial_from_item, **extra):
            item = items.get(key)
            if mode == "bound":
                return form_class(data, prefix=prefix, empty_permitted=item is None, **extra)
            if mode == "typed":
                return form_class(prefix=prefix, initial=_raw_initial(form_class, data, prefix), **extra)
            return form_class(prefix=prefix, initial=initial_from_item(item) if item else {}, **extra)

        if mode == "initial":
            header = PlanHeaderForm(
                prefix="plan",
                revision=revision,
                initial=PlanHeaderForm.initial_from(snapshot["plan"], plan.version),
            )
        elif mode == "typed":
            header = PlanHeaderForm(
                prefix="plan", revision=revision, initial=_raw_initial(PlanHeaderForm, data, "plan")
            )
        else:
            header = PlanHeaderForm(data, prefix="plan", revision=revision)

        for part in parts:
            if part.key is not None:
                part.is_new = part.key not in items
                part.form = make(
                    SectionEditForm,
                    f"s-{part.key}",
                    part.key,
                    lambda item: {"level": item["level"], "heading": item["heading"], "text": item["text"]},
                    **({"initial": {"level": 1}} if part.is_new and mode != "typed" else {}),
                )
            for task in part.tasks:
                task.is_new = task.key not in items
                task.form = make(
                    TaskEditForm,
                    f"t-{task.key}",
                    task.key,
                    lambda item: {
                        "title": item["title"],
                        "text": item["text"],
                        "lead_unit": item["lead_unit"],
                        "counties": "、".join(name for _id, name in item["counties"]),
                        "all_counties": item.get("addresses_all_counties", False),
                    },
                    resolver=resolver,
                )
                for entry in task.entries:
                    cls._entry_form(entry, items, make)
        for entry in annex:
            cls._entry_form(entry, items, make)
        editor = cls(header=header, parts=parts, annex=annex, focus=focus)
        editor.number()
        if focus:
            blocks = [*parts, *editor.tasks(), *(e for t in editor.tasks() for e in t.entries), *annex]
            for block in blocks:
                block.focus = block.key == focus
        return editor

    @staticmethod
    def _entry_form(entry: EntryBlock, items: dict, make) -> None:
        entry.is_new = entry.key not in items
        stored = items.get(entry.key)
        entry.form = make(
            EntryEditForm,
            f"e-{entry.key}",
            entry.key,
            lambda item: {"period": item["period"], "text": item["text"], "lead_unit": item["lead_unit"]},
            stored_period=stored["period"] if stored else None,
        )

    def number(self) -> None:
        """Numbers and labels as they will be saved (the service writes the same)."""
        number = top = sub = 0
        for part in self.parts:
            if part.form is not None:
                level = part.form["level"].value()
                if str(level) == "2":
                    sub += 1
                    part.label = f"（{int_to_cn(sub)}）"
                else:
                    top, sub = top + 1, 0
                    part.label = f"{int_to_cn(top)}、"
            for task in part.tasks:
                number += 1
                task.number = number

    @property
    def sections(self) -> list[SectionBlock]:
        return self.parts[1:]

    @property
    def leading(self) -> SectionBlock:
        return self.parts[0]

    def tasks(self):
        return [task for part in self.parts for task in part.tasks]

    def entry_count(self) -> int:
        return sum(len(task.entries) for task in self.tasks()) + len(self.annex)

    # --- Validation and the content to save ---------------------------------------------------------

    def _blank(self, form) -> bool:
        return form.empty_permitted and not form.has_changed()

    def is_valid(self) -> bool:
        valid = self.header.is_valid()
        for part in self.parts:
            tasks_kept = False
            for task in part.tasks:
                entries_kept = False
                for entry in task.entries:
                    valid &= entry.form.is_valid()
                    entries_kept |= not self._blank(entry.form)
                valid &= task.form.is_valid()
                if self._blank(task.form) and entries_kept:
                    task.form.add_error("title", forms.Field.default_error_messages["required"])
                    valid = False
                tasks_kept |= not self._blank(task.form) or entries_kept
            if part.form is not None:
                valid &= part.form.is_valid()
                if self._blank(part.form) and tasks_kept:
                    part.form.add_error("heading", forms.Field.default_error_messages["required"])
                    valid = False
        for entry in self.annex:
            valid &= entry.form.is_valid()
        return bool(valid)

    def content(self) -> dict:
        """The content to save (after is_valid): blank new rows are left out."""
        header = {k: v for k, v in self.header.cleaned_data.items() if k != "version"}
        sections, tasks, entries = [], [], []
        for part in self.parts:
            section_key = part.key
            if part.form is not None:
                if self._blank(part.form):
                    section_key = sections[-1]["key"] if sections else None
                else:
                    sections.append({"key": part.key, **part.form.cleaned_data})
            for task in part.tasks:
                kept = [e for e in task.entries if not self._blank(e.form)]
                if self._blank(task.form) and not kept:
                    continue
                data = task.form.cleaned_data
                tasks.append(
                    {
                        "key": task.key,
                        "section": section_key,
                        "title": data["title"],
                        "text": data["text"],
                        "lead_unit": data["lead_unit"],
                        "counties": data["counties"],
                        "addresses_all_counties": data["all_counties"],
                    }
                )
                entries += [{"key": e.key, "task": task.key, **e.form.cleaned_data} for e in kept]
        entries += [{"key": e.key, "task": None, **e.form.cleaned_data} for e in self.annex if not self._blank(e.form)]
        return {"plan": header, "sections": sections, "tasks": tasks, "entries": entries}

    def add_service_error(self, exc: ValidationError) -> None:
        if getattr(exc, "code", None) == "stale":
            self.stale = {**exc.params, "message": exc.messages[0]}
            return
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                if name in self.header.fields:
                    for error in errors:
                        self.header.add_error(name, error)
                else:
                    self.errors.extend(ValidationError(errors).messages)
            return
        self.errors.extend(exc.messages)

    def error_items(self) -> list:
        """What the page's error summary lists: every field in error, in the page's order,
        named by the part it belongs to (the header, 一、, 任务 3, its calendar line)."""
        from plans.error_summary import ErrorItem, form_error_items

        items = [ErrorItem(message) for message in self.errors]
        items += form_error_items(self.header, where=str(_("Header")))
        for part in self.parts:
            if part.form is not None:
                items += form_error_items(part.form, where=str(_("Section %(label)s") % {"label": part.label}))
            for task in part.tasks:
                name = gettext("Task %(number)s") % {"number": task.number}
                items += form_error_items(task.form, where=name)
                for entry in task.entries:
                    items += form_error_items(entry.form, where=str(_("%(task)s, calendar line") % {"task": name}))
        for entry in self.annex:
            items += form_error_items(entry.form, where=str(_("Calendar line not tied to a task")))
        return items

    @property
    def has_errors(self) -> bool:
        if self.errors or self.stale:
            return True
        forms_ = [self.header] + [p.form for p in self.parts if p.form is not None]
        forms_ += [t.form for t in self.tasks()]
        forms_ += [e.form for t in self.tasks() for e in t.entries] + [e.form for e in self.annex]
        return any(f.is_bound and f.errors for f in forms_)


TEMPLATE_KEY = "__KEY__"


def editor_templates() -> dict:
    """Blank blocks the page's script copies when it adds a section, task or line in place."""
    return {
        "section": SectionBlock(
            TEMPLATE_KEY, form=SectionEditForm(prefix=f"s-{TEMPLATE_KEY}", initial={"level": 1}), label="…"
        ),
        "task": TaskBlock(TEMPLATE_KEY, form=TaskEditForm(prefix=f"t-{TEMPLATE_KEY}"), number="…"),
        "entry": EntryBlock(TEMPLATE_KEY, form=EntryEditForm(prefix=f"e-{TEMPLATE_KEY}")),
    }


# --- Starting a plan ---------------------------------------------------------------------------------


class PlanCreateForm(forms.Form):
    office = forms.ModelChoiceField(label=_("Office"), queryset=None, empty_label=None)
    plan_year = forms.IntegerField(label=_("Plan year"), min_value=1949, max_value=2100)
    title = forms.CharField(
        label=_("Title"),
        max_length=500,
        help_text=_("As the notice will print it, e.g. 2026年郑州市教育督导工作要点."),
    )

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices


class PlanCopyForm(forms.Form):
    source = forms.TypedChoiceField(
        label=_("Plan to copy"),
        coerce=int,
        help_text=_(
            "Your offices' plans of recent years. To copy an older plan, open it and choose “Copy into a new year”."
        ),
    )
    plan_year = forms.IntegerField(
        label=_("Into the year"),
        min_value=1949,
        max_value=2100,
        help_text=_("Left empty: the year after the plan's."),
        required=False,
    )

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.sources = {plan.pk: plan for plan in sources}
        self.fields["source"].choices = [
            (plan.pk, f"{plan.office.name} · {plan.plan_year} · {plan}") for plan in sources
        ]

    def clean_source(self):
        return self.sources[self.cleaned_data["source"]]
