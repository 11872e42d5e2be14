"""Fields of the edit page: label, control, help, what was understood, errors, tied together
for assistive technology (aria-describedby, aria-invalid).

A tag in Python rather than an include: a plan of a hundred tasks prints over a thousand."""

import html

from django import forms, template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


def _e(value) -> str:
    """`value` escaped for HTML as format_html escapes it (safe text as it is), without the lazy
    wrappers each call of django.utils.html.escape goes through: the edit page of a large draft
    escapes some 10,000 values."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


_REQUIRED_MARK = '<span class="required-mark" aria-hidden="true">*</span>'


@register.simple_tag
def edit_field(field, *, reading=None, autofocus=False, suggest="", show_help=True, label=None, css=""):
    """One field of the edit page. `reading`: a period field's understood meaning (a dict
    from plans.forms_editing.period_reading, or None); the output element is printed for
    every period field so that the page's script can fill it as one types."""
    field_id = field.auto_id
    errors = field.errors
    described = []
    help_text = field.help_text
    if help_text:
        described.append(f"{field_id}_helptext")
    widget = field.field.widget
    is_period = "data-period" in widget.attrs
    if is_period:
        described.append(f"{field_id}_reading")
    if errors:
        described.append(f"{field_id}_errors")
    attrs = {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if errors:
        attrs["aria-invalid"] = "true"
    required = field.field.required
    if required:
        attrs["aria-required"] = "true"
    if autofocus:
        attrs["autofocus"] = True
    if suggest:
        attrs["data-suggest"] = suggest
    control = _control(field, attrs)
    checkbox = isinstance(widget, forms.CheckboxInput)
    id_html = _e(field_id)
    label_html = f'<label for="{id_html}">{_e(label or field.label)}{_REQUIRED_MARK if required else ""}</label>'
    parts = [control, label_html] if checkbox else [label_html, control]
    if help_text:
        # Shown once per field, or (show_help=False: the same help on every task of a long page)
        # hidden from sight but still read out with the field.
        hidden = "" if show_help else " hidden"
        parts.append(f'<p class="field-help" id="{id_html}_helptext"{hidden}>{_e(help_text)}</p>')
    if is_period:
        text = _e(reading["summary"]) if reading else ""
        unknown = "" if reading or not field.value() else " period-reading--unknown"
        parts.append(
            f'<output class="period-reading{unknown}" id="{id_html}_reading" for="{id_html}"'
            f' aria-live="polite">{text}</output>'
        )
    if errors:
        messages = " ".join(f"<p>{_e(error)}</p>" for error in errors)
        parts.append(f'<div class="field-errors" id="{id_html}_errors">{messages}</div>')
    classes = "field"
    if checkbox:
        classes += " field--checkbox"
    if errors:
        classes += " field--error"
    if css:
        classes += f" {css}"
    return mark_safe(f'<div class="{_e(classes)}">{"".join(parts)}</div>')


# The inputs and text areas the edit page prints, written as Django's widget templates write
# them: through the form renderer each is a template render of its own, and a plan of 40 tasks
# and 150 calendar lines prints some 650 (two thirds of the page's time).
_INPUTS = {
    "django/forms/widgets/text.html",
    "django/forms/widgets/date.html",
    "django/forms/widgets/number.html",
    "django/forms/widgets/hidden.html",
    "django/forms/widgets/checkbox.html",
}
_TEXTAREA = "django/forms/widgets/textarea.html"


def _control(field, attrs) -> str:
    widget = field.field.widget
    if field.field.localize or widget.template_name not in (*_INPUTS, _TEXTAREA):
        return str(field.as_widget(attrs=attrs))
    # What BoundField.as_widget does before it renders.
    attrs = field.build_widget_attrs(attrs, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    attrs_html = "".join(
        f" {_e(name)}" if value is True else f' {_e(name)}="{_e(value)}"'
        for name, value in context["attrs"].items()
        if value is not False
    )
    name = _e(context["name"])
    value = context["value"]
    if widget.template_name == _TEXTAREA:
        return f'<textarea name="{name}"{attrs_html}>\n{_e(value or "")}</textarea>'
    value = "" if value is None else f' value="{_e(value)}"'
    return f'<input type="{_e(context["type"])}" name="{name}"{value}{attrs_html}>'


@register.simple_tag
def op_button(op: str, text: str, *, label: str = "", css: str = "") -> str:
    """A button that changes the outline: the server does it without JavaScript, the page's
    script does it in place with it. `label`: what a screen reader hears (which task)."""
    extra = f" {_e(css)}" if css else ""
    aria = f' aria-label="{_e(label)}"' if label else ""
    return mark_safe(
        f'<button type="submit" name="op" value="{_e(op)}" class="button button--small{extra}" formnovalidate{aria}>'
        f"{_e(text)}</button>"
    )


@register.simple_tag
def task_label(number) -> str:
    return gettext("Task %(number)s") % {"number": number}


@register.simple_tag
def edit_entries(entries) -> str:
    """Calendar lines of the edit page (a task's or the annex's), each with its fields and
    buttons. A tag rather than an include a line: the largest drafts have some 200 lines."""
    return mark_safe("".join(edit_entry(entry) for entry in entries))


@register.simple_tag
def edit_entry(entry) -> str:
    """One calendar line of the edit page (also the page script's template for a new one)."""
    key, form = _e(entry.key), entry.form
    fields = "\n    ".join(
        [
            edit_field(
                form["period"],
                reading=form.reading(),
                autofocus=entry.focus,
                show_help=False,
                css="edit-entry__period",
            ),
            edit_field(form["text"], css="edit-entry__text"),
            edit_field(form["lead_unit"], css="edit-entry__lead"),
        ]
    )
    buttons = "\n    ".join(
        [
            op_button(f"entry-up:{entry.key}", gettext("Move up")),
            op_button(f"entry-down:{entry.key}", gettext("Move down")),
            op_button(f"entry-remove:{entry.key}", gettext("Remove"), css="button--danger"),
        ]
    )
    return mark_safe(
        f'<li class="edit-entry" id="e-{key}" data-kind="entry">\n'
        f'  <input type="hidden" name="outline" value="e:{key}">\n'
        f'  <div class="edit-entry__fields">\n    {fields}\n  </div>\n'
        f'  <div class="edit-tools" role="group" aria-label="{_e(gettext("Calendar line"))}">\n'
        f"    {buttons}\n  </div>\n</li>"
    )
