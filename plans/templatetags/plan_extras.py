"""Small display helpers for the plan pages."""

import html
import unicodedata

from django import forms, template
from django.conf import settings
from django.forms.utils import flatatt
from django.template.defaultfilters import linebreaksbr
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, add_truncation_text, calculate_truncate_chars_length
from django.utils.timezone import template_localtime
from django.utils.translation import gettext, gettext_noop, ngettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from plans.models import ScheduleEntry
from schedule.periods import period_due_date
from supervision.escaping import escape_text
from supervision.localtime import datetime_attribute

register = template.Library()
# An id no row has: a URL reversed once with it, each row's id put in its place.
_ID = 987654321


_URL_PARTS: dict[tuple, tuple[str, str]] = {}


def url_parts(name: str, *leading) -> tuple[str, str]:
    """The URL `name` of one object as the text before and after its id: a list's rows write
    `f"{before}{pk}{after}"` rather than reversing it a row. With `leading` arguments (the
    plan of a dashboard's rows), the id is the last of them and the parts are the caller's to
    keep; without, reversed once a process for each script prefix and URLconf (a page's tags
    asked it ten times a request)."""
    if leading:
        before, _id, after = reverse(name, args=[*leading, _ID]).rpartition(str(_ID))
        return before, after
    key = (name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    parts = _URL_PARTS.get(key)
    if parts is None:
        before, _id, after = reverse(name, args=[_ID]).partition(str(_ID))
        parts = _URL_PARTS[key] = (before, after)
    return parts


@register.filter
def paragraphs(text) -> list[str]:
    """The paragraphs of an imported text: one per line, blank lines dropped."""
    if not text:
        return []
    return [line.strip() for line in str(text).splitlines() if line.strip()]


# Months as a reading names them. In Chinese with Arabic numerals (3月, 3月–5月, 3月底), as the
# notices and the day after them are written: Django's month names (三月) made "截止 三月20日".
MONTH_NAMES = {
    1: pgettext_lazy("month in a reading", "January"),
    2: pgettext_lazy("month in a reading", "February"),
    3: pgettext_lazy("month in a reading", "March"),
    4: pgettext_lazy("month in a reading", "April"),
    5: pgettext_lazy("month in a reading", "May"),
    6: pgettext_lazy("month in a reading", "June"),
    7: pgettext_lazy("month in a reading", "July"),
    8: pgettext_lazy("month in a reading", "August"),
    9: pgettext_lazy("month in a reading", "September"),
    10: pgettext_lazy("month in a reading", "October"),
    11: pgettext_lazy("month in a reading", "November"),
    12: pgettext_lazy("month in a reading", "December"),
}


def month_day_label(month: int, day: int, *, day_format: str | None = None) -> str:
    """3月20日 (3/20 in English): the one way a reading writes a day. `day_format`: this
    language's form, looked up once by a tag that writes many (month_day_format)."""
    return (day_format or month_day_format()) % {"month": month, "day": day}


def month_day_format() -> str:
    return gettext("%(month)d/%(day)d")


@register.filter
def months_label(months: list[int]) -> str:
    """Months as runs: [3, 4, 5, 9] → "3月–5月、9月" ("March–May, September" in English)."""
    runs: list[list[int]] = []
    for month in sorted(months):
        if runs and month == runs[-1][-1] + 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    labels = [
        str(MONTH_NAMES[run[0]]) if len(run) == 1 else f"{MONTH_NAMES[run[0]]}–{MONTH_NAMES[run[-1]]}" for run in runs
    ]
    return pgettext("list separator", ", ").join(labels)


# Punctuation that closes a task's lead phrase in the notice (1.深化……改革。对接……).
_LEAD_ENDINGS = "。.．；;：:，,"


@register.filter
def task_text(task) -> dict:
    """A task's text split for printing as the notice does: bold lead phrase, then the rest.

    When the full text begins with the title, the title is not printed twice: the first
    paragraph continues after the bold lead phrase.
    """
    paragraph_list = paragraphs(task.text)
    title = task.title.strip()
    if paragraph_list and title and paragraph_list[0].startswith(title):
        first = paragraph_list[0][len(title) :]
        ending = first[:1] if first[:1] and first[:1] in _LEAD_ENDINGS else ""
        return {
            "title_end": ending,
            "lead_rest": first[len(ending) :],
            "paragraphs": paragraph_list[1:],
        }
    return {"title_end": "", "lead_rest": "", "paragraphs": paragraph_list}


@register.simple_tag(takes_context=True)
def county_chips(context, counties, unconfirmed=()) -> str:
    """The counties a task or calendar line names, as chips; linked where the reader may open
    the county's page (a county office: its own county only).

    A tag in Python rather than an include: it is printed for every task and calendar line, and
    written with f-strings (escape_text) rather than format_html, whose lazy escaping was most
    of a large notice's time; each county's chip is written once a page."""
    if not counties and not unconfirmed:
        return ""
    viewer_counties = context.get("viewer_counties")
    kept = render_kept(context)
    chips = []
    for county in counties:
        # Each county's chip written once a page: a calendar names the same few hundred times.
        chip = kept.get(("county_chip", county.pk))
        if chip is None:
            name = escape_text(county.name)
            if viewer_counties is None or county.pk in viewer_counties:
                before, after = url_parts("tracking:county_detail")
                url = escape_text(f"{before}{county.pk}{after}")
                chip = f'<li><a class="chip" href="{url}">{name}</a></li>'
            else:
                chip = f'<li><span class="chip">{name}</span></li>'
            kept["county_chip", county.pk] = chip
        chips.append(chip)
    if unconfirmed:
        title = escape_text(_translated(kept, gettext_noop("Not in the division table yet: to be confirmed")))
        chips.extend(
            f'<li><span class="chip chip--unconfirmed" title="{title}">{escape_text(name)}？</span></li>'
            for name in unconfirmed
        )
    label = escape_text(_translated(kept, gettext_noop("Target counties")))
    return mark_safe(f'<ul class="chips" aria-label="{label}">{"".join(chips)}</ul>')


# The notice's tasks and calendar lines are written here rather than as template includes: a
# large plan has 40 tasks and 150 calendar lines, and a line falls in several months; as
# includes they were three quarters of the time to render the plan page. The markup is what
# the includes wrote.


def render_kept(context) -> dict:
    """What a template's render works out once for all its tasks and lines: translated labels
    (a translation looks the active language up each time), deadlines, county URLs; another
    app's row tags keep theirs under a key of their own. Called with another engine's context
    (Jinja2's, in scripts/bench_templates.py), nothing is kept."""
    render_context = getattr(context, "render_context", None)
    if render_context is None:
        return {}
    return render_context.setdefault("plan_extras_kept", {})


def _translated(kept: dict, message: str) -> str:
    # Messages come marked with gettext_noop, for makemessages.
    text = kept.get(message)
    if text is None:
        text = kept[message] = gettext(message)
    return text


@register.simple_tag(takes_context=True)
def notice_outline(context, outline) -> str:
    """The notice's sections (heading and text) and their tasks (`notice_task`), as the
    template's loop wrote them: written here, a large plan's forty tasks under twenty headings
    were a third of an uncached notice's time in the loop's conditions and lookups."""
    out = []
    for part in outline:
        section, heading = part.section, ""
        if section:
            tag, level = ("h3", 1) if section.level == 1 else ("h4", 2)
            paragraphs_html = "".join(
                f'<p class="notice-paragraph">{escape_text(p)}</p>' for p in paragraphs(section.text)
            )
            heading = (
                f'\n        \n          <{tag} class="section-heading section-heading--{level}"'
                f' id="section-{escape_text(section.position)}">{escape_text(section.label)}'
                f"{escape_text(section.heading)}</{tag}>\n        \n        {paragraphs_html}\n      "
            )
        tasks = ""
        if part.tasks:
            written = "".join(notice_task(context, task) for task in part.tasks)
            tasks = f'\n        <ol class="tasks">\n          {written}\n        </ol>\n      '
        out.append(f"\n      {heading}\n      {tasks}\n    ")
    return mark_safe("".join(out))


@register.simple_tag
def toc_sections(outline) -> str:
    """The plan page's contents: each section (linked) with its tasks (linked), as the
    template's loop wrote them."""
    out = []
    for part in outline:
        section = part.section
        sub = ' class="plan-toc__sub"' if section and section.level == 2 else ""
        link = (
            f'<a href="#section-{escape_text(section.position)}">{escape_text(section.label)}'
            f"{escape_text(section.heading)}</a>"
            if section
            else ""
        )
        tasks = ""
        if part.tasks:
            items = "".join(
                f'<li><a href="#task-{escape_text(task.number)}">'
                f"{escape_text(task.label) if task.label else f'{escape_text(task.number)}.'}"
                f"{escape_text(task.title)}</a></li>"
                for task in part.tasks
            )
            tasks = f'\n          <ol class="plan-toc__tasks">\n            {items}\n          </ol>\n          '
        out.append(f"\n        <li{sub}>\n          {link}\n          {tasks}\n        </li>\n        ")
    return mark_safe("".join(out))


@register.simple_tag(takes_context=True)
def notice_task(context, task) -> str:
    """A task as the notice prints it: bold lead phrase, its text, lead unit, its calendar
    lines with their deadlines, and the counties it names."""
    body = task_text(task)
    kept = render_kept(context)
    parts = [
        '<p class="task__lead"><span class="task__number">'
        f"{escape_text(task.label or f'{task.number}.')}</span>"
        f'<strong class="task__title">{escape_text(task.title)}{escape_text(body["title_end"])}</strong>'
        f"{escape_text(body['lead_rest'])}</p>",
        "".join(f"<p>{escape_text(p)}</p>" for p in body["paragraphs"]),
    ]
    if task.lead_unit:
        label = escape_text(_translated(kept, gettext_noop("Lead unit:")))
        parts.append(f'<p class="task__lead-unit"><span class="label">{label}</span> {escape_text(task.lead_unit)}</p>')
    lines = getattr(task, "schedule_lines", None)
    if lines:
        label = escape_text(_translated(kept, gettext_noop("Work calendar:")))
        items = "".join(
            f'<li><span class="period">{escape_text(entry.period)}</span> {escape_text(entry.text)}'
            f"{_due_html(kept, entry)}</li>"
            for entry in lines
        )
        parts.append(
            f'<div class="task__schedule"><span class="label">{label}</span><ul class="schedule-lines">{items}</ul></div>'
        )
    if task.addresses_all_counties:
        label = escape_text(_translated(kept, gettext_noop("All counties of the region")))
        parts.append(f'<p class="task__all-counties"><span class="chip chip--all">{label}</span></p>')
    parts.append(county_chips(context, task.county_list, task.unconfirmed_places))
    return mark_safe(f'<li class="task" id="task-{escape_text(task.number)}">{"".join(parts)}</li>')


def _due_html(kept: dict, entry) -> str:
    if not entry.deadline_day:
        return ""
    key = ("due", entry.deadline_day, entry.end_month)
    due = kept.get(key)
    if due is None:
        label = deadline_label(entry)
        due = kept[key] = f' <span class="deadline">{escape_text(gettext("due %(due)s") % {"due": label})}</span>'
    return due


@register.simple_tag(takes_context=True)
def calendar_entries(context, entries) -> str:
    """Calendar lines as the notice's calendar lists them. A line that falls in several months
    is written once and repeated."""
    return mark_safe("".join(_calendar_entry(context, entry) for entry in entries))


def _calendar_entry(context, entry) -> str:
    viewer = context.get("viewer_counties")
    written = getattr(entry, "_notice_html", None)
    if written is not None and written[0] is viewer:
        return written[1]
    task = getattr(entry, "task", None) if entry.task_id is not None else None
    kept = render_kept(context)
    parts = [f'<li><span class="period">{escape_text(entry.period)}</span> {escape_text(entry.text)}']
    if entry.lead_unit:
        parts.append(f' <span class="muted">（{escape_text(entry.lead_unit)}）</span>')
    if task is not None:
        label = _translated(kept, gettext_noop("Task %(number)s")) % {"number": task.number}
        parts.append(f' <a class="task-ref" href="#task-{escape_text(task.number)}">{escape_text(label)}</a>')
    parts.append(county_chips(context, entry.county_list, entry.unconfirmed_places))
    parts.append("</li>")
    markup = "".join(parts)
    entry._notice_html = (viewer, markup)
    return markup


def truncated_chars(value, length: int, truncate: str | None = None) -> str:
    """`value` cut to `length` characters as Django's Truncator.chars cuts it (its ellipsis
    counted; combining marks not), by a slice when no combining mark comes before the cut: the
    lists cut a text or two a row, and Truncator looks at each character in Python. A loop
    passes `truncate` (ellipsis_text()) read once."""
    text = unicodedata.normalize("NFC", str(value))
    if length <= 0:
        return ""
    if len(text) <= length:
        return text
    if any(map(unicodedata.combining, text[: length + 1])):
        return Truncator(text).chars(length, truncate)
    if truncate is None:
        truncate = ellipsis_text()
    return add_truncation_text(text[: calculate_truncate_chars_length(length, truncate)], truncate)


def ellipsis_text() -> str:
    """The active language's truncation text, as Truncator reads it."""
    return pgettext("String to return when truncating text", "%(truncated_text)s…")


@register.simple_tag(takes_context=True)
def calendar_rows(context, calendar, notice=False) -> str:
    """A ScheduleCalendar's months (or quarters) as the rows of its table, with their lines:
    the calendar pages' (`schedule_items`, deadlines counted) or the notice's
    (`calendar_entries`). Written here rather than as a loop of the template: a dozen rows of
    conditions and translations each were a fifth of a calendar page's time."""
    if notice:
        prefix = "calendar-quarter" if calendar.by_quarter else "calendar-month"
    else:
        prefix = "period"
    current = escape_text(gettext("This quarter") if calendar.by_quarter else gettext("This month"))
    out = []
    for row in calendar.rows:
        is_current = row.is_current
        css = ("" if row.items else "is-empty") + (" is-current" if is_current else "")
        aria = ' aria-current="date"' if is_current else ""
        badge = f'<span class="badge badge--current">{current}</span>' if is_current else ""
        due = ""
        if row.deadlines and not notice:
            counted = ngettext("%(counter)s deadline", "%(counter)s deadlines", row.deadlines) % {
                "counter": row.deadlines
            }
            due = f'<span class="schedule-calendar__due">{counted}</span>'
        if not row.items:
            cell = '<span class="muted">—</span>\n          '
        elif notice:
            entries = calendar_entries(context, row.entries)
            cell = f'\n          <ul class="calendar-entries">\n            {entries}\n          </ul>\n          '
        else:
            items = schedule_items(context, row.due_first)
            cell = f'\n          <ul class="schedule-items">\n            {items}\n          </ul>\n          '
        out.append(
            f'\n      <tr id="{prefix}-{escape_text(row.key)}" class="{css}"{aria}>\n'
            f'        <th scope="row">\n'
            f"          {escape_text(row.label)}\n"
            f"          {badge}\n"
            f"          {due}\n"
            f"        </th>\n"
            f"        <td>\n"
            f"          {cell}\n"
            f"        </td>\n"
            f"      </tr>\n      "
        )
    return mark_safe("".join(out))


@register.simple_tag(takes_context=True)
def schedule_items(context, items, *, standing=False) -> str:
    """The calendar pages' lines (CalendarItem, or lines themselves when `standing`): period,
    due date, work, lead unit, task and counties; with `show_plan` in the context, the plan
    each line is from (the office's calendar).

    A tag in Python rather than an include: a large plan's calendar lists some 300 lines, and
    as includes they were most of the page's time, each with its URLs reversed anew."""
    show_plan = context.get("show_plan")
    kept = render_kept(context)
    # The URLs and words once a page, not once a call: a calendar calls this a month.
    urls: dict[tuple, str] = kept.setdefault("schedule_items_urls", {})

    def url(name, plan_id):
        key = (name, plan_id)
        if key not in urls:
            urls[key] = reverse(name, args=[plan_id])
        return urls[key]

    words = kept.get("schedule_items_words")
    if words is None:
        # Translated once (a translation looks the active language up each time).
        words = kept["schedule_items_words"] = (
            gettext("due %(day)s"),
            month_day_format(),
            gettext("Task %(number)s"),
            f'<span class="muted schedule-item__continued">{escape_text(gettext("(continued)"))}</span>',
        )
    due_text, day_format, task_text, continued_html = words
    out = []
    for item in items:
        entry, due, continued = (item, None, False) if standing else (item.entry, item.due, item.continued)
        parts = [f'<li class="schedule-item{" schedule-item--due" if due else ""}">']
        if due:
            text = due_text % {"day": month_day_label(due.month, due.day, day_format=day_format)}
            parts.append(f'<span class="deadline deadline--strong">{escape_text(text)}</span>')
        # A line falls in several months (and periods): written once a page (a saved one).
        key = ("schedule_entry", entry.pk) if entry.pk is not None else None
        written = kept.get(key) if key else None
        if written is None:
            written = (
                f'<span class="period">{escape_text(entry.period)}</span>',
                _schedule_entry_rest(context, entry, show_plan, url, task_text),
            )
            if key:
                kept[key] = written
        period, rest = written
        parts.append(period)
        if continued:
            parts.append(continued_html)
        parts.append(rest)
        out.append("\n  ".join(parts) + "\n</li>")
    return mark_safe("".join(out))


def _schedule_entry_rest(context, entry, show_plan, url, task_text) -> str:
    """A calendar line after its period: work, lead unit, plan, task and counties."""
    parts = [escape_text(entry.text)]
    if entry.lead_unit:
        parts.append(f'<span class="muted">（{escape_text(entry.lead_unit)}）</span>')
    if show_plan:
        plan = entry.plan
        link = (
            f'<a class="schedule-item__plan" href="{escape_text(url("plans:plan_calendar", entry.plan_id))}">'
            f"{escape_text(plan.title)}</a>"
        )
        if plan.status not in ("published", "archived"):
            link += (
                f' <span class="badge badge--{escape_text(plan.status)}">'
                f"{escape_text(plan.get_status_display())}</span>"
            )
        parts.append(link)
    if entry.task_id is not None:
        number = entry.task.number
        href = f"{url('plans:plan_detail', entry.plan_id)}#task-{number}"
        label = task_text % {"number": number}
        parts.append(f'<a class="task-ref" href="{escape_text(href)}">{escape_text(label)}</a>')
    chips = county_chips(context, entry.county_list, entry.unconfirmed_places)
    if chips:
        parts.append(chips)
    return "\n  ".join(parts)


@register.simple_tag
def filter_field(field) -> str:
    """A search or filter field with its label and errors: a text input or a select.

    Written out here rather than through the form renderer's templates: list pages print
    several on every request, and this is a tenth of the cost."""
    widget = field.field.widget
    attrs = {**widget.attrs, "name": field.html_name, "id": field.auto_id}
    errors = field.errors
    if errors:
        attrs.update({"aria-invalid": "true", "aria-describedby": f"{field.auto_id}_errors"})
    value = field.value()
    if hasattr(widget, "choices") and not isinstance(widget, forms.TextInput):
        selected = "" if value is None else str(value)
        options = "".join(
            f'<option value="{escape_text(choice)}"{" selected" if str(choice) == selected else ""}>'
            f"{escape_text(label)}</option>"
            for choice, label in field.field.choices
        )
        control = f"<select{flatatt(attrs)}>{options}</select>"
    else:
        attrs.setdefault("type", getattr(widget, "input_type", "text"))
        if value not in (None, ""):
            attrs["value"] = value
        control = f"<input{flatatt(attrs)}>"
    auto_id = escape_text(field.auto_id)
    shown = f'<div class="field-errors" id="{auto_id}_errors">{escape_text(" ".join(errors))}</div>' if errors else ""
    return mark_safe(
        f'<div class="field{" field--error" if errors else ""}"><label for="{auto_id}">'
        f"{escape_text(field.label)}</label>{control}{shown}</div>"
    )


def status_badge_html(plan) -> str:
    """A plan's status, and its revision, as HTML text."""
    badge = f'<span class="badge badge--{escape_text(plan.status)}">{escape_text(plan.get_status_display())}</span>'
    if plan.revision_of_id:
        extra = gettext("Draft revision %(number)s") % {"number": plan.revision}
        return f'{badge} <span class="badge badge--revision">{escape_text(extra)}</span>'
    if plan.revision > 1:
        extra = gettext("Revision %(number)s") % {"number": plan.revision}
        return f'{badge} <span class="badge badge--muted">{escape_text(extra)}</span>'
    return badge


@register.simple_tag
def status_badge(plan) -> str:
    """A plan's status, and its revision: printed on every row of the plan list."""
    return mark_safe(status_badge_html(plan))


@register.simple_tag
def plan_rows(plans) -> str:
    """The rows of the plan list (a page holds 25): written here, at a fifth of what the
    same rows cost as a template loop. The labels repeat on each cell for narrow screens."""
    number, office, year, issued, status, tasks, counties = (
        escape_text(gettext(label))
        for label in ("Document number", "Office", "Year", "Issue date", "Status", "Tasks", "Counties")
    )
    before, after = url_parts("plans:plan_detail")
    return mark_safe(
        "\n".join(
            f'<tr><td class="nowrap" data-label="{number}">{escape_text(plan.doc_number or "—")}</td>'
            f'<td class="plan-table__title"><a href="{before}{plan.pk}{after}">{escape_text(plan.title)}</a></td>'
            f'<td data-label="{office}">{escape_text(plan.office.name)}</td>'
            f'<td class="num" data-label="{year}">{plan.plan_year}</td>'
            f'<td class="nowrap" data-label="{issued}">{plan.issue_date.isoformat() if plan.issue_date else "—"}</td>'
            f'<td data-label="{status}">{status_badge_html(plan)}</td>'
            f'<td class="num" data-label="{tasks}">{plan.task_count}</td>'
            f'<td class="num" data-label="{counties}">{plan.county_count}</td></tr>'
            for plan in plans
        )
    )


@register.filter
def datetime_attr(value) -> str:
    """For <time datetime="…">: local time to the second, with its offset."""
    return datetime_attribute(value)


@register.filter
def user_label(user) -> str:
    """How pages name a person: full name, else username; empty for nobody (the system)."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


@register.filter
def deadline_label(entry) -> str:
    """The day a calendar line states it is due by: "3月20日", "6月底" (empty when none)."""
    day = getattr(entry, "deadline_day", None)
    if not day:
        return ""
    # Without a year, the month's last day in a leap year (2000) reads as its end: 2月29日 → 2月底.
    if day >= period_due_date(2000, entry.end_month).day:
        return gettext("end of %(month)s") % {"month": MONTH_NAMES[entry.end_month]}
    return month_day_label(entry.end_month, day)


# --- Revision differences ----------------------------------------------------------------------

_DIFF_FIELDS = {
    "title": _("title"),
    "notice_title": _("notice title"),
    "doc_number": _("document number"),
    "issue_date": _("issue date"),
    "plan_year": _("plan year"),
    "recipients": _("recipients"),
    "cc": _("copied to"),
    "notice_text": _("notice text"),
    "preamble": _("preamble"),
    "notes": _("notes"),
    "imprint": _("imprint"),
    "projects_first": _("projects before the work points"),
    "position": _("position"),
    "level": _("level"),
    "label": _("label as written"),
    "heading": _("heading"),
    "text": _("text"),
    "parent": _("parent section"),
    "number": _("number"),
    "section": _("section"),
    "lead_unit": _("lead unit"),
    "addresses_all_counties": _("addressed to all counties"),
    "name": _("name"),
    "goal": _("multi-year goal"),
    "annual_target": _("target for the plan year"),
    "period": _("period as written"),
    "months": _("months"),
    "granularity": _("granularity"),
    "deadline_day": _("deadline day"),
    "task": _("task"),
}


@register.filter
def diff_field_label(name: str) -> str:
    return str(_DIFF_FIELDS.get(name, name))


@register.filter
def diff_value(value, name: str) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if name == "months":
        return months_label(value)
    if name == "granularity":
        return str(dict(ScheduleEntry.Granularity.choices).get(value, value))
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, list):
        return "；".join(str(v) for v in value)
    return str(value)


@register.simple_tag
def diff_cell(value, name: str, item: dict | None = None, year: int | None = None) -> str:
    """A changed field's value; a calendar line's deadline day as the date it means in the plan's
    year (2月底 → 2月28日 in 2027, 2月29日 in 2028), not the 31 that stands for "the month's end"."""
    if name == "deadline_day" and value and item and item.get("months") and year:
        due = period_due_date(int(year), max(item["months"]), value)
        return month_day_label(due.month, due.day)
    return diff_value(value, name)


@register.filter
def diff_item_label(item: dict, kind: str) -> str:
    if kind == "task":
        return gettext("Task %(number)s: %(title)s") % {"number": item["number"], "title": item["title"]}
    if kind == "section":
        return f"{item['label']}{item['heading']}"
    if kind == "project":
        return item.get("heading") or f"{item['label']}{item['name']}"
    return f"{item['period']}：{item['text']}"


@register.simple_tag
def completion_chart(dashboard) -> str:
    """Done assignments over time as a small SVG line, drawn on the server (no chart library)."""
    points, total = dashboard.chart, dashboard.total.total
    if len(points) < 2 or not total:
        return format_html('<p class="muted">{}</p>', gettext("Not enough history yet."))
    width, height, pad = 640, 180, 28
    start, end = points[0][0], points[-1][0]
    span = max((end - start).days, 1)

    def xy(day, count):
        x = pad + (width - 2 * pad) * (day - start).days / span
        y = height - pad - (height - 2 * pad) * count / total
        return f"{x:.1f},{y:.1f}"

    line = " ".join(xy(day, count) for day, count in points)
    label = gettext("%(done)d of %(total)d done by %(date)s") % {
        "done": points[-1][1],
        "total": total,
        "date": end.isoformat(),
    }
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-label="{label}">'
        '<line x1="{p}" y1="{top}" x2="{right}" y2="{top}" class="chart__total"/>'
        '<line x1="{p}" y1="{base}" x2="{right}" y2="{base}" class="chart__axis"/>'
        '<polyline points="{line}" class="chart__line"/>'
        '<text x="{p}" y="{label_y}" class="chart__label">{start}</text>'
        '<text x="{right}" y="{label_y}" text-anchor="end" class="chart__label">{end}</text>'
        '<text x="{p}" y="{top_label}" class="chart__label">{total}</text>'
        "</svg>",
        w=width,
        h=height,
        p=pad,
        right=width - pad,
        top=pad,
        base=height - pad,
        line=line,
        label=label,
        label_y=height - 8,
        top_label=pad - 6,
        start=start.isoformat(),
        end=end.isoformat(),
        total=gettext("%(total)d in all") % {"total": total},
    )


@register.simple_tag(takes_context=True)
def dashboard_rows(context, dashboard, *, remind_allowed: bool, back=None, office=None, year=None) -> str:
    """The county × month matrix's rows (tracking/dashboard.html), written here rather than by
    template tags per cell: some 200 cells, each with its link and its translated title, were
    half of the page's CPU. The same markup as the template wrote. The 催办 forms post to the
    plan's reminder (`back`) or to the office's year's."""
    period = "quarter" if dashboard.by_quarter else "month"
    cell_title = gettext("%(done)s of %(total)s done, %(overdue)s overdue")
    csrf = html.escape(str(context.get("csrf_token", "")))
    remind_button = (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
        f'<button type="submit" class="button button--small">{html.escape(gettext("Remind"))}</button>'
    )
    never = html.escape(gettext("never reminded"))
    action = None  # the 催办 form's address around the county's id, reversed once a render
    lines = []
    for row in dashboard.rows:
        county = row.county.pk
        lines.append(f'<tr>\n<th scope="row"><a href="?county={county}">{html.escape(str(row.county.name))}</a></th>')
        for number, cell in enumerate(row.cells, start=1):
            link = ""
            if cell.total:
                title = cell_title % {"done": cell.done, "total": cell.total, "overdue": cell.overdue}
                link = (
                    f'<a href="?county={county}&amp;{period}={number}" title="{html.escape(title)}">'
                    f"{cell.done}/{cell.total}</a>"
                )
            lines.append(f'<td class="num cell cell--{cell.status}">{link}</td>')
        lines.append(f'<td class="num"><strong>{row.completion}%</strong></td>')
        if remind_allowed:
            form = ""
            if row.total.done < row.total.total:
                if action is None:
                    if back:  # missing from the template's context: "", not None
                        action = url_parts("tracking:reminder_send", back.pk)
                    else:
                        action = url_parts("tracking:office_reminder_send", office.pk, year)
                address = html.escape(f"{action[0]}{county}{action[1]}")
                form = f'<form method="post" action="{address}" class="inline-form">{remind_button}</form>'
            if row.last_reminded:
                when = html.escape(gettext("last %(day)s") % {"day": row.last_reminded.isoformat()})
            else:
                when = never
            lines.append(f'<td class="remind">{form}\n<span class="muted nowrap">{when}</span></td>')
        lines.append("</tr>")
    return mark_safe("\n".join(lines))


@register.filter
def lockout_minutes(cooloff) -> int:
    """A login lockout's length (a timedelta) in whole minutes."""
    return max(1, round(cooloff.total_seconds() / 60)) if cooloff else 15


@register.simple_tag
def history_lines(lines, *, show_plan=False) -> str:
    """The lines of a plan's history or of a user's actions (plans.selectors.history): when,
    who, what (a lifecycle step or a write), with the fields a write changed; with `show_plan`,
    a link to the plan of each line.

    A tag in Python rather than a template loop: a page holds a hundred lines, and the loop's
    lookups and filters were most of the page's time."""
    if not lines:
        return mark_safe(f'\n  <p class="empty">{escape_text(gettext("Nothing has been recorded yet."))}</p>\n\n')
    system = escape_text(gettext("system"))
    # Lines share their instants (a copy writes hundreds of rows at once), people and plans:
    # each is written out once.
    times, people, kinds, plans = {}, {}, {}, {}
    plan_text = gettext("plan #%(id)s")
    out = ['\n<ol class="history">\n  ']
    for line in lines:
        event = line.event
        time = times.get(line.at)
        if time is None:
            at = template_localtime(line.at)
            time = times[line.at] = (
                f'<time datetime="{escape_text(datetime_attribute(line.at))}">{at:%Y-%m-%d %H:%M:%S}</time>'
            )
        who = people.get(line.user.pk if line.user is not None else None)
        if who is None:
            who = people[line.user.pk if line.user is not None else None] = escape_text(user_label(line.user)) or system
        out.append(
            f'\n  <li class="history__line history__line--{"event" if line.kind == "event" else "write"}">\n'
            '    <p class="history__head">\n'
            f"      {time}\n"
            f'      <span class="history__who">{who}</span>\n      '
        )
        if line.kind == "event":
            revision = event.revision if event is not None else None
            if line.changed_places is not None:
                text = ngettext(
                    "Revision %(number)s published, %(places)s change",
                    "Revision %(number)s published, %(places)s changes",
                    line.changed_places,
                ) % {"number": escape_text(revision), "places": line.changed_places}
                href = f"{reverse('plans:revision_compare', args=[line.plan_id])}?a={revision - 1}&amp;b={revision}"
                out.append(
                    f"\n        \n          <strong>{text}</strong>\n"
                    f'          <a href="{href}"><span aria-hidden="true">→ </span>'
                    f"{escape_text(gettext('See the differences'))}</a>\n        \n      "
                )
            else:
                muted = (
                    f' <span class="muted">{gettext("(revision %(number)s)") % {"number": escape_text(revision)}}</span>'
                    if revision
                    else ""
                )
                out.append(f"\n        \n        <strong>{escape_text(line.subject)}</strong>{muted}\n        \n      ")
        else:
            kind = kinds.get(line.kind)
            if kind is None:
                kind = kinds[line.kind] = escape_text(line.kind_label)
            out.append(
                f'\n        <span class="history__what">{escape_text(line.subject)}</span> '
                f'<span class="badge badge--muted">{kind}</span>\n      '
            )
        out.append("\n      ")
        if show_plan and line.plan_id:
            link = plans.get(line.plan_id)
            if link is None:
                text = plan_text % {"id": line.plan_id}
                link = plans[line.plan_id] = f'<a href="{reverse("plans:plan_detail", args=[line.plan_id])}">{text}</a>'
            out.append(link)
        out.append("\n    </p>\n    ")
        comment = event.comment if event is not None else None
        if comment:
            out.append(f'<p class="history__comment">{linebreaksbr(comment, autoescape=True)}</p>')
        out.append("\n    ")
        if line.changes:
            out.append('\n    <table class="table history__changes">\n      <tbody>\n        ')
            out.extend(
                f'\n        <tr><th scope="row">{escape_text(change.label)}</th><td class="diff-old">'
                f'{escape_text(change.old)}</td><td class="diff-new">{escape_text(change.new)}</td></tr>\n        '
                for change in line.changes
            )
            out.append("\n      </tbody>\n    </table>\n    ")
        out.append("\n  </li>\n  ")
    out.append("\n</ol>\n\n")
    return mark_safe("".join(out))
