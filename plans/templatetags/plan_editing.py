"""Fields of the edit page: label, control, help, what was understood, errors, tied together
for assistive technology (aria-describedby, aria-invalid).

A tag in Python rather than an include: a plan of a hundred tasks prints over a thousand."""

from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


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
    is_period = "data-period" in field.field.widget.attrs
    if is_period:
        described.append(f"{field_id}_reading")
    if errors:
        described.append(f"{field_id}_errors")
    attrs = {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if errors:
        attrs["aria-invalid"] = "true"
    if field.field.required:
        attrs["aria-required"] = "true"
    if autofocus:
        attrs["autofocus"] = True
    if suggest:
        attrs["data-suggest"] = suggest
    control = _control(field, attrs)
    checkbox = isinstance(field.field.widget, forms.CheckboxInput)
    label_html = format_html(
        '<label for="{}">{}{}</label>',
        field_id,
        label or field.label,
        mark_safe('<span class="required-mark" aria-hidden="true">*</span>') if field.field.required else "",
    )
    parts = [control, label_html] if checkbox else [label_html, control]
    if help_text:
        # Shown once per field, or (show_help=False: the same help on every task of a long page)
        # hidden from sight but still read out with the field.
        parts.append(
            format_html(
                '<p class="field-help" id="{}_helptext"{}>{}</p>',
                field_id,
                "" if show_help else " hidden",
                help_text,
            )
        )
    if is_period:
        text = reading["summary"] if reading else ""
        parts.append(
            format_html(
                '<output class="period-reading{}" id="{}_reading" for="{}" aria-live="polite">{}</output>',
                "" if reading or not field.value() else " period-reading--unknown",
                field_id,
                field_id,
                text,
            )
        )
    if errors:
        parts.append(
            format_html(
                '<div class="field-errors" id="{}_errors">{}</div>',
                field_id,
                format_html_join(" ", "<p>{}</p>", ((error,) for error in errors)),
            )
        )
    classes = "field"
    if checkbox:
        classes += " field--checkbox"
    if errors:
        classes += " field--error"
    if css:
        classes += f" {css}"
    return format_html('<div class="{}">{}</div>', classes, mark_safe("".join(str(p) for p in parts)))


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
        return field.as_widget(attrs=attrs)
    # What BoundField.as_widget does before it renders.
    attrs = field.build_widget_attrs(attrs, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    attrs_html = format_html_join(
        "",
        " {}{}",
        (
            (name, "" if value is True else format_html('="{}"', str(value)))
            for name, value in context["attrs"].items()
            if value is not False
        ),
    )
    if widget.template_name == _TEXTAREA:
        return format_html('<textarea name="{}"{}>\n{}</textarea>', context["name"], attrs_html, context["value"] or "")
    value = "" if context["value"] is None else format_html(' value="{}"', str(context["value"]))
    return format_html('<input type="{}" name="{}"{}{}>', context["type"], context["name"], value, attrs_html)


@register.simple_tag
def op_button(op: str, text: str, *, label: str = "", css: str = "") -> str:
    """A button that changes the outline: the server does it without JavaScript, the page's
    script does it in place with it. `label`: what a screen reader hears (which task)."""
    return format_html(
        '<button type="submit" name="op" value="{}" class="button button--small{}" formnovalidate{}>{}</button>',
        op,
        f" {css}" if css else "",
        format_html(' aria-label="{}"', label) if label else "",
        text,
    )


@register.simple_tag
def task_label(number) -> str:
    return gettext("Task %(number)s") % {"number": number}
