"""Fields of the edit page: label, control, help, what was understood, errors, tied together
for assistive technology (aria-describedby, aria-invalid).

Tags in Python rather than includes: a plan of a hundred tasks prints over a thousand fields.
The outline's blocks (sections, tasks, calendar lines) are written by `edit_sections`,
`edit_tasks` and `edit_entries`, which share one `_Page`: the buttons' words and the fields'
labels, help and fixed attributes are translated and escaped once per page, not per row."""

from django import forms, template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from plans.forms_editing import period_reading
from supervision.escaping import escape_text as _e

register = template.Library()


_REQUIRED_MARK = '<span class="required-mark" aria-hidden="true">*</span>'

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
# A choice among a few (a section's level), written as select.html and select_option.html
# write it, each option on its own line.
_SELECT = ("django/forms/widgets/select.html", "django/forms/widgets/select_option.html")
# Attributes the tag gives a control: a widget's own attribute of these names would change
# their order, so such a field takes Django's way.
_TAG_ATTRS = {"aria-describedby", "aria-invalid", "aria-required", "autofocus", "data-suggest", "id", "checked"}


def _attrs_html(attrs: dict) -> str:
    return "".join(
        f" {_e(name)}" if value is True else f' {_e(name)}="{_e(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class _Spec:
    """What every field of one name of one form class prints alike: label, help, the widget's
    own attributes."""

    __slots__ = (
        "label",
        "help",
        "required",
        "django_attrs",
        "checkbox",
        "period",
        "textarea",
        "select",
        "input_type",
        "static",
        "unbound",
    )

    def __init__(self, field, label):
        form_field = field.field
        widget = form_field.widget
        self.label = _e(label or field.label)
        self.help = _e(field.help_text) if field.help_text else ""
        self.required = form_field.required
        # A form that lets browsers check required fields (the start page's): Django's own
        # attributes (`required`, which a select grants by its first choice) come after the tag's.
        self.django_attrs = form_field.required and field.form.use_required_attribute
        self.checkbox = isinstance(widget, forms.CheckboxInput)
        self.period = "data-period" in widget.attrs
        self.textarea = widget.template_name == _TEXTAREA
        self.select = type(widget) is forms.Select and (widget.template_name, widget.option_template_name) == _SELECT
        fast = (
            not form_field.localize
            and not form_field.disabled
            and (widget.template_name in (*_INPUTS, _TEXTAREA) or self.select)
            and not _TAG_ATTRS & widget.attrs.keys()
        )
        self.input_type = _e(widget.input_type) if fast and not self.textarea and not self.select else None
        self.static = _attrs_html(widget.attrs) if fast else None
        self.unbound = False  # set by _Page.spec


class _Unbound:
    """What `_field` and `_control` read of a BoundField, for a field of an unbound form whose
    control the tag writes itself: read as BoundField reads it (name, id, initial value), with
    none of what the tag does not use. A page of a hundred tasks makes some 540 fields, and a
    BoundField each (its lazy help text evaluated, its errors looked up) was a tenth of the
    page's time."""

    __slots__ = ("form", "field", "name", "html_name", "auto_id")
    errors = ()

    def __init__(self, form, name: str):
        self.form = form
        self.field = form.fields[name]
        self.name = name
        self.html_name = html_name = form.add_prefix(name)
        auto_id = form.auto_id  # BoundField.auto_id's reading of it
        if auto_id and "%s" in str(auto_id):
            self.auto_id = auto_id % html_name
        else:
            self.auto_id = html_name if auto_id else ""

    def value(self):
        return self.field.prepare_value(self.form.get_initial_for_field(self.field, self.name))


def _plain(field) -> bool:
    """A field that Django binds with its own BoundField, as `_Unbound` reads it."""
    form_field = field.field
    return (
        type(field) is forms.BoundField
        and type(form_field).get_bound_field is forms.Field.get_bound_field
        and type(field.form).__getitem__ is forms.BaseForm.__getitem__
    )


class _Page:
    """What the rows of one page share: words translated and escaped once, fields' specs,
    periods read once each."""

    def __init__(self, county_suggest_url: str = ""):
        self.county_suggest_url = county_suggest_url
        self._words: dict[str, str] = {}
        self._specs: dict = {}
        self._readings: dict = {}

    def word(self, text: str) -> str:
        """`text` (a msgid) translated and escaped."""
        try:
            return self._words[text]
        except KeyError:
            value = self._words[text] = _e(gettext(text))
            return value

    def spec(self, field, label) -> _Spec:
        key = (type(field.form), field.name, label)
        try:
            return self._specs[key]
        except KeyError:
            value = self._specs[key] = _Spec(field, label)
            value.unbound = _plain(field) and value.static is not None and not value.django_attrs
            return value

    def field(self, form, name: str):
        """`form[name]`, or for an unbound form's field whose control the tag writes, its
        `_Unbound` (the first field of each name of a form class is a BoundField: its spec)."""
        if not form.is_bound:
            spec = self._specs.get((type(form), name, None))
            if spec is not None and spec.unbound:
                return _Unbound(form, name)
        return form[name]

    def reading(self, form):
        """What the form's period reads as, from the value the field gives (asking the form for
        a BoundField a line, its lazy help text evaluated, cost 0.7 ms of the largest draft's 18)."""
        value = self.field(form, "period").value() or ""
        if not value.strip():
            return None
        try:
            return self._readings[value]
        except KeyError:
            reading = self._readings[value] = period_reading(value)
            return reading


@register.simple_tag
def edit_field(field, *, reading=None, autofocus=False, suggest="", show_help=True, label=None, css=""):
    """One field of the edit page. `reading`: a period field's understood meaning (a dict
    from plans.forms_editing.period_reading, or None); the output element is printed for
    every period field so that the page's script can fill it as one types."""
    return mark_safe(_field(_Spec(field, label), field, reading, autofocus, suggest, show_help, css))


@register.simple_tag
def control(field) -> str:
    """A field's widget, as `{{ field }}` writes it (BoundField.as_widget), written here for the
    inputs and selects `edit_field` writes: a form of several fields printed on a list page
    cost more through the widgets' templates than the list's rows."""
    attrs = field.build_widget_attrs({}, field.field.widget)  # as_widget's; _control's own adds nothing
    return mark_safe(_control(_Spec(field, None), field, attrs))


def _field(spec: _Spec, field, reading=None, autofocus=False, suggest="", show_help=True, css="") -> str:
    field_id = field.auto_id
    id_html = _e(field_id)
    errors = field.errors
    described = []
    help_text = spec.help
    if help_text:
        described.append(f"{id_html}_helptext")
    is_period = spec.period
    if is_period:
        described.append(f"{id_html}_reading")
    if errors:
        described.append(f"{id_html}_errors")
    required = spec.required
    if spec.static is not None and not spec.django_attrs and not spec.select:
        # The tag's attributes written as _attrs_html writes them, in the same order.
        tag = f' aria-describedby="{" ".join(described)}"' if described else ""
        if errors:
            tag += ' aria-invalid="true"'
        if required:
            tag += ' aria-required="true"'
        if autofocus:
            tag += " autofocus"
        if suggest:
            tag += f' data-suggest="{_e(suggest)}"'
        control = _input(spec, field, tag, id_html)
    else:
        attrs = {}
        if described:
            attrs["aria-describedby"] = " ".join(described)
        if errors:
            attrs["aria-invalid"] = "true"
        if required:
            attrs["aria-required"] = "true"
        if autofocus:
            attrs["autofocus"] = True
        if suggest:
            attrs["data-suggest"] = suggest
        control = _control(spec, field, attrs)
    checkbox = spec.checkbox
    label_html = f'<label for="{id_html}">{spec.label}{_REQUIRED_MARK if required else ""}</label>'
    parts = [control, label_html] if checkbox else [label_html, control]
    if help_text:
        # Shown once per field, or (show_help=False: the same help on every task of a long page)
        # hidden from sight but still read out with the field.
        hidden = "" if show_help else " hidden"
        parts.append(f'<p class="field-help" id="{id_html}_helptext"{hidden}>{help_text}</p>')
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
    return f'<div class="{_e(classes)}">{"".join(parts)}</div>'


def _control(spec: _Spec, field, attrs) -> str:
    if spec.static is None:
        return str(field.as_widget(attrs=attrs))
    # What BoundField.as_widget and the widget's get_context do before the template renders:
    # the widget's own attributes, then the tag's, the id, and `checked` last.
    widget = field.field.widget
    field_id = field.auto_id
    if spec.django_attrs:
        attrs = field.build_widget_attrs(attrs, widget)
    if spec.select:
        return _select(widget, field.html_name, field.value(), {**attrs, "id": field_id} if field_id else attrs)
    return _input(spec, field, _attrs_html(attrs), _e(field_id))


def _input(spec: _Spec, field, tag_html: str, id_html: str) -> str:
    """An input or text area, `tag_html` the tag's attributes as written."""
    widget = field.field.widget
    tail = f' id="{id_html}"' if id_html else ""
    value = field.value()
    if spec.checkbox and widget.check_test(value):
        tail += " checked"
    attrs_html = spec.static + tag_html + tail
    name = _e(field.html_name)
    value = widget.format_value(value)
    if spec.textarea:
        return f'<textarea name="{name}"{attrs_html}>\n{_e(value or "")}</textarea>'
    value = "" if value is None else f' value="{_e(value)}"'
    return f'<input type="{spec.input_type}" name="{name}"{value}{attrs_html}>'


def _select(widget, name: str, value, attrs: dict) -> str:
    context = widget.get_context(name, value, attrs)["widget"]
    parts = [f'<select name="{_e(context["name"])}"{_attrs_html(context["attrs"])}>']
    for group_name, options, _index in context["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_e(group_name)}">')
        parts += [
            f'\n  <option value="{_e(option["value"])}"{_attrs_html(option["attrs"])}>{_e(option["label"])}</option>\n'
            for option in options
        ]
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _button(op: str, text_html: str, css: str = "") -> str:
    extra = f" {css}" if css else ""
    return (
        f'<button type="submit" name="op" value="{_e(op)}" class="button button--small{extra}" formnovalidate>'
        f"{text_html}</button>"
    )


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
def edit_sections(sections, county_suggest_url="") -> str:
    """The outline's sections, each with its fields, buttons and tasks."""
    page = _Page(county_suggest_url)
    return mark_safe("".join(_section(page, part) for part in sections))


@register.simple_tag
def edit_section(part, county_suggest_url="") -> str:
    """One section (also the page script's template for a new one)."""
    return mark_safe(_section(_Page(county_suggest_url), part))


@register.simple_tag
def edit_tasks(tasks, county_suggest_url="") -> str:
    """Tasks of the edit page (a section's, or those before the first heading)."""
    page = _Page(county_suggest_url)
    return mark_safe("".join(_task(page, task) for task in tasks))


@register.simple_tag
def edit_task(task, county_suggest_url="") -> str:
    """One task (also the page script's template for a new one)."""
    return mark_safe(_task(_Page(county_suggest_url), task))


def _fields(page: _Page, form, name: str, **options) -> str:
    field = page.field(form, name)
    return _field(page.spec(field, None), field, **options)


def _section(page: _Page, part) -> str:
    key = _e(part.key)
    form = part.form
    tasks = "".join(_task(page, task) for task in part.tasks)
    return (
        f'<section class="edit-section" id="s-{key}" data-kind="section" data-key="{key}"'
        f' aria-labelledby="s-{key}-heading">\n'
        f'  <input type="hidden" name="outline" value="s:{key}">\n'
        f'  <div class="edit-section__head">\n'
        f'    <h2 class="edit-section__label" id="s-{key}-heading"><span data-label>{_e(part.label)}</span>'
        f'<span class="visually-hidden"> {page.word("Section")}</span></h2>\n'
        f'    <div class="edit-tools" role="group" aria-labelledby="s-{key}-heading">\n'
        f"      {_button(f'section-up:{part.key}', page.word('Move up'))}\n"
        f"      {_button(f'section-down:{part.key}', page.word('Move down'))}\n"
        f"      {_button(f'section-remove:{part.key}', page.word('Remove the heading'), 'button--danger')}\n"
        f"    </div>\n"
        f"  </div>\n"
        f'  <div class="edit-section__fields">\n'
        f"    {_fields(page, form, 'level', css='edit-section__level')}\n"
        f"    {_fields(page, form, 'heading', autofocus=part.focus, css='edit-section__heading')}\n"
        f"  </div>\n"
        f"  {_fields(page, form, 'text')}\n"
        f'  <ol class="edit-task-list" data-tasks>\n'
        f"    {tasks}\n"
        f"  </ol>\n"
        f"  {_button(f'task-add:{part.key}', page.word('Add a task to this section'))}\n"
        f"</section>\n"
    )


def _task(page: _Page, task) -> str:
    key = _e(task.key)
    form = task.form
    number = _e(gettext("Task %(number)s") % {"number": task.number})
    entries = "".join(_entry(page, entry) for entry in task.entries)
    return (
        f'<li class="edit-task" id="t-{key}" data-kind="task" data-key="{key}">\n'
        f'  <input type="hidden" name="outline" value="t:{key}">\n'
        f'  <div class="edit-task__head">\n'
        f'    <h3 class="edit-task__number" id="t-{key}-heading"><span class="drag-handle" aria-hidden="true"'
        f" hidden></span><span data-number>{number}</span></h3>\n"
        f'    <div class="edit-tools" role="group" aria-labelledby="t-{key}-heading">\n'
        f"      {_button(f'task-up:{task.key}', page.word('Move up'))}\n"
        f"      {_button(f'task-down:{task.key}', page.word('Move down'))}\n"
        f"      {_button(f'task-after:{task.key}', page.word('Insert a task after'))}\n"
        f"      {_button(f'task-remove:{task.key}', page.word('Remove'), 'button--danger')}\n"
        f"    </div>\n"
        f"  </div>\n"
        f"  {_fields(page, form, 'title', autofocus=task.focus, show_help=False)}\n"
        f"  {_fields(page, form, 'text', show_help=False)}\n"
        f'  <div class="edit-task__row">\n'
        f"    {_fields(page, form, 'lead_unit')}\n"
        f"    {_fields(page, form, 'counties', suggest=page.county_suggest_url, show_help=False, css='edit-task__counties')}\n"
        f"  </div>\n"
        f"  {_fields(page, form, 'all_counties')}\n"
        f'  <fieldset class="edit-entries">\n'
        f"    <legend>{page.word('Work calendar')}</legend>\n"
        f'    <ul class="edit-entry-list" data-entries>\n'
        f"      {entries}\n"
        f"    </ul>\n"
        f"    {_button(f'entry-add:{task.key}', page.word('Add a calendar line'))}\n"
        f"  </fieldset>\n"
        f"</li>\n"
    )


@register.simple_tag
def edit_entries(entries) -> str:
    """Calendar lines of the edit page (a task's or the annex's), each with its fields and
    buttons. A tag rather than an include a line: the largest drafts have some 200 lines."""
    page = _Page()
    return mark_safe("".join(_entry(page, entry) for entry in entries))


@register.simple_tag
def edit_entry(entry) -> str:
    """One calendar line of the edit page (also the page script's template for a new one)."""
    return mark_safe(_entry(_Page(), entry))


def _entry(page: _Page, entry) -> str:
    key, form = _e(entry.key), entry.form
    fields = "\n    ".join(
        [
            _fields(
                page,
                form,
                "period",
                reading=page.reading(form),
                autofocus=entry.focus,
                show_help=False,
                css="edit-entry__period",
            ),
            _fields(page, form, "text", css="edit-entry__text"),
            _fields(page, form, "lead_unit", css="edit-entry__lead"),
        ]
    )
    buttons = "\n    ".join(
        [
            _button(f"entry-up:{entry.key}", page.word("Move up")),
            _button(f"entry-down:{entry.key}", page.word("Move down")),
            _button(f"entry-remove:{entry.key}", page.word("Remove"), "button--danger"),
        ]
    )
    return (
        f'<li class="edit-entry" id="e-{key}" data-kind="entry">\n'
        f'  <input type="hidden" name="outline" value="e:{key}">\n'
        f'  <div class="edit-entry__fields">\n    {fields}\n  </div>\n'
        f'  <div class="edit-tools" role="group" aria-label="{page.word("Calendar line")}">\n'
        f"    {buttons}\n  </div>\n</li>"
    )
