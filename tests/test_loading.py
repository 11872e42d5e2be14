"""Instances made from their rows by supervision.loading are Django's own: every model of the
demo site, read whole and with fields deferred; through select_related and prefetching; made
Django's way while a pre_init or post_init receiver listens, and for a model of its own making."""

import pytest
from django.apps import apps
from django.db import models
from django.db.models.signals import post_init
from django.test.utils import isolate_apps

from plans.models import Task, WorkPlan
from supervision import loading
from supervision.loading import DJANGOS_FROM_DB, is_loaded_plainly
from tests.site_walk import demo_site_build
from tracking.models import Assignment

pytestmark = pytest.mark.django_db


def _fields(instance) -> dict:
    # Prefetched querysets are compared by their rows (a QuerySet equals only itself).
    return {
        name: value for name, value in instance.__dict__.items() if name not in ("_state", "_prefetched_objects_cache")
    }


def _assert_same(ours, djangos):
    assert type(ours) is type(djangos)
    assert _fields(ours) == _fields(djangos)
    assert (ours._state.adding, ours._state.db) == (djangos._state.adding, djangos._state.db) == (False, "default")
    cached, expected = ours._state.fields_cache, djangos._state.fields_cache
    assert cached.keys() == expected.keys()
    for name, related in cached.items():
        if related is None:
            assert expected[name] is None
        else:
            _assert_same(related, expected[name])


def _djangos_way():
    """While a post_init receiver listens, every instance is made by Model.__init__."""

    def listening(**kwargs):
        pass

    post_init.connect(listening, weak=False)
    return listening


def test_every_models_rows_load_as_django_loads_them():
    demo_site_build()
    checked = 0
    for model in apps.get_models():
        assert model.from_db.__func__ is loading._from_db, model
        names = [field.attname for field in model._meta.concrete_fields]
        for values in model._base_manager.order_by("pk").values_list(*names)[:3]:
            _assert_same(model.from_db("default", names, values), DJANGOS_FROM_DB(model, "default", names, values))
            # Every other field deferred: left out of the names and the values alike.
            shown = names[::2]
            part = [value for name, value in zip(names, values, strict=True) if name in shown]
            _assert_same(model.from_db("default", shown, part), DJANGOS_FROM_DB(model, "default", shown, part))
            checked += 1
    assert checked > 150


def test_related_rows_and_deferred_fields_read_as_before():
    demo_site_build()

    def read():
        assignments = list(
            Assignment.objects.select_related("county__city", "plan", "task")
            .prefetch_related("reports")
            .defer("label")
            .order_by("pk")[:30]
        )
        return assignments, [a.label for a in assignments], [list(a.reports.all()) for a in assignments]

    ours, labels, reports = read()
    listening = _djangos_way()
    try:
        djangos, expected_labels, expected_reports = read()
    finally:
        post_init.disconnect(listening)
    assert len(ours) == 30
    for mine, theirs in zip(ours, djangos, strict=True):
        _assert_same(mine, theirs)
    assert labels == expected_labels and all(labels)
    assert [[r.pk for r in rs] for rs in reports] == [[r.pk for r in rs] for rs in expected_reports]


def test_a_receiver_listening_gets_every_instance():
    demo_site_build()
    made = []

    def count(sender, instance, **kwargs):
        if sender is Task:
            made.append(instance.pk)

    post_init.connect(count)
    try:
        tasks = list(Task.objects.filter(plan__in=WorkPlan.objects.all()).order_by("pk"))
    finally:
        post_init.disconnect(count)
    assert made == [task.pk for task in tasks] and tasks


@isolate_apps("organisation")
def test_a_model_that_makes_its_instances_itself_keeps_djangos_way():
    class Counted(models.Model):
        name = models.CharField(max_length=10)

        class Meta:
            app_label = "organisation"

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.counted = True

        def __str__(self):
            return self.name

    class Plain(models.Model):
        name = models.CharField(max_length=10)

        class Meta:
            app_label = "organisation"

        def __str__(self):
            return self.name

    assert not is_loaded_plainly(Counted)
    assert is_loaded_plainly(Plain)


@pytest.mark.parametrize(
    ("model", "values"),
    [
        (Task, {"pk": -1, "number": 3, "title": "督导", "text": "督导全文", "section_id": None}),
        (WorkPlan, {"plan_year": 2026, "title": "工作要点"}),
        (Assignment, {"pk": -2, "county_id": 7, "label": "一月份"}),
    ],
)
def test_an_unsaved_instance_built_is_the_one_django_makes(model, values):
    ours, djangos, again = loading.built(model, **values), model(**values), model(**values)

    assert type(ours) is model
    # A default that differs from one instance to the next (a fresh key, the time now).
    differing = {name for name, value in _fields(djangos).items() if _fields(again)[name] != value}
    assert {k: v for k, v in _fields(ours).items() if k not in differing} == {
        k: v for k, v in _fields(djangos).items() if k not in differing
    }
    assert all(type(_fields(ours)[name]) is type(_fields(djangos)[name]) for name in differing)
    assert (ours._state.adding, ours._state.db) == (True, None)
    # Each gets its own of a mutable default.
    assert loading.built(model, **values).__dict__ is not ours.__dict__
    with pytest.raises(TypeError, match="unexpected"):
        loading.built(model, nonsense=1)


def test_built_is_djangos_way_while_a_receiver_listens():
    seen = []

    def listen(sender, instance, **kwargs):
        seen.append(instance)

    post_init.connect(listen, sender=Task)
    try:
        task = loading.built(Task, number=1, title="督导")
    finally:
        post_init.disconnect(listen, sender=Task)

    assert seen == [task]
