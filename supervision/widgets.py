"""The form renderer (settings.FORM_RENDERER): Django's templates for the common widgets and
error lists, written in Python.

`{{ field }}` renders its widget through the form renderer, a template render of its own each
(an input includes input.html and attrs.html; a radio set includes two templates a choice):
0.2-0.6 ms a widget, a fifth of an assignment's page. This renderer writes inputs, text areas,
selects, radio and checkbox sets, upload fields and error lists from the context Django's widgets and error
lists build (which decides every attribute and which choice is chosen), character for character
as Django's templates write it; any other template, or a value the templates would localize
(a number or a date among the labels), goes to Django's templates.
tests/test_widget_renderer.py renders widgets both ways and compares them."""

from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise

from supervision.escaping import escape_text

_WIDGETS = "django/forms/widgets/"
# The templates that are input.html and nothing else.
_INPUTS = frozenset(
    f"{_WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "email",
        "password",
        "number",
        "date",
        "datetime",
        "time",
        "url",
        "search",
        "tel",
        "color",
        "hidden",
        "checkbox",
        "file",
    )
)
_MULTIPLE = frozenset({f"{_WIDGETS}radio.html", f"{_WIDGETS}checkbox_select.html", f"{_WIDGETS}multiple_input.html"})
_OPTIONS = frozenset(
    {f"{_WIDGETS}radio_option.html", f"{_WIDGETS}checkbox_option.html", f"{_WIDGETS}input_option.html"}
)
_INPUT_OPTION = f"{_WIDGETS}input_option.html"
_SELECT_OPTION = f"{_WIDGETS}select_option.html"
_ERRORS = frozenset({"django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"})


class _Unwritten(Exception):
    """A value Django's templates would print otherwise than as text: their turn."""


def _e(value) -> str:
    """`value` as `{{ value }}` prints a text: escaped unless safe."""
    if hasattr(value, "__html__"):
        return value.__html__()
    if not isinstance(value, str | Promise):
        raise _Unwritten  # a number or a date: the template localizes it
    return escape_text(value)


# `value` as `{{ value|stringformat:'s' }}` prints it: as str() does, escaped unless safe.
_s = escape_text


def _attrs(attrs: dict) -> str:
    # attrs.html
    return "".join(
        f" {_e(name)}" if value is True else f' {_e(name)}="{_s(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    # input.html
    value = widget["value"]
    value = "" if value is None else f' value="{_s(value)}"'
    return f'<input type="{_e(widget["type"])}" name="{_e(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _option_input(option: dict) -> str:
    # radio_option.html or checkbox_option.html, which include input_option.html, which
    # includes input.html: each file's last newline stays in what includes it.
    template = option["template_name"]
    if template not in _OPTIONS:
        raise _Unwritten
    tail = "\n" if template == _INPUT_OPTION else "\n\n"
    if not option["wrap_label"]:
        return f"{_input(option)}\n{tail}"
    option_id = option["attrs"].get("id")
    label_for = f' for="{_e(option_id)}"' if option_id else ""
    return f"<label{label_for}>{_input(option)}\n {_e(option['label'])}</label>{tail}"


def _multiple(widget: dict) -> str:
    # multiple_input.html
    widget_id, css = widget["attrs"].get("id"), widget["attrs"].get("class")
    widget_id = f' id="{_e(widget_id)}"' if widget_id else ""
    css = f' class="{_e(css)}"' if css else ""
    parts = [f"<div{widget_id}{css}>"]
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{_e(group)}</label>")
        parts += [f"<div>\n    {_option_input(option)}</div>" for option in options]
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


def _select(widget: dict) -> str:
    # select.html, select_option.html
    parts = [f'<select name="{_e(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f'\n  <optgroup label="{_e(group)}">')
        for option in options:
            if option["template_name"] != _SELECT_OPTION:
                raise _Unwritten
            parts.append(
                f'\n  <option value="{_s(option["value"])}"{_attrs(option["attrs"])}>{_e(option["label"])}</option>\n'
            )
        if group:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _file(widget: dict) -> str:
    # clearable_file_input.html with no file yet (a form's upload field)
    if widget["is_initial"]:
        raise _Unwritten
    return f'<input type="{_e(widget["type"])}" name="{_e(widget["name"])}"{_attrs(widget["attrs"])}>'


def _textarea(widget: dict) -> str:
    # textarea.html
    value = widget["value"]
    return f'<textarea name="{_e(widget["name"])}"{_attrs(widget["attrs"])}>\n{_e(value) if value else ""}</textarea>'


def _errors(context: dict) -> str:
    # errors/list/ul.html
    errors = context["errors"]
    if not errors:
        return ""
    field_id = getattr(errors, "field_id", None)
    error_id = f' id="{_e(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{_e(error)}</li>" for error in errors)
    return f'<ul class="{_e(context["error_class"])}"{error_id}>{items}</ul>'


_WRITERS = {
    **dict.fromkeys(_INPUTS, lambda context: _input(context["widget"])),
    **dict.fromkeys(_MULTIPLE, lambda context: _multiple(context["widget"])),
    f"{_WIDGETS}select.html": lambda context: _select(context["widget"]),
    f"{_WIDGETS}textarea.html": lambda context: _textarea(context["widget"]),
    f"{_WIDGETS}clearable_file_input.html": lambda context: _file(context["widget"]),
    **dict.fromkeys(_ERRORS, _errors),
}


class WidgetRenderer(DjangoTemplates):
    """Django's template renderer, with the common widgets and error lists written in Python."""

    def render(self, template_name, context, request=None):
        writer = _WRITERS.get(template_name)
        if writer is not None:
            try:
                return writer(context).strip()
            except _Unwritten:
                pass
        return super().render(template_name, context, request)
