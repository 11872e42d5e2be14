"""Small display helpers for the plan pages."""
from django import template
from django.utils.dates import MONTHS
from django.utils.translation import gettext, pgettext

from plans.parsing.messages import WARNINGS
from plans.permissions import is_bureau_staff

register = template.Library()


@register.filter
def paragraphs(text) -> list[str]:
    """The paragraphs of an imported text: one per line, blank lines dropped."""
    if not text:
        return []
    return [line.strip() for line in str(text).splitlines() if line.strip()]


@register.filter
def months_label(months: list[int]) -> str:
    """Months as runs: [3, 4, 5, 9] → "March–May, September" (localised month names)."""
    runs: list[list[int]] = []
    for month in sorted(months):
        if runs and month == runs[-1][-1] + 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    labels = [
        str(MONTHS[run[0]]) if len(run) == 1 else f"{MONTHS[run[0]]}–{MONTHS[run[-1]]}"
        for run in runs
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
        first = paragraph_list[0][len(title):]
        ending = first[:1] if first[:1] and first[:1] in _LEAD_ENDINGS else ""
        return {
            "title_end": ending,
            "lead_rest": first[len(ending):],
            "paragraphs": paragraph_list[1:],
        }
    return {"title_end": "", "lead_rest": "", "paragraphs": paragraph_list}


@register.filter
def import_warning(warning) -> str:
    """One stored import warning as a sentence in the reader's language.

    The importer stores {"code", "params"} so the text follows the language switch; plain
    strings (older imports, hand edits) are shown as they are.
    """
    if isinstance(warning, dict) and warning.get("code") in WARNINGS:
        try:
            return gettext(WARNINGS[warning["code"]]) % warning.get("params", {})
        except (KeyError, TypeError, ValueError):
            pass
    return str(warning)


@register.filter
def can_import(user) -> bool:
    """Whether the navigation offers the import page (the page itself checks the same rule)."""
    return is_bureau_staff(user)
