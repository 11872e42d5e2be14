"""The list of what needs changing that a page shows at its top after a refused form ("3 处需要
修改"), each item linking to the field in error: a long page otherwise reloads at the top with
one vague line, and a keyboard or screen-reader user has to hunt for the marked fields."""

from dataclasses import dataclass

from django import forms
from django.forms.forms import NON_FIELD_ERRORS


@dataclass
class ErrorItem:
    message: str
    where: str = ""  # which field, as the page names it
    field_id: str = ""  # the id of the element to go to; "" when there is none


def _field_id(bound) -> str:
    widget = bound.field.widget
    if widget.is_hidden:
        return ""
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return widget.id_for_label(bound.auto_id, 0)  # the first choice: the group has no id
    return bound.auto_id or ""


def form_error_items(form, *, where: str = "") -> list[ErrorItem]:
    """One item per field in error (its messages together), in the form's order; errors of the
    form as a whole link to its first field. `where`: the part of the page the form fills."""
    if not form.is_bound or not form.errors:
        return []
    items = []
    first_id = next((_field_id(form[name]) for name in form.fields if _field_id(form[name])), "")
    for name, errors in form.errors.items():
        message = " ".join(str(error) for error in errors)
        if name == NON_FIELD_ERRORS or name not in form.fields:
            items.append(ErrorItem(message, where, first_id))
            continue
        bound = form[name]
        label = f"{where} · {bound.label}" if where else str(bound.label)
        items.append(ErrorItem(message, label, _field_id(bound)))
    return items
