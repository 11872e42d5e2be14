"""Model instances made from their rows without Model.__init__: every installed model's `from_db`.

The ORM makes each row's instance by `Model.from_db`, which calls the model's `__init__`: a
pre_init and a post_init signal, and a setattr through each field's descriptor, 5 µs or so an
instance; the county portal makes some 440 instances a request (2 ms of its 15), a 整改 list 300.
`rows_loaded_plainly()` gives each installed model whose instances Django makes that way (its
own `__init__` and `from_db`, and for each field a descriptor that keeps a value set on the
instance in its `__dict__`) a `from_db` that puts the row's values there itself. While any
pre_init or post_init receiver is connected, Django's own makes them. The instances are the same
(tests/test_loading.py compares them, model by model). Called once the models are loaded
(OrganisationConfig.ready).
"""

from django.apps import apps
from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.fields.files import FileDescriptor
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init

DJANGOS_FROM_DB = Model.__dict__["from_db"].__func__
# What Model.__init__ does with a row's value through these is to store it in the instance's
# __dict__ under the field's attname (a foreign key's cached object is not there yet to clear).
_STORING = (DeferredAttribute, ForeignKeyDeferredAttribute, FileDescriptor)


def _from_db(cls, db, field_names, values):
    # `field_names`: the attnames of the fields read, in the order of `values` (a deferred
    # field is left out of both, and loads when first read, as after Django's own).
    if pre_init.receivers or post_init.receivers:
        return DJANGOS_FROM_DB(cls, db, field_names, values)
    new = cls.__new__(cls)
    state = new._state = ModelState()
    state.adding = False
    state.db = db
    new.__dict__.update(zip(field_names, values))
    return new


def is_loaded_plainly(model) -> bool:
    """Whether Django makes `model`'s instances as `_from_db` does."""
    return (
        model.__init__ is Model.__init__
        and getattr(model.from_db, "__func__", None) in (DJANGOS_FROM_DB, _from_db)
        and all(type(model.__dict__.get(field.attname)) in _STORING for field in model._meta.concrete_fields)
    )


def built(model, **values):
    """`model(**values)` for a page that lays out many unsaved instances (a revision's snapshot:
    some 150 a page, most of its time in `Model.__init__`): every other field at its default, made
    as `_from_db` makes a row's instance. `values` by attname (a foreign key's id, not its
    object) or `pk`. Django's own way while a pre_init or post_init receiver is connected or for
    a model it does not make plainly."""
    if pre_init.receivers or post_init.receivers or not _plain(model):
        return model(**values)
    new = model.__new__(model)
    new._state = ModelState()
    meta = model._meta
    if "pk" in values:
        values[meta.pk.attname] = values.pop("pk")
    data = new.__dict__
    for field in meta.concrete_fields:
        name = field.attname
        data[name] = values.pop(name) if name in values else field.get_default()
    if values:
        raise TypeError(f"{model.__name__}() got unexpected keyword arguments: {', '.join(values)}")
    return new


_plain_models: dict[type, bool] = {}


def _plain(model) -> bool:
    plain = _plain_models.get(model)
    if plain is None:
        plain = _plain_models[model] = is_loaded_plainly(model)
    return plain


def rows_loaded_plainly() -> int:
    """Give every installed model Django makes plainly the `from_db` above. Returns how many."""
    replaced = 0
    for model in apps.get_models():
        if is_loaded_plainly(model) and model.from_db.__func__ is DJANGOS_FROM_DB:
            model.from_db = classmethod(_from_db)
            replaced += 1
    return replaced
