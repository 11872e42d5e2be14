"""Import warnings, stored as {"code", "params"} and rendered in the reader's language.

One renderer for the preview (fresh from the parser) and for a stored import: the parser's
codes (plans.parsing.messages) and the importer's own below.
"""

from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop

from plans.parsing.messages import WARNINGS, ParseWarning
from schedule.numerals import earlier_years

IMPORT_WARNINGS = {
    "too_long": gettext_noop("%(where)s: a value longer than %(limit)d characters was shortened (“%(excerpt)s…”)."),
}


def stored_warning(code: str, **params) -> dict:
    return {"code": code, "params": params}


def warning_render(warning) -> str:
    """A warning (a ParseWarning, a stored dict, or an old plain string) as a sentence."""
    if isinstance(warning, ParseWarning):
        code, params = warning.code, warning.params
    elif isinstance(warning, dict):
        code, params = warning.get("code"), warning.get("params") or {}
    else:
        return str(warning)
    try:
        if code in WARNINGS:
            return ParseWarning(code, params).render(gettext)
        if code in IMPORT_WARNINGS:
            return gettext(IMPORT_WARNINGS[code]) % params
    except (KeyError, TypeError, ValueError):
        pass
    return str(params or code)


@dataclass(frozen=True)
class YearMention:
    """A section, task or calendar line whose text names a year before the plan's."""

    anchor: str  # the element's id on the edit page
    label: str
    years: list[str]


def _excerpt(text: str, limit: int = 40) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit] + "…"


def earlier_year_mentions(snapshot: dict) -> list[YearMention]:
    """Every section, task and calendar line of a plan (plans.snapshots) that names a year
    before the plan's own: sections, then tasks, then calendar lines. A plan copied from last year's has its
    title and dates moved on, but a year inside a sentence may mean that year on purpose
    (a programme of 2016-2020年), so the editor is shown them rather than having them changed."""
    year = snapshot["plan"].get("plan_year")
    if not year:
        return []
    found = []
    for section in snapshot.get("sections", []):
        years = earlier_years(f"{section.get('heading', '')}\n{section.get('text', '')}", year)
        if years:
            found.append(
                YearMention(f"s-{section['key']}", f"{section.get('label', '')}{section.get('heading', '')}", years)
            )
    for task in snapshot.get("tasks", []):
        years = earlier_years(f"{task.get('title', '')}\n{task.get('text', '')}", year)
        if years:
            label = gettext("Task %(number)s: %(title)s") % {
                "number": task["number"],
                "title": _excerpt(task.get("title")),
            }
            found.append(YearMention(f"t-{task['key']}", label, years))
    for entry in snapshot.get("entries", []):
        years = earlier_years(f"{entry.get('period', '')}\n{entry.get('text', '')}", year)
        if years:
            found.append(
                YearMention(f"e-{entry['key']}", f"{entry.get('period', '')}：{_excerpt(entry.get('text'))}", years)
            )
    return found
