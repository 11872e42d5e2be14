"""The `control` tag writes a field's widget byte for byte as `{{ field }}` does, in every state a
page shows it: empty, as typed, refused with its errors, required or not, with help text."""

import pytest

from inspections.models import Inspection, Rectification
from inspections.rectification_forms import FollowUpForm
from organisation.models import Office
from plans.forms_editing import PlanCopyForm, PlanCreateForm
from plans.templatetags.plan_editing import control
from tests.factories import OfficeFactory

pytestmark = pytest.mark.django_db


def _forms():
    OfficeFactory.create_batch(2)
    offices = Office.objects.order_by("name")
    follow_up = {"items": Rectification.objects.all(), "inspections": Inspection.objects.all()}
    return [
        FollowUpForm(**follow_up),
        FollowUpForm({"title": "<b>复查</b>", "starts_on": "2026-04-07", "ends_on": "nonsense"}, **follow_up),
        PlanCreateForm(offices=offices, initial={"plan_year": 2026}),
        PlanCreateForm({"office": "", "plan_year": "1800", "title": '"引号"'}, offices=offices),
        PlanCopyForm(sources=[], auto_id="id_copy_%s"),
    ]


def test_the_tag_writes_each_field_as_django_does():
    for form in _forms():
        form.is_valid()  # a bound form's errors
        for field in form:
            assert control(field) == str(field), field.name
