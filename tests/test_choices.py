"""Every model's get_FOO_display keeps its labels (supervision.choices) and says what Django's says."""

from functools import partialmethod

import pytest
from django.apps import apps
from django.db import models
from django.db.models import Model
from django.utils import translation

from plans.models import WorkPlan
from supervision.choices import display_of, labels_kept, labels_of
from tracking.models import Assignment


def _choice_fields():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if getattr(field, "choices", None) and f"get_{field.name}_display" in model.__dict__:
                yield model, field


def test_every_generated_display_is_kept():
    fields = list(_choice_fields())
    assert len(fields) > 40
    left = [
        f"{model.__name__}.{field.name}"
        for model, field in fields
        if isinstance(model.__dict__[f"get_{field.name}_display"], partialmethod)
    ]
    assert left == []
    assert labels_kept() == 0  # already done at start-up; doing it again changes nothing


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_each_label_is_djangos_in_each_language(language):
    with translation.override(language):
        for model, field in _choice_fields():
            instance = model()
            method = getattr(instance, f"get_{field.name}_display")
            for value, _label in field.flatchoices:
                setattr(instance, field.attname, value)
                assert method() == Model._get_FIELD_display(instance, field), (model, field.name, value)
                assert type(method()) is type(Model._get_FIELD_display(instance, field))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_display_of_says_what_each_display_says(language):
    with translation.override(language):
        for model, field in _choice_fields():
            display = display_of(model, field.name)
            instance = model()
            for value in [*(value for value, _label in field.flatchoices), "no-such-value", None]:
                setattr(instance, field.attname, value)
                assert display(instance) == Model._get_FIELD_display(instance, field), (model, field.name, value)


def test_the_language_is_the_one_asked_at_each_call():
    plan = WorkPlan(status=WorkPlan.Status.PUBLISHED)
    with translation.override("zh-hans"):
        assert plan.get_status_display() == "已发布"
    with translation.override("en"):
        assert plan.get_status_display() == "Published"
    with translation.override("zh-hans"):
        assert plan.get_status_display() == "已发布"


def test_a_value_the_choices_do_not_name_is_returned_as_django_returns_it():
    assignment = Assignment(state="no-such-state")
    assert assignment.get_state_display() == "no-such-state"
    assignment.state = None
    assert assignment.get_state_display() is None
    assignment.state = ["a", "list"]  # unhashable: Django's own path
    assert assignment.get_state_display() == "['a', 'list']"


def test_a_method_a_model_defines_itself_is_left_alone():
    class Rated(models.Model):  # noqa: DJ008
        rating = models.CharField(max_length=1, choices=[("a", "A")])

        class Meta:
            app_label = "plans"
            managed = False

        def get_rating_display(self):
            return "own"

    class Graded(models.Model):  # noqa: DJ008
        grade = models.CharField(max_length=1, choices=[("a", "A")])

        class Meta:
            app_label = "plans"
            managed = False

    try:
        own = Rated.__dict__["get_rating_display"]
        assert labels_kept() == 1  # Graded's
        assert Rated.__dict__["get_rating_display"] is own
        assert Rated(rating="a").get_rating_display() == "own"
        assert not isinstance(Graded.__dict__["get_grade_display"], partialmethod)
        assert Graded(grade="a").get_grade_display() == "A"
    finally:
        for name in ("rated", "graded"):
            apps.all_models["plans"].pop(name)
        apps.clear_cache()


def test_labels_of_a_field_are_its_choices_in_the_active_language():
    with translation.override("en"):
        assert labels_of(WorkPlan, "status")[WorkPlan.Status.PUBLISHED] == "Published"
    with translation.override("zh-hans"):
        labels = labels_of(Assignment, "state")
        assert list(labels) == list(Assignment.State.values)
        assert labels[Assignment.State.ACCEPTED] == str(Assignment.State.ACCEPTED.label)
