"""The form renderer writes the common widgets and error lists character for character as
Django's templates write them, whatever their attributes, values and choices; what it does not
write (a localized label, another template) Django's templates still write."""

import datetime

from django import forms
from django.forms.renderers import DjangoTemplates
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy
from hypothesis import given, settings
from hypothesis import strategies as st

from supervision import widgets
from supervision.widgets import WidgetRenderer

DJANGO, OURS = DjangoTemplates(), WidgetRenderer()

TEXT = st.text(alphabet=st.sampled_from(["督", "a", "1", " ", "<", ">", "&", '"', "'", "\n"]), max_size=6)
ATTRS = st.dictionaries(
    st.sampled_from(["class", "id", "required", "disabled", "data-suggest", "placeholder", "rows", "autofocus"]),
    st.one_of(TEXT, st.booleans(), st.integers(-3, 3)),
    max_size=4,
)
VALUE = st.one_of(st.none(), TEXT, st.integers(-3, 30), st.sampled_from([True, False, datetime.date(2026, 3, 1)]))
LABEL = st.one_of(TEXT, st.just(gettext_lazy("Open")), st.integers(1, 3), st.just(datetime.date(2026, 1, 2)))
CHOICES = st.lists(st.tuples(st.one_of(TEXT, st.integers(0, 3)), LABEL), max_size=4)
GROUPED = st.lists(st.tuples(TEXT, CHOICES), max_size=2)


class _Files(forms.ClearableFileInput):
    allow_multiple_selected = True


def _inputs():
    return st.sampled_from(
        [
            forms.TextInput,
            forms.EmailInput,
            forms.NumberInput,
            forms.DateInput,
            forms.HiddenInput,
            forms.CheckboxInput,
            forms.FileInput,
            forms.ClearableFileInput,
            _Files,
            forms.Textarea,
            forms.URLInput,
            forms.SearchInput,
            forms.TelInput,
        ]
    ).map(lambda widget: widget())


def _choices():
    return st.tuples(
        st.sampled_from([forms.Select, forms.SelectMultiple, forms.RadioSelect, forms.CheckboxSelectMultiple]),
        st.one_of(CHOICES, GROUPED),
    ).map(lambda pair: pair[0](choices=pair[1]))


@settings(max_examples=300)
@given(
    widget=st.one_of(_inputs(), _choices(), st.just(forms.PasswordInput(render_value=True))),
    name=TEXT,
    value=st.one_of(VALUE, st.lists(st.one_of(TEXT, st.integers(0, 3)), max_size=3)),
    widget_attrs=ATTRS,
    attrs=ATTRS,
)
def test_a_widget_reads_as_django_writes_it(widget, name, value, widget_attrs, attrs):
    widget.attrs.update(widget_attrs)
    assert widget.render(name, value, attrs, renderer=OURS) == widget.render(name, value, attrs, renderer=DJANGO)


@given(
    messages=st.lists(TEXT, max_size=3), field_id=st.one_of(st.none(), TEXT), css=st.sampled_from(["errorlist", "a b"])
)
def test_an_error_list_reads_as_django_writes_it(messages, field_id, css):
    errors = ErrorList(messages, error_class=css, field_id=field_id)
    assert errors.render(renderer=OURS) == errors.render(renderer=DJANGO)


def test_the_common_widgets_are_written_here_not_by_templates():
    """Every widget a page prints by `{{ field }}` (text, date, hidden, radio, select, text area,
    file) goes through a writer, not Django's template: else the renderer gains nothing."""
    cases = [
        (forms.TextInput(attrs={"class": "wide"}), "title", "督导<评估>"),
        (forms.DateInput(), "due", "2026-03-01"),
        (forms.HiddenInput(), "key", "abc"),
        (forms.RadioSelect(choices=[("done", "已完成"), ("doing", "进行中")]), "progress", "done"),
        (forms.Select(choices=[("", "---"), ("3", "金水区")]), "county", "3"),
        (forms.Textarea(attrs={"rows": 5}), "text", "第一行\n第二行"),
        (forms.FileInput(), "file", None),
        (_Files(attrs={"class": "evidence"}), "files", None),
    ]
    for widget, name, value in cases:
        context = widget.get_context(name, value, {"id": f"id_{name}"})
        written = widgets._WRITERS[widget.template_name](context)
        assert written == DJANGO.render(widget.template_name, context), widget


def test_a_label_django_would_localize_is_left_to_django():
    widget = forms.Select(choices=[(1, datetime.date(2026, 1, 2))])
    assert widget.render("day", 1, renderer=OURS) == widget.render("day", 1, renderer=DJANGO)
    assert "2026" in widget.render("day", 1, renderer=OURS)


def test_the_site_renders_its_forms_with_it():
    """The assignment page's report form, refused: a radio set, a text area, an upload field,
    a hidden key, and their errors."""
    from tracking.forms import ReportForm

    form = ReportForm({"progress": "nonsense", "text": ""})
    assert not form.is_valid()
    assert isinstance(form.renderer, WidgetRenderer)
    for field in form:
        ours, ours_errors = str(field), field.errors.render(renderer=OURS)
        form.renderer = DJANGO
        assert ours == str(field), field.name
        assert ours_errors == field.errors.render(renderer=DJANGO), field.name
        form.renderer = OURS
    assert 'class="errorlist"' in str(form["text"].errors)
