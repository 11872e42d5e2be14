"""Choice labels looked up, not rebuilt: every model's `get_FOO_display()`.

Django's `get_FOO_display()` rebuilds its field's choices into a dict at each call (the
`flatchoices` list, `make_hashable` over every pair): 20-30 µs a call, and a page listing 100
schools with three labels each spent 7 ms in it. `labels_kept()` gives each such method, on
every installed model, a table per language built at its first call; a value not in the table
(none, or one the choices do not name) takes Django's own path, so what is returned is the same.
Called once the models are loaded (OrganisationConfig.ready).
"""

from functools import partial, partialmethod

from django.apps import apps
from django.db.models import Model
from django.forms.models import ModelChoiceIterator
from django.utils.choices import CallableChoiceIterator
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language

_DJANGOS = Model._get_FIELD_display


# field → language → value → label
_tables: dict = {}


def _table(field) -> dict:
    language = get_language()
    tables = _tables.setdefault(field, {})
    table = tables.get(language)
    if table is None:
        # Under the language asked for: a label is a lazy translation until made a str.
        table = tables[language] = {
            make_hashable(value): force_str(label, strings_only=True) for value, label in field.flatchoices
        }
    return table


def labels_of(model, name: str) -> dict:
    """The labels of the choices of `model`'s field `name`, by value, in the active language (the
    kept table itself: read it, never change it)."""
    return _table(model._meta.get_field(name))


def display_of(model, name: str):
    """`get_FOO_display` of `model`'s field `name` as a function of an object, its labels read
    once for the active language: a list's rows call it without looking the language up each
    time."""
    field = model._meta.get_field(name)
    table = _table(field)

    def display(obj):
        try:
            return table[getattr(obj, field.attname)]
        except (KeyError, TypeError):
            return _DJANGOS(obj, field)

    return display


def _kept_display(field):
    def display(self):
        try:
            return _table(field)[getattr(self, field.attname)]
        except (KeyError, TypeError):  # not a choice, or a value a dict cannot key
            return _DJANGOS(self, field)

    display.__name__ = f"get_{field.name}_display"
    display.__qualname__ = f"{field.model.__name__}.{display.__name__}"
    return display


def labels_kept() -> int:
    """Replace Django's `get_FOO_display` of every installed model's fields with fixed choices by
    one that keeps its labels; a method a model defines itself is left alone. Returns how many."""
    replaced = 0
    for model in apps.get_models():
        for field in model._meta.get_fields():
            choices = getattr(field, "choices", None)
            # Choices from a callable may change from call to call: those stay Django's.
            if not choices or isinstance(choices, CallableChoiceIterator):
                continue
            name = f"get_{field.name}_display"
            method = model.__dict__.get(name)
            # Only the method Django generated for this very field (a subclass's inherited
            # field gets its own, generated with it).
            if not (
                isinstance(method, partialmethod) and method.func is _DJANGOS and method.keywords.get("field") is field
            ):
                continue
            setattr(model, name, _kept_display(field))
            replaced += 1
    return replaced


class _InHand(ModelChoiceIterator):
    def __init__(self, field, *, objects: list):
        super().__init__(field)
        self.objects = objects

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        # django-filter's fields may offer "none" too.
        if getattr(self.field, "null_label", None) is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.objects:
            yield self.choice(obj)

    def __len__(self):
        extra = (self.field.empty_label is not None) + (getattr(self.field, "null_label", None) is not None)
        return len(self.objects) + extra

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.objects)


def choices_in_hand(field, objects: list) -> None:
    """Have a model choice field (Django's or django-filter's) offer `objects`, read already
    with the page's rows or compiled once, rather than read its queryset again (a query, a
    server-side cursor on PostgreSQL) each time the form is written; the queryset, which must
    hold the same, still checks a value sent."""
    field.iterator = partial(_InHand, objects=objects)
    field.widget.choices = field.choices
