"""supervision.choices.choices_in_hand: a model choice field offers rows read already, as its
queryset would, without a query; the queryset still checks what is sent."""

import django_filters
import pytest
from django import forms

from organisation.models import County
from supervision.choices import choices_in_hand
from tests.factories import CountyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def counties():
    return [CountyFactory(name=name) for name in ("鼓楼区", "台江区", "仓山区")]


def _fields(queryset):
    django_field = forms.ModelChoiceField(queryset=queryset, empty_label="全部")
    filter_field = django_filters.fields.ModelChoiceField(queryset=queryset, empty_label="全部", null_label="无")
    return django_field, filter_field


@pytest.mark.parametrize("which", [0, 1], ids=["django", "django-filter"])
def test_the_field_offers_the_rows_in_hand_as_its_queryset_would(counties, which, django_assert_num_queries):
    queryset = County.objects.filter(pk__in=[c.pk for c in counties]).order_by("pk")
    expected = [(str(value), label) for value, label in _fields(queryset)[which].choices]
    field = _fields(queryset)[which]
    in_hand = list(queryset)

    choices_in_hand(field, in_hand)

    with django_assert_num_queries(0):
        offered = [(str(value), label) for value, label in field.choices]
        widget = [(str(value), label) for value, label in field.widget.choices]
        assert len(field.choices) == len(expected)
    assert offered == widget == expected


def test_a_value_sent_is_still_checked_by_the_queryset(counties):
    field = forms.ModelChoiceField(queryset=County.objects.filter(pk=counties[0].pk))
    choices_in_hand(field, counties)  # offers more than the queryset holds: the queryset decides

    assert field.clean(str(counties[0].pk)) == counties[0]
    with pytest.raises(forms.ValidationError):
        field.clean(str(counties[1].pk))
